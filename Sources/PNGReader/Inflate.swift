import LZ77

/// Zlib decompression with the PNG decoder's inflate, for callers that need it outside a
/// PNG (and for tests).
public enum Inflate {
    /// Inflates a complete zlib stream (RFC 1950), verifying its Adler-32.
    /// - Parameters:
    ///   - stream: The zlib stream.
    ///   - limit: Most output bytes to produce; more fails with `PNGError.tooMuchData`.
    /// - Returns: The inflated bytes.
    /// - Throws: `PNGError` (chunk "zlib") if the stream is damaged, truncated or too large.
    public static func zlibDecompress(_ stream: [UInt8], limit: Int = 1 << 30) throws(PNGError) -> [UInt8] {
        var padded = stream
        padded.append(contentsOf: repeatElement(0, count: Inflater.inputPadding))
        let result = try padded.withUnsafeBufferPointer { p throws(PNGError) in
            try zlibDecompress(p.baseAddress!, count: stream.count, limit: max(0, limit), chunk: "zlib")
        }
        return result.array
    }

    /// Inflates the zlib stream of `chunk` ("IDAT", "iCCP" or "zlib"), readable for
    /// `Inflater.inputPadding` bytes past `count`, reporting failures as `PNGError`s.
    static func zlibDecompress(_ stream: UnsafePointer<UInt8>, count: Int, limit: Int,
                               chunk: String) throws(PNGError) -> ByteBuffer {
        do {
            return try Inflater.zlibDecompress(stream, count: count, limit: limit)
        } catch {
            throw PNGError(error, chunk: chunk)
        }
    }
}

extension PNGError {
    /// The PNG error for a zlib stream of `chunk` that failed to inflate.
    init(_ error: InflateError, chunk: String) {
        switch error {
        case let .tooMuchData(offset, limit): self = .tooMuchData(chunk: chunk, offset: offset, limit: limit)
        case let .corruptStream(offset, reason): self = .corruptStream(chunk: chunk, offset: offset, reason: reason)
        case .truncatedStream: self = .truncatedStream(chunk: chunk)
        case let .streamChecksumMismatch(declared, computed):
            self = .streamChecksumMismatch(chunk: chunk, declared: declared, computed: computed)
        }
    }
}
