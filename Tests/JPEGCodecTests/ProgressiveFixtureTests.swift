import Foundation
import Testing
@testable import JPEGCodec

/// The fixtures of `Fixtures/make_progressive_fixtures.py` (Pillow 13): progressive files at
/// several qualities, subsamplings, sizes and restart intervals, EXIF-oriented files and
/// truncated files, each against Pillow's decode.
@Suite struct ProgressiveFixtureTests {
    static let dir = Fixtures.root.appendingPathComponent("progressive")
    static let rows: [[String: String]] = (try? Fixtures.tsv(dir.appendingPathComponent("MANIFEST.tsv"))) ?? []
    static func names(_ kind: String) -> [String] { rows.filter { $0["kind"] == kind }.compactMap { $0["name"] } }

    @Test func manifestIsPresent() {
        #expect(ProgressiveFixtureTests.names("progressive").count >= 40)
        #expect(ProgressiveFixtureTests.names("oriented").count == 8)
        #expect(ProgressiveFixtureTests.names("truncated").count >= 4)
    }

    static func check(_ name: String, transform: (DecodedJPEG) -> RasterImage = { $0.image }) throws -> DecodedJPEG {
        let jpeg = try Fixtures.bytes(dir.appendingPathComponent(name + ".jpg"))
        let decoded = try JPEGDecoder.decode(jpeg)
        let reference = try #require(try Reference.load(base: dir.appendingPathComponent(name)))
        let problem = reference.mismatch(transform(decoded))
        #expect(problem == nil, "\(name): \(problem ?? "")")
        return decoded
    }

    @Test(arguments: ProgressiveFixtureTests.names("progressive") + ProgressiveFixtureTests.names("baseline-twin"))
    func decodesLikePillow(_ name: String) throws {
        let decoded = try ProgressiveFixtureTests.check(name)
        #expect(decoded.warnings.isEmpty)
        #expect(decoded.coefficientsComplete)
        // keepCoefficients: false must give the same pixels (progressive files always go
        // through whole-image planes).
        let jpeg = try Fixtures.bytes(ProgressiveFixtureTests.dir.appendingPathComponent(name + ".jpg"))
        let lean = try JPEGDecoder.decode(jpeg, options: JPEGDecodingOptions(keepCoefficients: false))
        #expect(lean.image == decoded.image)
        #expect(lean.components.allSatisfy { $0.coefficients.isEmpty })
    }

    /// Progressive coding is lossless on the quantized coefficients: the progressive file and
    /// the baseline file Pillow wrote from the same pixels must give the same planes.
    @Test(arguments: ProgressiveFixtureTests.rows.filter { ($0["twin"] ?? "-") != "-" }.compactMap { $0["name"] })
    func coefficientsEqualTheBaselineTwin(_ name: String) throws {
        let row = try #require(ProgressiveFixtureTests.rows.first { $0["name"] == name })
        let twin = try #require(row["twin"])
        let dir = ProgressiveFixtureTests.dir
        let progressive = try JPEGDecoder.decode(try Fixtures.bytes(dir.appendingPathComponent(name + ".jpg")))
        let baseline = try JPEGDecoder.decode(try Fixtures.bytes(dir.appendingPathComponent(twin + ".jpg")))
        #expect(progressive.components.count == baseline.components.count)
        for (p, b) in zip(progressive.components, baseline.components) {
            #expect(p.widthInBlocks == b.widthInBlocks && p.heightInBlocks == b.heightInBlocks)
            #expect(p.quantizationTable == b.quantizationTable)
            // Blocks in the MCU padding of a non-interleaved progressive scan are not coded:
            // compare the blocks that hold image samples.
            let wide = (p.sampleWidth + 7) / 8, high = (p.sampleHeight + 7) / 8
            var differing = 0
            for by in 0..<high {
                for bx in 0..<wide {
                    let i = (by * p.widthInBlocks + bx) * 64
                    if p.coefficients[i..<(i + 64)] != b.coefficients[i..<(i + 64)] { differing += 1 }
                }
            }
            #expect(differing == 0, "\(name) component \(p.id): \(differing) blocks differ")
        }
        #expect(progressive.image == baseline.image)
    }

    /// A sound progressive file that stops after 4 of its 10 scans (Go's test image): not
    /// complete, no warning (libjpeg gives none), and Pillow's pixels (ConformanceTests).
    @Test func scansThatStopEarlyLeaveCoefficientsIncomplete() throws {
        let url = Fixtures.root.appendingPathComponent("conformance/go/video-001.progressive.truncated.jpeg")
        let decoded = try JPEGDecoder.decode(try Fixtures.bytes(url))
        #expect(decoded.warnings.isEmpty)
        #expect(!decoded.coefficientsComplete)
        let full = try JPEGDecoder.decode(try Fixtures.bytes(Fixtures.root.appendingPathComponent("conformance/go/video-001.progressive.jpeg")))
        #expect(full.coefficientsComplete)
    }

    /// Decode, then `applyingOrientation(decoded.orientation)`, equals Pillow's
    /// `ImageOps.exif_transpose` of its decode.
    @Test(arguments: ProgressiveFixtureTests.names("oriented"))
    func orientedLikeExifTranspose(_ name: String) throws {
        let decoded = try ProgressiveFixtureTests.check(name) { $0.image.applyingOrientation($0.orientation) }
        let row = try #require(ProgressiveFixtureTests.rows.first { $0["name"] == name })
        #expect("orientation \(decoded.orientation)" == row["note"])
    }

    /// Files cut inside a scan decode like libjpeg (Pillow with LOAD_TRUNCATED_IMAGES): the
    /// MCUs that are missing are filled the libjpeg way; warnings say so; strict refuses them.
    @Test(arguments: ProgressiveFixtureTests.names("truncated"))
    func truncatedLikeLibjpeg(_ name: String) throws {
        let decoded = try ProgressiveFixtureTests.check(name)
        let jpeg = try Fixtures.bytes(ProgressiveFixtureTests.dir.appendingPathComponent(name + ".jpg"))
        #expect(decoded.warnings.last == .missingEOI(offset: jpeg.count))
        #expect(!decoded.coefficientsComplete)
        #expect(throws: JPEGError.self) {
            try JPEGDecoder.decode(jpeg, options: JPEGDecodingOptions(strict: true))
        }
    }
}
