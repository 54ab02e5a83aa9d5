import Testing
import Foundation
import TestSupport
import Cleaner
import Net

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

/// Issue 17 item 1, the family route: `unjpeg model A B -o F` joins models into one file, and
/// `clean` gives each JPEG to the network trained nearest to its tables.
@Suite struct ModelFamilyCommandTests {
    @Test func aFamilyCleansEachFileWithItsNearestNetwork() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        // A second member: the legacy network with its parameters scaled by 0.9, trained (it says) on q70–80 4:4:4.
        var low = try ModelFile.deserialize([UInt8](Data(contentsOf: URL(fileURLWithPath: CoverageWarningTests.model))))
        low.parameters = low.parameters.map { $0 * 0.9 }
        low.metadata[ModelCoverage.Key.quality] = "70-80"
        low.metadata[ModelCoverage.Key.subsampling] = "4:4:4"
        try Data(ModelFile.serialize(low)).write(to: URL(fileURLWithPath: path("low.unjm")))
        let joined = try CLI.run(["model", CoverageWarningTests.model, path("low.unjm"), "-o", path("family.unjm")])
        #expect(joined.status == 0 && joined.stderr == "")
        let shown = try CLI.run(["model", path("family.unjm")])
        #expect(shown.stdout.contains("family.unjm, network 2 of 2: network 1728→"))
        #expect(shown.stdout.contains("\n  trained on: quality 70–80; 4:4:4; standard tables\n"))

        let q75 = CoverageWarningTests.jpegs.appendingPathComponent("gradient33x17_q75_s0.jpg").path
        let q85 = CoverageWarningTests.jpegs.appendingPathComponent("gradient33x17_q85_s2.jpg").path
        for (jpeg, member) in [(q75, path("low.unjm")), (q85, CoverageWarningTests.model)] {
            let byFamily = try CLI.run(["clean", "--model", path("family.unjm"), jpeg, "-o", path("family.png")])
            #expect(byFamily.status == 0 && byFamily.stderr == "")   // each file is inside its member's training
            #expect(try CLI.run(["clean", "--model", member, jpeg, "-o", path("member.png")]).status == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path("family.png"))) == Data(contentsOf: URL(fileURLWithPath: path("member.png"))))
        }
        let verbose = try CLI.run(["clean", "-v", "--model", path("family.unjm"), q75, "-o", path("family.png")])
        #expect(verbose.stderr.hasPrefix("\(q75) → \(path("family.png")) (network 2 of 2, trained on quality 70–80; 4:4:4; standard tables)\ncleaned 1 of 1 file"))
        // Stage options rewrite every member; the family stays a family.
        #expect(try CLI.run(["model", path("family.unjm"), "--white-point", "0", "-o", path("changed.unjm")]).status == 0)
        let changed = try ModelFile.deserializeFamily([UInt8](Data(contentsOf: URL(fileURLWithPath: path("changed.unjm")))))
        #expect(changed.count == 2 && changed.allSatisfy { (try? CleaningModel(network: $0))?.pipeline.stage(WhitePointStage.self) == nil })
        // A member that does not say what it was trained on cannot be chosen: refused.
        low.metadata[ModelCoverage.Key.quality] = nil
        try Data(ModelFile.serialize(low)).write(to: URL(fileURLWithPath: path("bare.unjm")))
        let refused = try CLI.run(["model", CoverageWarningTests.model, path("bare.unjm"), "-o", path("bad.unjm")])
        #expect(refused.status == 1 && refused.stderr.contains("Network 2 of the model's 2 does not say which JPEGs it was trained on"))
        #expect(!FileManager.default.fileExists(atPath: path("bad.unjm")))
        let twice = try CLI.run(["model", "-", "-", "-o", path("bad.unjm")])
        #expect(twice.status == 64 && twice.stderr.hasPrefix("Error: Standard input ('-') can be read once"))
    }
}
