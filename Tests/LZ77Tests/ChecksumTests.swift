import Testing
import LZ77
import TestSupport

/// CRC-32 and Adler-32 against published check values and bit-by-bit definitions.
@Suite struct ChecksumTests {
    static func bitwiseCRC(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }

    static func directAdler(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in data { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        return b << 16 | a
    }

    @Test func publishedCheckValues() {
        // CRC-32/ISO-HDLC check value for "123456789"; Adler-32 of "Wikipedia" (RFC 1950 example value).
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        var adler = Adler32()
        Array("Wikipedia".utf8).withUnsafeBytes { adler.update($0) }
        #expect(adler.value == 0x11E6_0398)
    }

    @Test func longAndSplitInputs() {
        var rng = SplitMix64(seed: 3)
        // 0xFF runs are the worst case for the deferred modulo of Adler-32.
        let inputs: [[UInt8]] = [
            (0..<20_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) },
            [UInt8](repeating: 0xFF, count: 50_000),
            Array((0..<13).map { UInt8($0) }),
        ]
        for data in inputs {
            #expect(CRC32.checksum(data) == ChecksumTests.bitwiseCRC(data))
            // Fed in uneven pieces, the running state must give the same results.
            var crc = CRC32()
            var adler = Adler32()
            var i = 0, step = 1
            while i < data.count {
                let end = min(data.count, i + step)
                data[i..<end].withUnsafeBytes { crc.update($0); adler.update($0) }
                i = end
                step = step * 3 + 1
            }
            #expect(crc.value == ChecksumTests.bitwiseCRC(data))
            #expect(adler.value == ChecksumTests.directAdler(data))
        }
    }
}
