/// Everything that can go wrong while reading a JPEG file. Every case names the byte offset
/// (from the start of the file) where the problem was found, so a user can look at the file.
public enum JPEGError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data ended at `offset` while more was needed (inside a marker segment or the
    /// entropy-coded data of a scan).
    case truncated(offset: Int)
    /// The file does not start with the SOI marker (0xFF 0xD8).
    case notAJPEG
    /// A marker that is not allowed (or not known) at this place.
    case invalidMarker(marker: UInt8, offset: Int)
    /// A marker segment whose length field is impossible for its kind.
    case invalidSegmentLength(marker: UInt8, length: Int, offset: Int)
    /// A DHT segment that cannot be a Huffman table (bad class or index, too many codes,
    /// over-subscribed code lengths, DC symbols above 15).
    case badHuffmanTable(offset: Int, reason: String)
    /// The entropy-coded data holds a bit pattern that is no code of the Huffman table in use.
    case badHuffmanCode(offset: Int)
    /// A DQT segment with a bad precision or table index.
    case badQuantizationTable(offset: Int, reason: String)
    /// A frame size of zero or beyond the 65500-pixel limit of libjpeg.
    case invalidDimensions(width: Int, height: Int, offset: Int)
    /// The frame header declares more pixels than the caller's limit allows.
    case tooManyPixels(declared: Int, limit: Int)
    /// Decoding the `width`×`height` image would allocate about `needed` bytes for
    /// image-sized buffers (see ``JPEGMemoryEstimate``), more than
    /// ``JPEGDecodingOptions/maxMemory`` (`limit`). Thrown before any of them is allocated.
    case tooMuchMemory(width: Int, height: Int, needed: Int, limit: Int)
    /// Scan number `scan` (1 = the first), whose SOS marker is at `offset`, would bring the
    /// blocks decoded by all scans so far to `blocks`, more than the file's work limit
    /// `limit` (``JPEGDecodingOptions/maxScanPasses`` passes over the image). Thrown before
    /// that scan is decoded: the file repeats its image data far more often than an
    /// encoder would, a way to make a small file cost minutes.
    case tooMuchScanWork(scan: Int, offset: Int, blocks: Int, limit: Int)
    /// A frame header (SOFn) with impossible contents.
    case invalidFrame(offset: Int, reason: String)
    /// A scan header (SOS) with impossible contents.
    case invalidScan(offset: Int, reason: String)
    /// A second frame header in the file.
    case duplicateFrame(offset: Int)
    /// No frame header (SOFn) before the first scan or the end of the image.
    case missingSOF(offset: Int)
    /// No scan (SOS) before the end of the image.
    case missingSOS(offset: Int)
    /// A scan uses a Huffman table that was never defined.
    case missingHuffmanTable(isDC: Bool, index: Int, offset: Int)
    /// A component uses a quantization table that was never defined.
    case missingQuantizationTable(index: Int, offset: Int)
    /// The restart marker after a restart interval is missing or has the wrong number.
    case badRestartMarker(expected: Int, offset: Int)
    /// A valid JPEG feature that this decoder does not implement (arithmetic coding, 12-bit
    /// samples, lossless, hierarchical, more than 4 components, …).
    case unsupported(feature: String, offset: Int)
    /// Damage that libjpeg recovers from, refused because
    /// ``JPEGDecodingOptions/strict`` is set.
    case damaged(JPEGWarning)

    /// A sentence for a user, naming the problem and where it is.
    public var description: String {
        switch self {
        case .truncated(let offset):
            return "The JPEG data ends too early (at byte \(offset)); the file is truncated."
        case .notAJPEG:
            return "This is not a JPEG file: it does not start with the SOI marker (FF D8)."
        case .invalidMarker(let marker, let offset):
            return "Unexpected marker FF \(hex(marker)) at byte \(offset)."
        case .invalidSegmentLength(let marker, let length, let offset):
            return "The FF \(hex(marker)) segment at byte \(offset) has an impossible length (\(length))."
        case .badHuffmanTable(let offset, let reason):
            return "Bad Huffman table at byte \(offset): \(reason)."
        case .badHuffmanCode(let offset):
            return "Corrupt entropy-coded data near byte \(offset): a bit pattern matches no Huffman code."
        case .badQuantizationTable(let offset, let reason):
            return "Bad quantization table at byte \(offset): \(reason)."
        case .invalidDimensions(let width, let height, let offset):
            return "The frame header at byte \(offset) declares an invalid image size \(width)×\(height) (each side must be 1…65500)."
        case .tooManyPixels(let declared, let limit):
            return "The image declares \(declared) pixels, more than the limit of \(limit)."
        case .tooMuchMemory(let width, let height, let needed, let limit):
            return "Decoding this \(width)×\(height) image needs about \(mebibytes(needed)) MiB, more than the memory limit of \(mebibytes(limit)) MiB; raise the limit (unjpeg: --max-memory) to decode it."
        case .tooMuchScanWork(let scan, let offset, let blocks, let limit):
            return "Scan \(scan) (at byte \(offset)) would bring the work of decoding to \(blocks) block decodes, more than the limit of \(limit) for this image size: the file repeats its image data in far more scans than an encoder writes, so it was refused."
        case .invalidFrame(let offset, let reason):
            return "Invalid frame header at byte \(offset): \(reason)."
        case .invalidScan(let offset, let reason):
            return "Invalid scan header at byte \(offset): \(reason)."
        case .duplicateFrame(let offset):
            return "A second frame header (SOF) at byte \(offset); only one frame is allowed."
        case .missingSOF(let offset):
            return "No frame header (SOF marker) before byte \(offset)."
        case .missingSOS(let offset):
            return "No scan (SOS marker) before byte \(offset); the file has no image data."
        case .missingHuffmanTable(let isDC, let index, let offset):
            return "The scan at byte \(offset) uses \(isDC ? "DC" : "AC") Huffman table \(index), which was never defined."
        case .missingQuantizationTable(let index, let offset):
            return "The scan at byte \(offset) needs quantization table \(index), which was never defined."
        case .badRestartMarker(let expected, let offset):
            return "Expected restart marker RST\(expected) at byte \(offset), but it is missing."
        case .unsupported(let feature, let offset):
            return "unsupported: \(feature) (at byte \(offset)) is not supported by this decoder."
        case .damaged(let warning):
            return "The file is damaged (strict mode): \(warning)"
        }
    }
}

/// `bytes` in mebibytes, rounded up (a need of 1 byte reads as 1 MiB, never 0).
private func mebibytes(_ bytes: Int) -> Int { bytes <= 0 ? 0 : (bytes - 1) / (1 << 20) + 1 }

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}
