/// How the samples of a JPEG file are to be read as colour (libjpeg's `jpeg_color_space`).
public enum JPEGColorSpace: String, Sendable, Equatable {
    /// One component: luminance only.
    case grayscale
    /// Three components Y, Cb, Cr (JFIF), converted to RGB on decoding.
    case yCbCr
    /// Three components stored as R, G, B (Adobe APP14 transform 0, or ids 'R','G','B').
    case rgb
    /// Four components (CMYK or YCCK): recognised but not decoded.
    case cmykOrYCCK
    /// Any other component count.
    case unknown
}
