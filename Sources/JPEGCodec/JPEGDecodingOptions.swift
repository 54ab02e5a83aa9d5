/// Options for ``JPEGDecoder``.
public struct JPEGDecodingOptions: Sendable, Equatable {
    /// Largest width × height accepted, checked from the frame header before any pixel
    /// memory is allocated. Default 512 megapixels.
    public var maxPixels: Int

    /// Keep the quantized DCT coefficients in ``DecodedJPEG/components`` (default). When
    /// false, the coefficient arrays are empty and a file whose first scan holds every
    /// component (the usual single-scan baseline file) is decoded in one pass, MCU row by
    /// MCU row, without whole-image coefficient planes: less memory, and faster.
    public var keepCoefficients: Bool

    /// Options with the given pixel limit.
    /// - Parameters:
    ///   - maxPixels: largest width × height to accept (default 512 000 000).
    ///   - keepCoefficients: return the coefficients too (default true).
    public init(maxPixels: Int = 512_000_000, keepCoefficients: Bool = true) {
        self.maxPixels = maxPixels
        self.keepCoefficients = keepCoefficients
    }
}
