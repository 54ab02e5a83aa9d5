/// Why a PNG file (or a zlib stream) could not be read. Cases name the chunk and the byte
/// offset where the problem was found: offsets of chunk-level errors count from the start
/// of the file; offsets of zlib errors (`chunk` "IDAT" or "iCCP") count from the start of
/// the zlib stream (the concatenated chunk data).
public enum PNGError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first 8 bytes are not the PNG signature.
    case invalidSignature
    /// The file ends inside the chunk that starts at `offset` (or before IEND).
    case truncated(chunk: String, offset: Int)
    /// A chunk's CRC-32 does not match its type and data.
    case checksumMismatch(chunk: String, offset: Int, declared: UInt32, computed: UInt32)
    /// A chunk type contains bytes other than ASCII letters, or its length exceeds 2³¹ − 1.
    case malformedChunk(chunk: String, offset: Int)
    /// A chunk the decoder must understand (uppercase first letter) is unknown.
    case unknownCriticalChunk(chunk: String, offset: Int)
    /// A chunk appears where the specification does not allow it (IHDR not first, PLTE after
    /// IDAT, IDAT chunks not consecutive, a second IHDR or PLTE, …).
    case misplacedChunk(chunk: String, offset: Int)
    /// A chunk's data has the wrong length or invalid values.
    case invalidChunkData(chunk: String, offset: Int, reason: String)
    /// IHDR's width or height is 0 or above 2³¹ − 1.
    case invalidDimensions(width: Int, height: Int)
    /// IHDR's colour type and bit depth are not one of the allowed combinations.
    case invalidColorTypeAndBitDepth(colorType: Int, bitDepth: Int)
    /// width × height exceeds the decoder's pixel limit (checked before allocating).
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// Decoding the `width`×`height` image would allocate about `needed` bytes, more than
    /// ``PNGDecoder/maxMemory`` (`limit`); checked from IHDR before reading image data.
    case tooMuchMemory(width: Int, height: Int, needed: Int, limit: Int)
    /// A palette image has no PLTE chunk before its image data.
    case missingPalette
    /// There is no IDAT chunk.
    case missingImageData
    /// A pixel refers to a palette entry that does not exist.
    case paletteIndexOutOfRange(index: Int, paletteCount: Int)
    /// A row starts with a filter type other than 0...4.
    case invalidFilterType(row: Int, type: Int)
    /// The zlib stream inflates to more bytes than IHDR allows (a decompression bomb, or
    /// a corrupt stream).
    case tooMuchData(chunk: String, offset: Int, limit: Int)
    /// The zlib stream ends before all image rows were produced.
    case notEnoughData(chunk: String, expected: Int, actual: Int)
    /// The zlib stream is damaged: a bad header, block type, code lengths, symbol or distance.
    case corruptStream(chunk: String, offset: Int, reason: String)
    /// The zlib stream ends before its final block and checksum.
    case truncatedStream(chunk: String)
    /// The Adler-32 at the end of the zlib stream does not match the inflated data.
    case streamChecksumMismatch(chunk: String, declared: UInt32, computed: UInt32)

    /// A sentence describing the error.
    public var description: String {
        switch self {
        case .invalidSignature:
            return "The file does not start with the PNG signature."
        case let .truncated(chunk, offset):
            return "The file ends inside the \(chunk) chunk at byte \(offset)."
        case let .checksumMismatch(chunk, offset, declared, computed):
            return "The \(chunk) chunk at byte \(offset) is damaged: its CRC is \(hex(declared)) but its contents give \(hex(computed))."
        case let .malformedChunk(chunk, offset):
            return "The chunk \"\(chunk)\" at byte \(offset) has an invalid type or length."
        case let .unknownCriticalChunk(chunk, offset):
            return "The critical chunk \(chunk) at byte \(offset) is not part of the PNG specification."
        case let .misplacedChunk(chunk, offset):
            return "The \(chunk) chunk at byte \(offset) is out of order or repeated."
        case let .invalidChunkData(chunk, offset, reason):
            return "The \(chunk) chunk at byte \(offset) is invalid: \(reason)."
        case let .invalidDimensions(width, height):
            return "The image size \(width)×\(height) is not allowed: both sides must be 1 to 2147483647 pixels."
        case let .invalidColorTypeAndBitDepth(colorType, bitDepth):
            return "Colour type \(colorType) with bit depth \(bitDepth) is not a valid PNG format."
        case let .tooManyPixels(width, height, limit):
            return "The image is \(width)×\(height) pixels, more than the limit of \(limit) pixels."
        case let .tooMuchMemory(width, height, needed, limit):
            return "Decoding this \(width)×\(height) image needs about \(mebibytes(needed)) MiB, more than the memory limit of \(mebibytes(limit)) MiB; raise the limit (unjpeg: --max-memory) to decode it."
        case .missingPalette:
            return "The palette image has no PLTE chunk before its image data."
        case .missingImageData:
            return "The file has no IDAT chunk."
        case let .paletteIndexOutOfRange(index, count):
            return "A pixel uses palette entry \(index) but the palette has \(count) entries."
        case let .invalidFilterType(row, type):
            return "Row \(row) uses filter type \(type); only 0 to 4 exist."
        case let .tooMuchData(chunk, offset, limit):
            return "The \(chunk) data inflates to more than the \(limit) bytes the image needs (at compressed byte \(offset))."
        case let .notEnoughData(chunk, expected, actual):
            return "The \(chunk) data inflates to \(actual) bytes but the image needs \(expected)."
        case let .corruptStream(chunk, offset, reason):
            return "The \(chunk) zlib stream is corrupt at compressed byte \(offset): \(reason)."
        case let .truncatedStream(chunk):
            return "The \(chunk) zlib stream ends before its last block and checksum."
        case let .streamChecksumMismatch(chunk, declared, computed):
            return "The \(chunk) data is damaged: its Adler-32 is \(hex(declared)) but the inflated data give \(hex(computed))."
        }
    }
}

/// `bytes` in mebibytes, rounded up (a need of 1 byte reads as 1 MiB, never 0).
private func mebibytes(_ bytes: Int) -> Int { bytes <= 0 ? 0 : (bytes - 1) / (1 << 20) + 1 }

private func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}
