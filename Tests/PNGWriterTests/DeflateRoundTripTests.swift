import Testing
import PNGWriter
import PNGReader
import TestSupport

/// Our deflate → our inflate over data chosen to hit the encoder's edge cases.
@Suite struct DeflateRoundTripTests {
    static let cases: [(String, [UInt8])] = {
        var rng = SplitMix64(seed: 2024)
        let random = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let block = (0..<32768).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let period258 = (0..<258).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var mixed: [UInt8] = []
        for k in 0..<400 {
            if k % 3 == 0 {
                mixed += (0..<(k % 50 + 1)).map { _ in UInt8(truncatingIfNeeded: rng.next() % 4) }
            } else {
                let start = mixed.count > 300 ? Int(rng.next() % UInt64(mixed.count - 300)) : 0
                mixed += mixed.count > 300 ? Array(mixed[start..<(start + Int(rng.next() % 290))]) : [1, 2, 3]
            }
        }
        return [
            ("empty", []),
            ("one byte", [42]),
            ("all zeros", [UInt8](repeating: 0, count: 200_000)),
            ("random bytes", random),
            ("long repeat of 3 bytes", Array((0..<150_000).map { UInt8($0 % 3) })),
            ("258-byte period", Array(repeatElement(period258, count: 300).joined())),
            ("32 KiB distance", block + block + block.prefix(1000)),
            ("random then zeros", Array(random.prefix(70_000)) + [UInt8](repeating: 0, count: 70_000)),
            ("text-like mixture", mixed),
        ]
    }()

    @Test(arguments: CompressionLevel.allCases)
    func roundTrips(_ level: CompressionLevel) throws {
        for (name, data) in DeflateRoundTripTests.cases {
            let z = Deflate.zlibCompress(data, level: level)
            let back = try Inflate.zlibDecompress(z, limit: data.count)
            #expect(back == data, "\(name) at \(level)")
            // Incompressible data must fall back to stored blocks: 2 + 4 bytes of zlib framing
            // plus 5 bytes per 65535-byte stored block.
            #expect(z.count <= data.count + 6 + 5 * max(1, (data.count + 65534) / 65535), "\(name) at \(level): \(z.count) bytes")
        }
    }

    @Test func repetitiveDataCompressesWell() {
        for level in CompressionLevel.allCases {
            #expect(Deflate.zlibCompress([UInt8](repeating: 0, count: 200_000), level: level).count < 1000)
            let period = Array(repeatElement(Array(DeflateRoundTripTests.cases[5].1.prefix(258)), count: 300).joined())
            #expect(Deflate.zlibCompress(period, level: level).count < 2000)
        }
    }

    @Test func inflateStopsAtTheLimit() throws {
        let z = Deflate.zlibCompress([UInt8](repeating: 7, count: 100_000), level: .default)
        #expect(throws: PNGError.self) { _ = try Inflate.zlibDecompress(z, limit: 99_999) }
        let ok = try Inflate.zlibDecompress(z, limit: 100_000)
        #expect(ok.count == 100_000)
    }
}
