/// How the samples of a JPEG file are to be read as colour (libjpeg's `jpeg_color_space`).
public enum JPEGColorSpace: String, Sendable, Equatable {
    /// One component: luminance only.
    case grayscale
    /// Three components Y, Cb, Cr (JFIF), converted to RGB on decoding.
    case yCbCr
    /// Three components stored as R, G, B (Adobe APP14 transform 0, or ids 'R','G','B').
    case rgb
    /// Four components C, M, Y, K as stored (Adobe APP14 transform 0, or no Adobe marker);
    /// decoded to RGB the way Pillow converts libjpeg's CMYK output (Adobe-inverted):
    /// R = C·K/255, G = M·K/255, B = Y·K/255, rounded.
    case cmyk
    /// Four components Y, Cb, Cr, K (Adobe APP14 transform 2, or another nonzero value):
    /// YCbCr → RGB, each inverted (libjpeg's YCCK → CMYK), then as ``cmyk``.
    case ycck
    /// Any other component count.
    case unknown
}
