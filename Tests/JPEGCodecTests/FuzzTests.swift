import Foundation
import Testing
@testable import JPEGCodec
import TestSupport

/// Deterministic mutation fuzzing: damaged versions of small fixtures must decode or throw a
/// ``JPEGError`` — a trap (overflow, bounds) would crash the test process.
@Suite struct FuzzTests {
    static let seeds = ["photo_7x9_q85_420", "gray_33x17_q75_rst2", "cjpeg_61x47_q85_noninterleaved_420",
                        "photo_33x17_q75_422_rstrow", "cjpeg_61x47_q85_411", "adobe_rgb_48x40_q90_420",
                        "progressive/prog_33x17_q75_420", "progressive/prog_100x75_q85_420_rst3",
                        "progressive/prog_gray_33x17_q50_rst2", "progressive/orient_6_33x17_q85_420"]

    @Test(arguments: FuzzTests.seeds)
    func mutatedFilesNeverTrap(_ name: String) throws {
        let path = name.contains("/") ? "\(name).jpg" : "decoder/\(name).jpg"
        let original = try Fixtures.bytes(Fixtures.root.appendingPathComponent(path))
        var rng = SplitMix64(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
        var decoded = 0, failed = 0
        for trial in 0..<150 {
            var b = original
            switch trial % 4 {
            case 0:  // flip a few random bytes anywhere
                for _ in 0..<(1 + Int(rng.next() % 4)) { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            case 1:  // damage the headers only (first 40 % of the file)
                let i = Int(rng.next() % UInt64(b.count * 2 / 5))
                b[i] = [0x00, 0xFF, 0x01, 0x7F, 0x80, 0x10, 0x44][Int(rng.next() % 7)]
            case 2:  // cut the file
                b = Array(b.prefix(Int(rng.next() % UInt64(b.count))))
            default:  // set bits in the entropy-coded data
                let i = b.count / 2 + Int(rng.next() % UInt64(b.count / 2))
                b[i] |= UInt8(truncatingIfNeeded: rng.next())
            }
            do throws(JPEGError) {
                let d = try JPEGDecoder.decode(b, options: JPEGDecodingOptions(strict: trial % 8 == 7))
                #expect(d.image.pixels.count == d.image.width * d.image.height * d.image.channels)
                decoded += 1
            } catch {
                #expect(!error.description.isEmpty)
                failed += 1
            }
            _ = try? JPEGDecoder.inspect(b)
        }
        #expect(decoded + failed == 150)
    }
}
