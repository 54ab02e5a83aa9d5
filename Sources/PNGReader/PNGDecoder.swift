import LZ77

/// Reads PNG files: every colour type and bit depth, Adam7 interlacing, all filters, any
/// number of IDAT chunks, with CRC-32 and Adler-32 checks and size limits.
///
/// ```swift
/// let image = try PNGDecoder().decode(bytes)
/// let rgb = image.rgb8()          // width * height * 3 bytes, alpha over white
/// ```
public struct PNGDecoder: Sendable {
    /// Most pixels (width × height) accepted, checked from IHDR before allocating
    /// (default 512 MP).
    public var maxPixels: Int
    /// Whether to verify chunk CRCs (default true). The zlib Adler-32 is always verified.
    public var checkCRC: Bool
    /// Largest decompressed ICC profile kept (default 16 MiB); bigger ones are dropped.
    public var maxICCProfileBytes: Int
    /// Largest memory, in bytes, the decoder may allocate for the image: the inflated rows
    /// and the samples (see ``memoryNeeded(width:height:colorType:bitDepth:interlaced:)``).
    /// Checked from IHDR before any image data is read; more is refused with
    /// ``PNGError/tooMuchMemory(width:height:needed:limit:)``. Default 1 GiB, which fits a
    /// small machine: an 8-bit RGB image of about 170 megapixels. (The inflated rows can
    /// never outgrow what the compressed data can produce, about 1032 bytes per byte, so
    /// a tiny file declaring a huge image fails with ``PNGError/notEnoughData(chunk:expected:actual:)``
    /// without allocating it; this limit also refuses the large file that really inflates
    /// that far, a decompression bomb.)
    public var maxMemory: Int

    /// Creates a decoder.
    /// - Parameters:
    ///   - maxPixels: Pixel limit.
    ///   - checkCRC: Whether to verify chunk CRCs.
    ///   - maxMemory: Memory limit in bytes for the image (default 1 GiB).
    public init(maxPixels: Int = 512_000_000, checkCRC: Bool = true, maxMemory: Int = 1 << 30) {
        self.maxPixels = maxPixels
        self.checkCRC = checkCRC
        self.maxICCProfileBytes = 16 << 20
        self.maxMemory = maxMemory
    }

    /// The bytes of filtered rows an image's zlib stream must inflate to: per row of each
    /// (Adam7) pass, a filter byte and ⌈width · bits per pixel / 8⌉ bytes. `nil` when the
    /// count does not fit in an `Int`.
    static func inflatedSize(width: Int, height: Int, bitsPerPixel: Int, interlaced: Bool) -> Int? {
        let passes = interlaced ? Adam7.passes(width: width, height: height) : [(width, height)]
        var total = 0
        for (pw, ph) in passes where pw > 0 && ph > 0 {
            let (rowBits, o1) = pw.multipliedReportingOverflow(by: bitsPerPixel)
            guard !o1 else { return nil }
            let (passBytes, o2) = ph.multipliedReportingOverflow(by: 1 + (rowBits + 7) / 8)
            let (sum, o3) = total.addingReportingOverflow(passBytes)
            guard !o2, !o3 else { return nil }
            total = sum
        }
        return total
    }

    /// The memory ``decode(_:)-([UInt8])`` allocates at its peak for an image of this
    /// header, in bytes: the inflated rows (``inflatedSize``, plus 320 bytes of slack) and
    /// the samples (width × height × channels, 2 bytes each at bit depth 16, otherwise 1).
    /// Not counted: the file, the concatenated IDAT data (at most the file's size), and
    /// what a caller converts the samples to (``PNGImage/rgb8()``: width × height × 3).
    /// `Int.max` when the count overflows.
    public static func memoryNeeded(width: Int, height: Int, colorType: PNGColorType, bitDepth: Int,
                                    interlaced: Bool) -> Int {
        guard let rows = inflatedSize(width: width, height: height, bitsPerPixel: bitDepth * colorType.channels,
                                      interlaced: interlaced) else { return .max }
        let (pixels, o1) = width.multipliedReportingOverflow(by: height)
        let (samples, o2) = pixels.multipliedReportingOverflow(by: colorType.channels * (bitDepth == 16 ? 2 : 1))
        let (total, o3) = rows.addingReportingOverflow(samples + 320)
        return o1 || o2 || o3 ? .max : total
    }

    /// Decodes a PNG file.
    /// - Parameter bytes: The whole file.
    /// - Returns: The image with its stored samples and metadata.
    /// - Throws: `PNGError` for any damaged, unsupported or over-limit input.
    public func decode(_ bytes: [UInt8]) throws(PNGError) -> PNGImage {
        try bytes.withUnsafeBufferPointer { p throws(PNGError) in try decode(p) }
    }

    /// Decodes a PNG file held in memory.
    /// - Parameter file: The whole file.
    /// - Returns: The image with its stored samples and metadata.
    /// - Throws: `PNGError` for any damaged, unsupported or over-limit input.
    public func decode(_ file: UnsafeBufferPointer<UInt8>) throws(PNGError) -> PNGImage {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard file.count >= 8, (0..<8).allSatisfy({ file[$0] == signature[$0] }) else {
            throw .invalidSignature
        }
        var offset = 8
        var header: (width: Int, height: Int, depth: Int, type: PNGColorType, interlaced: Bool)?
        var palette: [UInt8] = []
        var transparency: PNGTransparency?
        var icc: PNGICCProfile?
        var gamma: UInt32?
        var srgb: UInt8?
        var idat: [UInt8] = []
        var idatState = 0 // 0 none yet, 1 in the IDAT run, 2 after it
        var firstIDAT = 0
        var sawIEND = false

        while !sawIEND {
            guard offset + 8 <= file.count else { throw .truncated(chunk: "IEND", offset: offset) }
            let length = Int(PNGDecoder.be32(file, offset))
            let typeBytes = (0..<4).map { file[offset + 4 + $0] }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard typeBytes.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) else {
                throw .malformedChunk(chunk: PNGDecoder.printable(typeBytes), offset: offset)
            }
            guard length <= Int(Int32.max) else { throw .malformedChunk(chunk: type, offset: offset) }
            guard offset + 12 + length <= file.count else { throw .truncated(chunk: type, offset: offset) }
            let dataStart = offset + 8
            if checkCRC {
                var crc = CRC32()
                crc.update(UnsafeRawBufferPointer(start: file.baseAddress! + offset + 4, count: length + 4))
                let declared = PNGDecoder.be32(file, dataStart + length)
                guard crc.value == declared else {
                    throw .checksumMismatch(chunk: type, offset: offset, declared: declared, computed: crc.value)
                }
            }
            let data = file[dataStart..<(dataStart + length)]
            if header == nil && type != "IHDR" { throw .misplacedChunk(chunk: type, offset: offset) }
            if idatState == 1 && type != "IDAT" { idatState = 2 }
            switch type {
            case "IHDR":
                guard header == nil else { throw .misplacedChunk(chunk: type, offset: offset) }
                guard length == 13 else {
                    throw .invalidChunkData(chunk: type, offset: offset, reason: "its length is \(length), not 13")
                }
                let w = Int(PNGDecoder.be32(file, dataStart)), h = Int(PNGDecoder.be32(file, dataStart + 4))
                let depth = Int(data[dataStart + 8]), ct = Int(data[dataStart + 9])
                guard w >= 1, h >= 1, w <= Int(Int32.max), h <= Int(Int32.max) else {
                    throw .invalidDimensions(width: w, height: h)
                }
                guard let colorType = PNGColorType(rawValue: UInt8(ct)), colorType.allows(bitDepth: depth) else {
                    throw .invalidColorTypeAndBitDepth(colorType: ct, bitDepth: depth)
                }
                guard data[dataStart + 10] == 0 else {
                    throw .invalidChunkData(chunk: type, offset: offset, reason: "compression method \(data[dataStart + 10]) is unknown")
                }
                guard data[dataStart + 11] == 0 else {
                    throw .invalidChunkData(chunk: type, offset: offset, reason: "filter method \(data[dataStart + 11]) is unknown")
                }
                guard data[dataStart + 12] <= 1 else {
                    throw .invalidChunkData(chunk: type, offset: offset, reason: "interlace method \(data[dataStart + 12]) is unknown")
                }
                let (pixels, overflow) = w.multipliedReportingOverflow(by: h)
                guard !overflow, pixels <= maxPixels else {
                    throw .tooManyPixels(width: w, height: h, limit: maxPixels)
                }
                let interlaced = data[dataStart + 12] == 1
                let needed = PNGDecoder.memoryNeeded(width: w, height: h, colorType: colorType, bitDepth: depth,
                                                     interlaced: interlaced)
                guard needed <= maxMemory else {
                    throw .tooMuchMemory(width: w, height: h, needed: needed, limit: maxMemory)
                }
                header = (w, h, depth, colorType, interlaced)
            case "PLTE":
                guard palette.isEmpty, idatState == 0 else { throw .misplacedChunk(chunk: type, offset: offset) }
                guard length % 3 == 0, length >= 3, length <= 768 else {
                    throw .invalidChunkData(chunk: type, offset: offset, reason: "its length \(length) is not 3 to 768 bytes in whole entries")
                }
                if header!.type == .palette {
                    guard length / 3 <= 1 << header!.depth else {
                        throw .invalidChunkData(chunk: type, offset: offset, reason: "\(length / 3) entries exceed the bit depth")
                    }
                }
                palette = Array(data)
            case "tRNS":
                guard transparency == nil, idatState == 0 else { throw .misplacedChunk(chunk: type, offset: offset) }
                switch header!.type {
                case .palette:
                    guard !palette.isEmpty else { throw .misplacedChunk(chunk: type, offset: offset) }
                    guard length <= palette.count / 3 else {
                        throw .invalidChunkData(chunk: type, offset: offset, reason: "\(length) alpha values for \(palette.count / 3) palette entries")
                    }
                    transparency = .palette(Array(data))
                case .gray:
                    guard length == 2 else {
                        throw .invalidChunkData(chunk: type, offset: offset, reason: "its length is \(length), not 2")
                    }
                    transparency = .gray(PNGDecoder.be16(file, dataStart))
                case .rgb:
                    guard length == 6 else {
                        throw .invalidChunkData(chunk: type, offset: offset, reason: "its length is \(length), not 6")
                    }
                    transparency = .rgb(PNGDecoder.be16(file, dataStart), PNGDecoder.be16(file, dataStart + 2),
                                        PNGDecoder.be16(file, dataStart + 4))
                case .grayAlpha, .rgba:
                    throw .invalidChunkData(chunk: type, offset: offset, reason: "images with an alpha channel cannot have tRNS")
                }
            case "IDAT":
                guard idatState != 2 else { throw .misplacedChunk(chunk: type, offset: offset) }
                if header!.type == .palette && palette.isEmpty { throw .missingPalette }
                if idatState == 0 { firstIDAT = offset }
                idatState = 1
                idat.append(contentsOf: data)
            case "IEND":
                sawIEND = true
            case "gAMA":
                if length == 4 && idatState == 0 { gamma = PNGDecoder.be32(file, dataStart) }
            case "sRGB":
                if length == 1 && idatState == 0 { srgb = data[dataStart] }
            case "iCCP":
                if idatState == 0 && icc == nil { icc = readICC(data) }
            default:
                if typeBytes[0] & 0x20 == 0 { throw .unknownCriticalChunk(chunk: type, offset: offset) }
            }
            offset += 12 + length
        }
        guard let h = header else { throw .missingImageData }
        guard idatState != 0 else { throw .missingImageData }
        _ = firstIDAT

        // Sizes: each pass's rows are 1 filter byte + ceil(width·bits/8) bytes.
        // Overflow only if maxPixels and maxMemory were raised far beyond memory sizes.
        guard let expected = PNGDecoder.inflatedSize(width: h.width, height: h.height,
                                                     bitsPerPixel: h.depth * h.type.channels,
                                                     interlaced: h.interlaced),
              expected <= Int.max / 4 else {
            throw .tooManyPixels(width: h.width, height: h.height, limit: maxPixels)
        }
        idat.append(contentsOf: repeatElement(0, count: Inflater.inputPadding))
        let idatCount = idat.count - Inflater.inputPadding
        let raw = try idat.withUnsafeBufferPointer { p throws(PNGError) in
            try Inflate.zlibDecompress(p.baseAddress!, count: idatCount, limit: expected, chunk: "IDAT")
        }
        guard raw.count == expected else { throw .notEnoughData(chunk: "IDAT", expected: expected, actual: raw.count) }
        let samples = try ImageData.reconstruct(raw.base, width: h.width, height: h.height, depth: h.depth,
                                                 channels: h.type.channels, interlaced: h.interlaced)
        if h.type == .palette, case .uint8(let s) = samples {
            let count = palette.count / 3
            if count < 1 << h.depth {
                for v in s where Int(v) >= count { throw .paletteIndexOutOfRange(index: Int(v), paletteCount: count) }
            }
        }
        return PNGImage(width: h.width, height: h.height, colorType: h.type, bitDepth: h.depth,
                        interlaced: h.interlaced, samples: samples, palette: palette,
                        transparency: transparency, iccProfile: icc, gamma: gamma, srgbIntent: srgb)
    }

    /// Reads an iCCP chunk's name and profile; nil if it is malformed (ancillary: ignored).
    private func readICC(_ data: Slice<UnsafeBufferPointer<UInt8>>) -> PNGICCProfile? {
        guard let zero = data.firstIndex(of: 0), zero > data.startIndex, zero - data.startIndex <= 79,
              zero + 1 < data.endIndex, data[zero + 1] == 0 else { return nil }
        let name = String(data[data.startIndex..<zero].map { Character(Unicode.Scalar($0)) })
        var stream = Array(data[(zero + 2)...])
        let n = stream.count
        stream.append(contentsOf: repeatElement(0, count: Inflater.inputPadding))
        let profile = try? stream.withUnsafeBufferPointer { p throws(PNGError) in
            try Inflate.zlibDecompress(p.baseAddress!, count: n, limit: maxICCProfileBytes, chunk: "iCCP")
        }
        guard let profile else { return nil }
        return PNGICCProfile(name: name, data: profile.array)
    }

    @inline(__always)
    static func be32(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(p[i]) << 24 | UInt32(p[i + 1]) << 16 | UInt32(p[i + 2]) << 8 | UInt32(p[i + 3])
    }

    @inline(__always)
    static func be16(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt16 {
        UInt16(p[i]) << 8 | UInt16(p[i + 1])
    }

    static func printable(_ bytes: [UInt8]) -> String {
        String(bytes.map { $0 >= 32 && $0 < 127 ? Character(Unicode.Scalar($0)) : "?" })
    }
}
