import Foundation
import Testing
@testable import JPEGCodec
import TestSupport

/// The encoder fixtures: inputs and Pillow's JPEGs, listed in MANIFEST.txt by
/// `Fixtures/encoder/make_encoder_fixtures.py`.
enum EncoderFixtures {
    static let directory = TestPaths.fixtures("JPEGCodecTests").appendingPathComponent("encoder")

    struct Case: CustomTestStringConvertible, Sendable {
        var jpeg: String
        var input: String
        var options: EncoderOptions
        var testDescription: String { jpeg }
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Parses binary PPM (P6) / PGM (P5) with maxval 255.
    static func image(_ name: String) throws -> RasterImage {
        let data = try bytes(name)
        var index = 0
        func token() -> String {
            while index < data.count, data[index] == 0x20 || data[index] == 0x0A || data[index] == 0x0D
                || data[index] == 0x09 || data[index] == 0x23 {
                if data[index] == 0x23 { while data[index] != 0x0A { index += 1 } }
                index += 1
            }
            var token = ""
            while index < data.count, !(data[index] == 0x20 || data[index] == 0x0A
                                        || data[index] == 0x0D || data[index] == 0x09) {
                token.append(Character(UnicodeScalar(data[index])))
                index += 1
            }
            return token
        }
        let magic = token()
        let width = Int(token())!, height = Int(token())!, maxval = Int(token())!
        precondition(maxval == 255 && (magic == "P6" || magic == "P5"))
        index += 1
        let channels = magic == "P6" ? 3 : 1
        return RasterImage(width: width, height: height, channels: channels,
                           pixels: Array(data[index..<index + width * height * channels]))
    }

    static func cases() -> [Case] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("MANIFEST.txt"),
                                     encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: " ").map(String.init)
            var options = EncoderOptions(quality: Int(f[2])!)
            switch f[3] {
            case "0": options.subsampling = .yuv444
            case "1": options.subsampling = .yuv422
            default: options.subsampling = .yuv420
            }
            options.optimizeHuffman = f[4] == "1"
            options.restartInterval = Int(f[5])!
            options.restartRows = Int(f[6])!
            if f[7] != "-" { options.iccProfile = try! bytes(f[7]) }
            if f[8] != "-" {
                let text = String(decoding: try! bytes(f[8]), as: UTF8.self)
                options.quantizationTables = text.split(separator: "\n").map {
                    $0.split(separator: " ").map { UInt16($0)! }
                }
                options.quality = 75
            }
            return Case(jpeg: f[0], input: f[1], options: options)
        }
    }
}

@Suite struct EncoderFixtureTests {
    @Test func manifestIsPresent() {
        #expect(EncoderFixtures.cases().count >= 358)
    }

    @Test(arguments: EncoderFixtures.cases())
    func byteIdenticalWithPillow(_ fixture: EncoderFixtures.Case) throws {
        let image = try EncoderFixtures.image(fixture.input)
        let expected = try EncoderFixtures.bytes(fixture.jpeg)
        let actual = try JPEGEncoder.encode(image, options: fixture.options)
        let firstDifference = (0..<min(actual.count, expected.count)).first { actual[$0] != expected[$0] }
        #expect(actual == expected,
                "\(fixture.jpeg): \(actual.count) vs \(expected.count) bytes, first difference at \(firstDifference ?? min(actual.count, expected.count))")
    }
}
