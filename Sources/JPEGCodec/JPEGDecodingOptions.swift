/// Options for ``JPEGDecoder``.
public struct JPEGDecodingOptions: Sendable, Equatable {
    /// Largest width × height accepted, checked from the frame header before any pixel
    /// memory is allocated. Default 512 megapixels.
    public var maxPixels: Int

    /// Options with the given pixel limit.
    /// - Parameter maxPixels: largest width × height to accept (default 512 000 000).
    public init(maxPixels: Int = 512_000_000) {
        self.maxPixels = maxPixels
    }
}
