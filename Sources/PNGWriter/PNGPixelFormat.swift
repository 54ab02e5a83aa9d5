/// The sample layouts the encoder writes.
public enum PNGPixelFormat: Sendable, Hashable, CaseIterable {
    /// 8-bit grayscale: one `UInt8` per pixel (colour type 0).
    case gray8
    /// 8-bit grayscale with alpha: two `UInt8` per pixel, gray then alpha (colour type 4).
    case grayAlpha8
    /// 8-bit RGB: three `UInt8` per pixel (colour type 2).
    case rgb8
    /// 8-bit RGBA: four `UInt8` per pixel, alpha not premultiplied (colour type 6).
    case rgba8
    /// 16-bit grayscale: one `UInt16` per pixel (colour type 0).
    case gray16
    /// 16-bit RGB: three `UInt16` per pixel (colour type 2).
    case rgb16

    /// Samples per pixel.
    public var channels: Int {
        switch self {
        case .gray8, .gray16: return 1
        case .grayAlpha8: return 2
        case .rgb8, .rgb16: return 3
        case .rgba8: return 4
        }
    }

    /// Bits per sample (8 or 16).
    public var bitDepth: Int {
        switch self {
        case .gray16, .rgb16: return 16
        default: return 8
        }
    }

    /// The PNG colour type written to IHDR.
    public var colorType: UInt8 {
        switch self {
        case .gray8, .gray16: return 0
        case .rgb8, .rgb16: return 2
        case .grayAlpha8: return 4
        case .rgba8: return 6
        }
    }
}
