/// Why a zlib stream could not be inflated. Offsets count from the start of the zlib stream.
/// (The PNG decoder adds the chunk name and reports these as `PNGError`s.)
package enum InflateError: Error, Sendable, Equatable {
    /// The stream inflates to more than `limit` bytes (found at compressed byte `offset`).
    case tooMuchData(offset: Int, limit: Int)
    /// The stream is damaged at compressed byte `offset`: a bad header, block type, code
    /// lengths, symbol or distance, described by `reason`.
    case corruptStream(offset: Int, reason: String)
    /// The stream ends before its final block and checksum.
    case truncatedStream
    /// The Adler-32 at the end of the stream does not match the inflated data.
    case streamChecksumMismatch(declared: UInt32, computed: UInt32)
}
