import Testing
import PNGWriter
import PNGReader

/// Exact bytes for tiny images, checked by hand and with Python's zlib.
@Suite struct ByteFixtureTests {
    /// A 1×1 8-bit gray pixel of value 0x80.
    ///
    /// The row is [filter 0, 0x80]: every filter gives Σ|Int8| = 128 on a lone first-row
    /// pixel, and ties go to filter 0. Deflate picks a fixed-Huffman block (27 bits, against
    /// 56 for a stored block): BFINAL 1, BTYPE 01, literal 0x00 = 00110000, literal 0x80 =
    /// 10110000 (8-bit codes for 0–143), end of block 0000000, which packs LSB-first into
    /// 63 68 00 00. The same bytes come from Python's `zlib.compress(b"\x00\x80", 6)`:
    /// 78 9c 63 68 00 00 00 82 00 81 (Adler-32 0x00820081 = b·65536 + a with a = 1 + 0 + 128
    /// = 129, b = 1 + 129 = 130). Chunk CRCs from `zlib.crc32`: IHDR 0x3a7e9b55,
    /// IDAT 0x77cd72b6, IEND 0xae426082.
    static let onePixelGray: [UInt8] = hex(
        "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
        + "0000000a49444154789c636800000082008177cd72b6" + "0000000049454e44ae426082")

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(s.utf8)
        if chars.count % 2 == 1 { chars.append(48) }
        for i in stride(from: 0, to: chars.count, by: 2) {
            out.append(UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16)!)
        }
        return out
    }

    @Test func onePixelGrayIsByteExact() throws {
        let png = try PNGEncoder(level: .default).encode([UInt8]([0x80]), width: 1, height: 1, format: .gray8)
        #expect(png == ByteFixtureTests.onePixelGray)
    }

    @Test func onePixelGrayDecodes() throws {
        let image = try PNGDecoder().decode(ByteFixtureTests.onePixelGray)
        #expect(image.samples == .uint8([0x80]))
        #expect(image.rgb8() == [0x80, 0x80, 0x80])
    }

    /// A 1×1 RGB pixel (255, 0, 7) in a stored block, built by hand: zlib header 78 01,
    /// block header 01 (final, stored), LEN 0004, NLEN fffb, the row 00 ff 00 07, Adler-32
    /// 0x03080107 (a = 1 + 255 + 7 = 263 = 0x107, b = 1 + 256 + 256 + 263 = 776 = 0x308).
    @Test func storedBlockRGBDecodes() throws {
        let png = ByteFixtureTests.hex(
            "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
            + "0000000f494441547801010400fbff00ff000703080107ae8897be" + "0000000049454e44ae426082")
        let image = try PNGDecoder().decode(png)
        #expect(image.samples == .uint8([255, 0, 7]))
        #expect(image.colorType == .rgb)
    }
}
