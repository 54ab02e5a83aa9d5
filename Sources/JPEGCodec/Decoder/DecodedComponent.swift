/// One component of a decoded JPEG file in the DCT domain.
public struct DecodedComponent: Sendable, Equatable {
    /// Component identifier from the frame header.
    public var id: Int
    /// Horizontal sampling factor (1…4).
    public var horizontalSampling: Int
    /// Vertical sampling factor (1…4).
    public var verticalSampling: Int
    /// The 64 quantization steps used for this component, natural (row-major) order.
    public var quantizationTable: [UInt16]
    /// Blocks per row of the coefficient plane (padded to whole MCUs).
    public var widthInBlocks: Int
    /// Block rows of the coefficient plane (padded to whole MCUs).
    public var heightInBlocks: Int
    /// Quantized DCT coefficients: `widthInBlocks · heightInBlocks` blocks, row-major, each
    /// 64 values in natural order (index `8 · v + u`). Blocks in the MCU padding hold what
    /// the file coded there (zero if nothing). Empty when decoded with
    /// ``JPEGDecodingOptions/keepCoefficients`` false.
    public var coefficients: [Int16]
    /// Samples per row this component really has (⌈width · H / Hmax⌉).
    public var sampleWidth: Int
    /// Rows this component really has (⌈height · V / Vmax⌉).
    public var sampleHeight: Int
}
