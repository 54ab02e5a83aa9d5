import Foundation
import Testing
import JPEGCodec

/// Our decoder reads what our encoder writes to exactly Pillow's decode of the same file
/// (references: `Fixtures/encoder/pillow_decodes.txt`, made by `make_roundtrip_references.py`).
@Suite struct RoundTripTests {
    struct Reference: Sendable, CustomTestStringConvertible {
        var jpeg: String
        var width: Int, height: Int, channels: Int
        var hash: UInt64
        var testDescription: String { jpeg }
    }

    static let all = references()

    static func references() -> [Reference] {
        let url = EncoderFixtures.directory.appendingPathComponent("pillow_decodes.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { line in
            let f = line.split(separator: " ").map(String.init)
            return Reference(jpeg: f[0], width: Int(f[1])!, height: Int(f[2])!, channels: Int(f[3])!,
                             hash: UInt64(f[4], radix: 16)!)
        }
    }

    @Test func everyEncoderFixtureHasAReference() {
        #expect(Self.all.count == EncoderFixtures.cases().count)
    }

    @Test(arguments: EncoderFixtures.cases())
    func ourEncodeDecodesToPillowsPixels(_ fixture: EncoderFixtures.Case) throws {
        let reference = try #require(Self.all.first { $0.jpeg == fixture.jpeg })
        let encoded = try JPEGEncoder.encode(try EncoderFixtures.image(fixture.input), options: fixture.options)
        let decoded = try JPEGDecoder.decode(encoded).image
        #expect(decoded.width == reference.width && decoded.height == reference.height
                && decoded.channels == reference.channels)
        #expect(fnv1a64(decoded.pixels) == reference.hash, "\(fixture.jpeg): decoded pixels differ from Pillow's")
    }
}
