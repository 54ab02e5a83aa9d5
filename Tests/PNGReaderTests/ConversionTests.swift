import Testing
import PNGReader

/// RGB8 conversion rules, with expected values computed by hand.
@Suite struct ConversionTests {
    func decode(width: UInt32, depth: UInt8, colorType: UInt8, row: [UInt8], trns: [UInt8]? = nil) throws -> PNGImage {
        var b = PNGBuilder()
        b.ihdr(width: width, height: 1, depth: depth, colorType: colorType)
        if let trns { b.chunk("tRNS", trns) }
        b.chunk("IDAT", PNGBuilder.storedZlib([0] + row))
        b.chunk("IEND", [])
        return try PNGDecoder().decode(b.bytes)
    }

    @Test func sixteenBitRoundsToNearest() throws {
        // round(v·255/65535) = round(v/257): 0x8080 = 257·128 → 128; 383/257 = 1.49 → 1;
        // 385/257 = 1.498 → 1; 386/257 = 1.502 → 2; 65535 → 255.
        let values: [UInt16] = [0x8080, 383, 385, 386, 65535]
        let image = try decode(width: 5, depth: 16, colorType: 0, row: values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        #expect(image.rgb8() == [128, 128, 128, 1, 1, 1, 1, 1, 1, 2, 2, 2, 255, 255, 255])
        #expect(image.rgba8() == [128, 128, 128, 255, 1, 1, 1, 255, 1, 1, 1, 255, 1, 1, 1, 255, 255, 255, 255, 255])
    }

    @Test func alphaOverWhite() throws {
        // Gray 0 at alpha 128: 255·127/255 = 127. Gray 100 at alpha 1: (100 + 255·254)/255 =
        // 254.39 → 254. Gray 200 at alpha 255 stays 200.
        let ga = try decode(width: 3, depth: 8, colorType: 4, row: [0, 128, 100, 1, 200, 255])
        #expect(ga.rgb8() == [127, 127, 127, 254, 254, 254, 200, 200, 200])
        // RGBA16: R = 0 at alpha 32768: 65535·32767·255/65535² = 127.498 → 127; G = B = 65535 → 255.
        let rgba = try decode(width: 1, depth: 16, colorType: 6, row: [0, 0, 255, 255, 255, 255, 128, 0])
        #expect(rgba.rgb8() == [127, 255, 255])
    }

    @Test func lowDepthGrayAndKeys() throws {
        // 2-bit gray samples 0, 1, 2, 3 → 0, 85, 170, 255; tRNS key 2 makes the third pixel
        // transparent, which is white over white.
        let image = try decode(width: 4, depth: 2, colorType: 0, row: [0b00_01_10_11], trns: [0, 2])
        #expect(image.samples == .uint8([0, 1, 2, 3]))
        #expect(image.rgb8() == [0, 0, 0, 85, 85, 85, 255, 255, 255, 255, 255, 255])
        #expect(image.rgba8() == [0, 0, 0, 255, 85, 85, 85, 255, 170, 170, 170, 0, 255, 255, 255, 255])
    }
}
