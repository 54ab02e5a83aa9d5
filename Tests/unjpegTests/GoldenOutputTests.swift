import Testing
import Foundation
import PNGReader
import JPEGCodec
import Cleaner

/// The cleaning pipeline's outputs, pixel for pixel, as recorded from the pipeline before the
/// stage redesign (issue 15) by `Scripts/record_golden_outputs.sh`: both bundled models, the
/// classical steps alone, the projection alone and variants of the stage options, on a colour
/// baseline file, a progressive one and a grayscale one. The GEMM kernel is pinned to the
/// portable one (`UNJPEG_GEMM_KERNEL=portable`), whose rounding is the same on every CPU.
@Suite struct GoldenOutputTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let golden = root.appendingPathComponent("Tests/unjpegTests/Fixtures/golden")

    /// (name, input, options) from `CASES.txt`.
    static let cases: [(String, String, [String])] = {
        let text = (try? String(contentsOf: golden.appendingPathComponent("CASES.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            return (fields[0], fields[1], fields[2].split(separator: " ").map(String.init))
        }
    }()

    @Test func casesAreListed() {
        #expect(Self.cases.count == 9)
    }

    @Test(arguments: GoldenOutputTests.cases.map(\.0))
    func cleanedPixelsAreUnchanged(_ name: String) throws {
        let (_, input, options) = Self.cases.first { $0.0 == name }!
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.png").path
        let quoted = options.map { "'\($0)'" }.joined(separator: " ")
        let result = try CLI.shell("\"$UNJPEG\" clean '\(input)' -o '\(output)' \(quoted)", in: Self.root,
                                   environment: ["UNJPEG_GEMM_KERNEL": "portable"])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try PNGDecoder().decode([UInt8](try Data(contentsOf: Self.golden.appendingPathComponent(name + ".png"))))
        let actual = try PNGDecoder().decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: output))))
        #expect(actual.width == expected.width && actual.height == expected.height)
        let a = actual.rgb8(), e = expected.rgb8()
        let differing = zip(a, e).filter { $0 != $1 }.count
        #expect(differing == 0, "\(name): \(differing) of \(e.count) samples differ")
    }
}

/// Issue 15 item 7: the README's figure for the example is what the bundled model gives.
@Suite struct ReadmeFigureTests {
    @Test func theExampleCleansToTheReadmesFigure() throws {
        let root = GoldenOutputTests.root
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        // "… the plain decode is 38.56 dB PSNR from it, the cleaned PNG 43.04 dB …"
        let decodeText = try #require(readme.components(separatedBy: "the plain decode is ").dropFirst().first?
            .components(separatedBy: " dB").first)
        let cleanText = try #require(readme.components(separatedBy: "the cleaned PNG ").dropFirst().first?
            .components(separatedBy: " dB").first)
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("tweet.png").path
        let result = try CLI.shell("\"$UNJPEG\" clean Examples/tweet.jpg -o '\(output)' && \"$UNJPEG\" decode Examples/tweet.jpg -o '\(output).decode.png'",
                                   in: root, environment: ["UNJPEG_GEMM_KERNEL": "portable"])
        #expect(result.status == 0, "\(result.stderr)")
        func rgb(_ path: String) throws -> RasterImage {
            let png = try PNGDecoder().decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
            return RasterImage(width: png.width, height: png.height, channels: 3, pixels: png.rgb8())
        }
        let original = try rgb(root.appendingPathComponent("Examples/tweet.png").path)
        let decoded = try rgb(output + ".decode.png"), cleaned = try rgb(output)
        func twoDecimals(_ x: Double) -> String {
            let hundredths = Int((x * 100).rounded())
            return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
        }
        #expect(twoDecimals(Metrics.psnr(original, decoded)) == decodeText)
        #expect(twoDecimals(Metrics.psnr(original, cleaned)) == cleanText)
    }
}
