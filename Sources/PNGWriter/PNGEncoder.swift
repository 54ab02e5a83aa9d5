import LZ77

/// Writes PNG files: signature, IHDR, optional iCCP / sRGB / gAMA / pHYs / eXIf / iTXt (XMP),
/// the image data (rows filtered adaptively, deflated by our encoder) split into IDAT chunks,
/// and IEND. Every ancillary chunk precedes the first IDAT (the PNG spec requires it of
/// iCCP, sRGB, gAMA and pHYs; browsers ignore an eXIf that comes after the image data).
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
    /// An EXIF block to embed as an `eXIf` chunk (PNG 3rd edition §11.3.6): the TIFF
    /// structure starting with its byte-order mark "II" or "MM" (without JPEG's
    /// "Exif\0\0" prefix), at most ``maxAncillaryChunkBytes``. Viewers may honour its
    /// Orientation tag, so reset it when the pixels were already turned.
    public var exif: [UInt8]?
    /// An XMP packet (UTF-8 XML, no NUL) to embed uncompressed as an `iTXt` chunk with the
    /// keyword `XML:com.adobe.xmp` (the XMP specification part 3's PNG convention), at most
    /// ``maxAncillaryChunkBytes`` − 22 bytes.
    public var xmp: [UInt8]?
    /// The largest ICC profile (uncompressed bytes) the encoder writes: 1 MiB, because
    /// Pillow's PNG reader refuses to open a file whose iCCP chunk inflates to more
    /// (`PngImagePlugin.MAX_TEXT_CHUNK` = `ImageFile.SAFEBLOCK` = 1,048,576; measured with
    /// Pillow 13: 1,048,576 bytes open, 1,048,577 raise "Decompressed data too large").
    public static let maxICCProfileBytes = 1 << 20
    /// The largest eXIf or iTXt chunk data the encoder writes: libpng 1.6's default
    /// `PNG_USER_CHUNK_MALLOC_MAX` (8,000,000), above which it warns "chunk data is too
    /// large" for every non-IDAT chunk. Pillow reads uncompressed iTXt up to 64 MiB of text
    /// (`MAX_TEXT_MEMORY`) and eXIf of any size. A JPEG's EXIF or XMP segment holds at most
    /// 65,533 bytes, far below.
    public static let maxAncillaryChunkBytes = 8_000_000
    /// The keyword of the XMP iTXt chunk.
    static let xmpKeyword: [UInt8] = Array("XML:com.adobe.xmp".utf8)
    /// The largest IDAT chunk payload in bytes (clamped to 1...2³¹ − 1; default 65536).
    public var idatChunkSize: Int

    /// Creates an encoder with no ancillary chunks.
    /// - Parameter level: Deflate effort.
    public init(level: CompressionLevel = .default) {
        self.level = level
        self.idatChunkSize = 1 << 16
    }

    /// Everything among ``iccProfile``, ``exif`` and ``xmp`` that ``encode(_:width:height:format:)``
    /// would refuse, in that order (empty when all can be written). The profile's name is
    /// checked by `encode` itself (``PNGWriteError/invalidProfileName(_:)``).
    public var metadataProblems: [PNGMetadataProblem] {
        var problems: [PNGMetadataProblem] = []
        if let profile = iccProfile, profile.data.count > PNGEncoder.maxICCProfileBytes {
            problems.append(.iccProfileTooLarge(bytes: profile.data.count, limit: PNGEncoder.maxICCProfileBytes))
        }
        if let exif {
            let header = Array(exif.prefix(4))
            if header != [0x49, 0x49, 42, 0] && header != [0x4D, 0x4D, 0, 42] {
                problems.append(.exifNotTIFF(firstBytes: header))
            } else if exif.count > PNGEncoder.maxAncillaryChunkBytes {
                problems.append(.exifTooLarge(bytes: exif.count, limit: PNGEncoder.maxAncillaryChunkBytes))
            }
        }
        if let xmp {
            let limit = PNGEncoder.maxAncillaryChunkBytes - PNGEncoder.xmpKeyword.count - 5
            if xmp.count > limit {
                problems.append(.xmpTooLarge(bytes: xmp.count, limit: limit))
            } else if let reason = ITXtText.problem(xmp) {
                problems.append(.xmpNotText(reason: reason))
            }
        }
        return problems
    }

    /// Removes the metadata that ``metadataProblems`` names (setting ``iccProfile``,
    /// ``exif`` or ``xmp`` to nil) and returns those problems, for the caller to print as
    /// warnings; the image is then written without them.
    /// - Returns: What was dropped and why; empty when nothing was.
    @discardableResult
    public mutating func dropUnwritableMetadata() -> [PNGMetadataProblem] {
        let problems = metadataProblems
        for problem in problems {
            switch problem {
            case .iccProfileTooLarge: iccProfile = nil
            case .exifNotTIFF, .exifTooLarge: exif = nil
            case .xmpNotText, .xmpTooLarge: xmp = nil
            }
        }
        return problems
    }

    /// Encodes an 8-bit image.
    /// - Parameters:
    ///   - samples: Row-major interleaved samples, `width * height * format.channels` of them.
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    ///   - format: An 8-bit format (`.gray8`, `.grayAlpha8`, `.rgb8`, `.rgba8`).
    /// - Returns: The complete PNG file.
    /// - Throws: `PNGWriteError` if the sizes or formats are inconsistent, or
    ///   ``PNGWriteError/unwritableMetadata(_:)`` for the first of ``metadataProblems``.
    public func encode(_ samples: [UInt8], width: Int, height: Int,
                       format: PNGPixelFormat) throws(PNGWriteError) -> [UInt8] {
        try encode(samples, width: width, height: height, format: format, runBands: PNGEncoder.serial)
    }

    /// Encodes an 8-bit image, its bands run by `runBands` (for example on several threads):
    /// the same bytes as ``encode(_:width:height:format:)``, whatever the runner does.
    /// - Parameters:
    ///   - samples: Row-major interleaved samples, `width * height * format.channels` of them.
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    ///   - format: An 8-bit format (`.gray8`, `.grayAlpha8`, `.rgb8`, `.rgba8`).
    ///   - runBands: Runs the encoder's independent pieces of work (see ``PNGBandRunner``).
    /// - Returns: The complete PNG file.
    /// - Throws: As ``encode(_:width:height:format:)``.
    public func encode(_ samples: [UInt8], width: Int, height: Int, format: PNGPixelFormat,
                       runBands: PNGBandRunner) throws(PNGWriteError) -> [UInt8] {
        guard format.bitDepth == 8 else { throw .sampleTypeMismatch(format: format) }
        _ = try PNGEncoder.checkSize(width, height, format, samples.count)
        return try samples.withUnsafeBufferPointer { raw throws(PNGWriteError) in
            try encodeRaw(raw.baseAddress!, width: width, height: height, format: format, runBands: runBands)
        }
    }

    /// Encodes a 16-bit image.
    /// - Parameters:
    ///   - samples: Row-major interleaved samples, `width * height * format.channels` of them.
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    ///   - format: A 16-bit format (`.gray16`, `.rgb16`).
    /// - Returns: The complete PNG file.
    /// - Throws: `PNGWriteError` if the sizes or formats are inconsistent, or
    ///   ``PNGWriteError/unwritableMetadata(_:)`` for the first of ``metadataProblems``.
    public func encode(sixteenBit samples: [UInt16], width: Int, height: Int,
                       format: PNGPixelFormat) throws(PNGWriteError) -> [UInt8] {
        try encode(sixteenBit: samples, width: width, height: height, format: format, runBands: PNGEncoder.serial)
    }

    /// Encodes a 16-bit image, its bands run by `runBands` (see
    /// ``encode(_:width:height:format:runBands:)``): the same bytes as
    /// ``encode(sixteenBit:width:height:format:)``.
    public func encode(sixteenBit samples: [UInt16], width: Int, height: Int, format: PNGPixelFormat,
                       runBands: PNGBandRunner) throws(PNGWriteError) -> [UInt8] {
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
            try encodeRaw(raw.baseAddress!, width: width, height: height, format: format, runBands: runBands)
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
                           format: PNGPixelFormat, runBands: PNGBandRunner) throws(PNGWriteError) -> [UInt8] {
        if let problem = metadataProblems.first { throw .unwritableMetadata(problem) }
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
            body += Deflater.zlibCompress(profile.data, parameters: .best)
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
        if let exif {
            PNGEncoder.appendChunk(&png, "eXIf", exif)
        }
        if let xmp {
            // keyword, NUL, compression flag 0, method 0, empty language tag and translated
            // keyword (each NUL-terminated), then the text.
            var body = PNGEncoder.xmpKeyword
            body += [0, 0, 0, 0, 0]
            body += xmp
            PNGEncoder.appendChunk(&png, "iTXt", body)
        }

        let zlib = compressImageData(raw, width: width, height: height, format: format, runBands: runBands)

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
        Deflater.zlibCompress(bytes, parameters: level.matchParameters)
    }
}
