import Testing
import Foundation
import TestSupport

/// Issue 17 item 1: `clean` says (a warning, not a refusal) when a file is outside what the
/// model's network was trained on.
@Suite struct CoverageWarningTests {
    static let jpegs = TestPaths.fixtures("JPEGCodecTests").appendingPathComponent("encoder")
    /// The first-generation default model: trained on q85 4:2:0 with standard tables.
    static let model = TestPaths.fixtures("unjpegTests").appendingPathComponent("golden/legacy-default.unjm").path

    @Test func aFileOutsideTheCoverageIsCleanedWithAWarning() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out.png").path
        let outside = Self.jpegs.appendingPathComponent("gradient33x17_q75_s0.jpg").path
        let warned = try CLI.run(["clean", "--model", Self.model, outside, "-o", out])
        #expect(warned.status == 0)
        #expect(warned.stderr == "Warning: \(outside): quality 75, 4:4:4: the model's network was trained on quality 85; 4:2:0; standard tables, not on quality 75, 4:4:4; the classical stages read the file's own tables, but the network may help less or even harm.\n")
        #expect(FileManager.default.fileExists(atPath: out))
        for quiet in [["-q"], ["--no-network"]] {
            #expect(try CLI.run(["clean", "--model", Self.model] + quiet + [outside, "-o", out]).stderr == "")
        }
        let inside = Self.jpegs.appendingPathComponent("gradient33x17_q85_s2.jpg").path
        let clean = try CLI.run(["clean", "--model", Self.model, inside, "-o", out])
        #expect(clean.status == 0 && clean.stderr == "")
    }

    @Test func modelShowsItsCoverage() throws {
        let result = try CLI.run(["model", Self.model])
        #expect(result.stdout.contains("\n  trained on: quality 85; 4:2:0; standard tables\n"))
    }
}
