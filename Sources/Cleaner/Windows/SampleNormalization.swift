/// An affine map of the 8-bit sample scale to the network's scale:
/// `normalized = (sample − offset) · scale`. Residuals (differences of samples) scale by
/// `scale` alone.
public struct SampleNormalization: Equatable, Sendable {
    /// Subtracted from 8-bit samples before scaling.
    public var offset: Float
    /// Multiplies the shifted samples (must be non-zero).
    public var scale: Float

    /// A normalisation `(x − offset) · scale`.
    public init(offset: Float, scale: Float) {
        precondition(scale != 0, "scale must be non-zero")
        self.offset = offset
        self.scale = scale
    }

    /// The 8-bit scale itself (0…255).
    public static let identity = SampleNormalization(offset: 0, scale: 1)
    /// `(x − 128) / 64`: 0…255 maps to −2…1.984, a range suited to a scaled-tanh network.
    public static let centred = SampleNormalization(offset: 128, scale: 1.0 / 64)
    /// `x / 255`: 0…255 maps to [0, 1].
    public static let unit = SampleNormalization(offset: 0, scale: 1.0 / 255)

    /// `(sample − offset) · scale`.
    @inlinable public func normalize(_ sample: Float) -> Float { (sample - offset) * scale }
    /// `value / scale + offset`.
    @inlinable public func denormalize(_ value: Float) -> Float { value / scale + offset }
}
