import JPEGCodec

/// What the cleaner needs from a decoded JPEG: its plain decode and the coefficients the
/// file stores (the evidence the DCT-domain projection enforces).
public struct CleanerInput: Equatable, Sendable {
    /// The plain decode, 8-bit gray (1 channel) or RGB (3 channels), at image size.
    public var image: RasterImage
    /// One entry per frame component in frame order: Y for gray; Y, Cb, Cr for colour
    /// (JFIF YCbCr). Empty when the coefficients are unknown (no projection then).
    public var components: [CoefficientPlane]

    /// Bundles a decode with its coefficients.
    public init(image: RasterImage, components: [CoefficientPlane] = []) {
        self.image = image
        self.components = components
    }
}
