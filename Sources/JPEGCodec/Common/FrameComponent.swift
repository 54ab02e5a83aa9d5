/// One component as the frame header (SOFn) declares it.
public struct FrameComponent: Sendable, Equatable {
    /// Component identifier Ci (any byte; 1, 2, 3 in JFIF files).
    public var id: Int
    /// Horizontal sampling factor Hi, 1…4.
    public var horizontalSampling: Int
    /// Vertical sampling factor Vi, 1…4.
    public var verticalSampling: Int
    /// Quantization table selector Tqi, 0…3.
    public var quantizationTableIndex: Int
}
