/// An 8-bit image in memory: `height` rows of `width` pixels, each pixel `channels`
/// interleaved samples (1: gray, 3: R, G, B), rows stored top to bottom with no padding.
public struct RasterImage: Equatable, Sendable {
    /// Width in pixels (≥ 1 for an image from the decoder).
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Samples per pixel: 1 (gray) or 3 (RGB).
    public var channels: Int
    /// `width · height · channels` samples, row-major, interleaved.
    public var pixels: [UInt8]

    /// Wraps `pixels`; `pixels.count` must be `width · height · channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "RasterImage holds gray or RGB pixels")
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * channels,
                     "RasterImage pixel count must be width × height × channels")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }
}
