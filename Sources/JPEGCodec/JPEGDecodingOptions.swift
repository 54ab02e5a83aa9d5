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

    /// Refuse damaged files that libjpeg would recover from (a truncated scan, a missing EOI,
    /// stray bytes between segments, an inconsistent progression, bad Huffman codes, wrong
    /// restart markers): the first such problem is thrown — as ``JPEGError/truncated(offset:)``,
    /// ``JPEGError/badHuffmanCode(offset:)`` or ``JPEGError/badRestartMarker(expected:offset:)``
    /// for those three, as ``JPEGError/damaged(_:)`` for the others. Default false: they are decoded the way
    /// libjpeg decodes them and listed in ``DecodedJPEG/warnings``.
    public var strict: Bool

    /// Options with the given pixel limit.
    /// - Parameters:
    ///   - maxPixels: largest width × height to accept (default 512 000 000).
    ///   - keepCoefficients: return the coefficients too (default true).
    ///   - strict: throw on damage that libjpeg recovers from (default false).
    public init(maxPixels: Int = 512_000_000, keepCoefficients: Bool = true, strict: Bool = false) {
        self.strict = strict
        self.maxPixels = maxPixels
        self.keepCoefficients = keepCoefficients
    }
}
