/// Builds PNG files chunk by chunk for tests (bitwise CRC-32 and Adler-32, written
/// independently of the library's table-driven versions).
struct PNGBuilder {
    var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }

    static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    mutating func chunk(_ type: String, _ data: [UInt8], corruptCRC: Bool = false) {
        let body = Array(type.utf8) + data
        bytes += PNGBuilder.be32(UInt32(data.count)) + body
        bytes += PNGBuilder.be32(PNGBuilder.crc32(body) ^ (corruptCRC ? 1 : 0))
    }

    mutating func ihdr(width: UInt32, height: UInt32, depth: UInt8, colorType: UInt8, interlace: UInt8 = 0) {
        chunk("IHDR", PNGBuilder.be32(width) + PNGBuilder.be32(height) + [depth, colorType, 0, 0, interlace])
    }

    /// A zlib stream holding `raw` in stored blocks.
    static func storedZlib(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var i = 0
        repeat {
            let n = min(65535, raw.count - i)
            out.append(i + n == raw.count ? 1 : 0)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += raw[i..<(i + n)]
            i += n
        } while i < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for x in raw { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        return out + PNGBuilder.be32(b << 16 | a)
    }
}
