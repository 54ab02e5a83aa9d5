import JPEGCodec

/// The re-encode the cleaner undoes, simulated exactly: our encoder is byte-identical with
/// Pillow/libjpeg, and our decoder pixel-identical with libjpeg-turbo's.
public struct Degradation: Equatable, Sendable {
    /// JPEG quality 1…100 (Twitter: 85).
    public var quality: Int
    /// Chroma subsampling (Twitter: 4:2:0).
    public var subsampling: EncoderOptions.Subsampling

    /// A degradation; the default is Twitter's re-encode.
    public init(quality: Int = 85, subsampling: EncoderOptions.Subsampling = .yuv420) {
        self.quality = quality
        self.subsampling = subsampling
    }

    /// The JPEG file Pillow would write for `image`.
    public func encode(_ image: RasterImage) throws -> [UInt8] {
        try JPEGEncoder.encode(image, options: EncoderOptions(quality: quality, subsampling: subsampling))
    }

    /// `image` after the round trip through a JPEG file: the plain decode and its coefficients.
    public func apply(to image: RasterImage) throws -> CleanerInput {
        CleanerInput(try JPEGDecoder.decode(try encode(image)))
    }
}
