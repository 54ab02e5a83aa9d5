/// Writes PNG files: signature, IHDR, optional iCCP / sRGB / gAMA / pHYs, the image data
/// (rows filtered adaptively, deflated by our encoder) split into IDAT chunks, and IEND.
///
/// ```swift
/// var encoder = PNGEncoder(level: .default)
/// encoder.iccProfile = ICCProfile(data: profileBytes)
/// let png = try encoder.encode(rgb, width: w, height: h, format: .rgb8)
/// ```
public struct PNGEncoder: Sendable {
    /// Deflate effort.
    public var level: CompressionLevel
    /// An ICC profile to embed (iCCP). When set, no sRGB chunk is written, as the PNG
    /// specification asks.
    public var iccProfile: ICCProfile?
    /// Writes an sRGB chunk with this rendering intent (ignored if `iccProfile` is set).
    public var srgbIntent: SRGBIntent?
    /// Writes a gAMA chunk: the image gamma times 100000 (45455 for sRGB's 1/2.2).
    public var gamma: UInt32?
    /// Writes a pHYs chunk.
    public var physicalDimensions: PhysicalDimensions?
    /// The largest IDAT chunk payload in bytes (clamped to 1...2³¹ − 1; default 65536).
    public var idatChunkSize: Int

    /// Creates an encoder with no ancillary chunks.
    /// - Parameter level: Deflate effort.
    public init(level: CompressionLevel = .default) {
        self.level = level
        self.idatChunkSize = 1 << 16
    }

    /// Encodes an 8-bit image.
    /// - Parameters:
    ///   - samples: Row-major interleaved samples, `width * height * format.channels` of them.
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    ///   - format: An 8-bit format (`.gray8`, `.grayAlpha8`, `.rgb8`, `.rgba8`).
    /// - Returns: The complete PNG file.
    /// - Throws: `PNGWriteError` if the sizes or formats are inconsistent.
    public func encode(_ samples: [UInt8], width: Int, height: Int,
                       format: PNGPixelFormat) throws(PNGWriteError) -> [UInt8] {
        guard format.bitDepth == 8 else { throw .sampleTypeMismatch(format: format) }
        let expected = try PNGEncoder.checkSize(width, height, format, samples.count)
        _ = expected
        return try samples.withUnsafeBufferPointer { raw throws(PNGWriteError) in
            try encodeRaw(raw.baseAddress!, width: width, height: height, format: format)
        }
    }

    /// Encodes a 16-bit image.
    /// - Parameters:
    ///   - samples: Row-major interleaved samples, `width * height * format.channels` of them.
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    ///   - format: A 16-bit format (`.gray16`, `.rgb16`).
    /// - Returns: The complete PNG file.
    /// - Throws: `PNGWriteError` if the sizes or formats are inconsistent.
    public func encode(sixteenBit samples: [UInt16], width: Int, height: Int,
                       format: PNGPixelFormat) throws(PNGWriteError) -> [UInt8] {
        guard format.bitDepth == 16 else { throw .sampleTypeMismatch(format: format) }
        _ = try PNGEncoder.checkSize(width, height, format, samples.count)
        // PNG stores 16-bit samples big-endian.
        var bytes = [UInt8](repeating: 0, count: samples.count * 2)
        bytes.withUnsafeMutableBufferPointer { b in
            samples.withUnsafeBufferPointer { s in
                for i in 0..<s.count {
                    b[2 * i] = UInt8(s[i] >> 8)
                    b[2 * i + 1] = UInt8(s[i] & 0xFF)
                }
            }
        }
        return try bytes.withUnsafeBufferPointer { raw throws(PNGWriteError) in
            try encodeRaw(raw.baseAddress!, width: width, height: height, format: format)
        }
    }

    private static func checkSize(_ width: Int, _ height: Int, _ format: PNGPixelFormat,
                                  _ count: Int) throws(PNGWriteError) -> Int {
        guard width >= 1, height >= 1, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .invalidDimensions(width: width, height: height)
        }
        let (wc, o1) = width.multipliedReportingOverflow(by: format.channels)
        let (expected, o2) = wc.multipliedReportingOverflow(by: height)
        guard !o1, !o2 else { throw .invalidDimensions(width: width, height: height) }
        guard expected == count else { throw .sampleCountMismatch(expected: expected, actual: count) }
        return expected
    }

    /// Encodes rows already in PNG byte layout (16-bit samples big-endian).
    private func encodeRaw(_ raw: UnsafePointer<UInt8>, width: Int, height: Int,
                           format: PNGPixelFormat) throws(PNGWriteError) -> [UInt8] {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var ihdr: [UInt8] = []
        ihdr.appendBigEndian(UInt32(width))
        ihdr.appendBigEndian(UInt32(height))
        ihdr += [UInt8(format.bitDepth), format.colorType, 0, 0, 0]
        PNGEncoder.appendChunk(&png, "IHDR", ihdr)

        if let profile = iccProfile {
            let name = try PNGEncoder.latin1ProfileName(profile.name)
            var body = name
            body += [0, 0]
            body += Deflater.zlibCompress(profile.data, level: .best)
            PNGEncoder.appendChunk(&png, "iCCP", body)
        } else if let intent = srgbIntent {
            PNGEncoder.appendChunk(&png, "sRGB", [intent.rawValue])
        }
        if let g = gamma {
            var body: [UInt8] = []
            body.appendBigEndian(g)
            PNGEncoder.appendChunk(&png, "gAMA", body)
        }
        if let phys = physicalDimensions {
            var body: [UInt8] = []
            body.appendBigEndian(phys.pixelsPerUnitX)
            body.appendBigEndian(phys.pixelsPerUnitY)
            body.append(phys.unitIsMetre ? 1 : 0)
            PNGEncoder.appendChunk(&png, "pHYs", body)
        }

        let bytesPerPixel = format.channels * format.bitDepth / 8
        let rowBytes = width * bytesPerPixel
        let filteredCount = height * (rowBytes + 1)
        let filtered = UnsafeMutablePointer<UInt8>.allocate(capacity: filteredCount + 16)
        defer { filtered.deallocate() }
        (filtered + filteredCount).initialize(repeating: 0, count: 16)
        RowFilter.filterImage(raw, rowBytes: rowBytes, height: height, bpp: bytesPerPixel, into: filtered)
        let zlib = Deflater.zlibCompress(filtered, count: filteredCount, level: level)

        let chunkSize = min(max(1, idatChunkSize), Int(Int32.max))
        png.reserveCapacity(png.count + zlib.count + (zlib.count / chunkSize + 2) * 12 + 12)
        var start = 0
        repeat {
            let end = min(zlib.count, start + chunkSize)
            PNGEncoder.appendChunk(&png, "IDAT", zlib[start..<end])
            start = end
        } while start < zlib.count
        PNGEncoder.appendChunk(&png, "IEND", [])
        return png
    }

    private static func latin1ProfileName(_ name: String) throws(PNGWriteError) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in name.unicodeScalars {
            let v = scalar.value
            guard (v >= 32 && v <= 126) || (v >= 161 && v <= 255) else { throw .invalidProfileName(name) }
            bytes.append(UInt8(v))
        }
        guard (1...79).contains(bytes.count), bytes.first != 32, bytes.last != 32 else {
            throw .invalidProfileName(name)
        }
        for i in 1..<bytes.count where bytes[i] == 32 && bytes[i - 1] == 32 {
            throw .invalidProfileName(name)
        }
        return bytes
    }

    /// Appends one chunk: length, type, data, CRC-32 of type and data.
    static func appendChunk<C: Collection>(_ png: inout [UInt8], _ type: String, _ data: C) where C.Element == UInt8 {
        png.appendBigEndian(UInt32(data.count))
        let typeStart = png.count
        png += Array(type.utf8)
        png += data
        var crc = CRC32()
        png.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[typeStart...])) }
        png.appendBigEndian(crc.value)
    }
}

extension Array where Element == UInt8 {
    /// Appends `v` as 4 big-endian bytes.
    mutating func appendBigEndian(_ v: UInt32) {
        append(UInt8(v >> 24))
        append(UInt8((v >> 16) & 0xFF))
        append(UInt8((v >> 8) & 0xFF))
        append(UInt8(v & 0xFF))
    }
}

/// Raw zlib compression with the PNG encoder's deflate, for callers that need a zlib
/// stream outside a PNG (and for tests).
public enum Deflate {
    /// Compresses `bytes` into a zlib stream (RFC 1950: header, deflate data, Adler-32).
    /// - Parameters:
    ///   - bytes: The data.
    ///   - level: Deflate effort.
    /// - Returns: The zlib stream.
    public static func zlibCompress(_ bytes: [UInt8], level: CompressionLevel = .default) -> [UInt8] {
        Deflater.zlibCompress(bytes, level: level)
    }
}
