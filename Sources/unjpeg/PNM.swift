import JPEGCodec

/// Binary PGM (P5) and PPM (P6) images with 8-bit samples: the simplest interchange format,
/// used for fixtures and for piping raw pixels to other tools.
enum PNM {
    /// `P5`/`P6` header plus the samples of `image` (gray → P5, RGB → P6).
    static func encode(_ image: RasterImage) -> [UInt8] {
        let magic = image.channels == 1 ? "P5" : "P6"
        return Array("\(magic)\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
    }

    /// Parses a binary PGM/PPM with maxval 255 (comments allowed in the header).
    static func decode(_ bytes: [UInt8], name: String, maxPixels: Int = 512_000_000) throws -> RasterImage {
        var index = 0
        func fail(_ what: String) -> RuntimeError {
            RuntimeError("'\(name)' is not a valid binary PPM/PGM file: \(what) (at byte \(index)).")
        }
        func skipSpaceAndComments() {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count && bytes[index] != 10 { index += 1 }
                } else if [9, 10, 13, 32].contains(bytes[index]) {
                    index += 1
                } else { return }
            }
        }
        func number() throws -> Int {
            skipSpaceAndComments()
            var value = 0, digits = 0
            while index < bytes.count, (48...57).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 48)
                digits += 1
                index += 1
                if value > 1 << 24 { throw fail("a header number is too large") }
            }
            guard digits > 0 else { throw fail("expected a number") }
            return value
        }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"),
              bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "6") else {
            throw fail("the file does not start with P5 or P6")
        }
        let channels = bytes[1] == UInt8(ascii: "5") ? 1 : 3
        index = 2
        let width = try number(), height = try number(), maxval = try number()
        guard maxval == 255 else { throw fail("only maxval 255 is supported, not \(maxval)") }
        guard width > 0, height > 0 else { throw fail("the size \(width)×\(height) is empty") }
        guard width * height <= maxPixels else {
            throw RuntimeError("'\(name)': the image is \(width)×\(height) = \(width * height) pixels, more than the limit of \(maxPixels) (raise it with --max-pixels).")
        }
        guard index < bytes.count else { throw fail("the header is truncated") }
        index += 1 // the single whitespace byte after maxval
        let count = width * height * channels
        guard bytes.count - index >= count else {
            throw fail("the pixel data is truncated: \(bytes.count - index) of \(count) bytes")
        }
        return RasterImage(width: width, height: height, channels: channels,
                           pixels: Array(bytes[index..<index + count]))
    }
}
