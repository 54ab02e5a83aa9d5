import Foundation
import Testing
@testable import JPEGCodec

/// Our fixtures (made by `Fixtures/make_decoder_fixtures.py` with Pillow 13): every file must
/// decode to exactly Pillow's pixels.
@Suite struct DecoderFixtureTests {
    static let rows: [[String: String]] = (try? Fixtures.tsv(Fixtures.root.appendingPathComponent("decoder/MANIFEST.tsv"))) ?? []
    static let names: [String] = rows.compactMap { $0["name"] }

    @Test func manifestIsPresent() {
        #expect(DecoderFixtureTests.names.count >= 40)
    }

    @Test(arguments: DecoderFixtureTests.names)
    func decodesLikePillow(_ name: String) throws {
        let dir = Fixtures.root.appendingPathComponent("decoder")
        let jpeg = try Fixtures.bytes(dir.appendingPathComponent(name + ".jpg"))
        let decoded = try JPEGDecoder.decode(jpeg)
        let reference = try #require(try Reference.load(base: dir.appendingPathComponent(name)))
        let problem = reference.mismatch(decoded.image)
        #expect(problem == nil, "\(name): \(problem ?? "")")
        // The one-pass path (coefficients not kept) must give the same pixels.
        let streamed = try JPEGDecoder.decode(jpeg, options: JPEGDecodingOptions(keepCoefficients: false))
        #expect(streamed.image == decoded.image, "\(name): one-pass decode differs")
        #expect(streamed.components.allSatisfy { $0.coefficients.isEmpty })
        #expect(streamed.components.map(\.quantizationTable) == decoded.components.map(\.quantizationTable))
        let row = try #require(DecoderFixtureTests.rows.first { $0["name"] == name })
        #expect(decoded.orientation == Int(row["orientation"] ?? "1"))
        if let icc = row["icc_bytes"], icc != "-" {
            #expect(decoded.iccProfile?.count == Int(icc))
        } else {
            #expect(decoded.iccProfile == nil)
        }
    }
}
