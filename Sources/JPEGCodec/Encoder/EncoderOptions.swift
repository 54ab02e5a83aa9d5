/// Settings for ``JPEGEncoder``. The defaults are what Pillow writes for
/// `image.save(path, "JPEG")`: quality 75, 4:2:0 chroma, standard Huffman tables, no
/// restart markers, no ICC profile.
public struct EncoderOptions: Equatable, Sendable {
    /// How the two chroma planes of an RGB image are subsampled.
    ///
    /// Ignored for gray images, which are written with 1×1 sampling like Pillow's
    /// default for mode "L". (Pillow writes the luma factors into the SOF of a gray image
    /// when `subsampling` is passed explicitly; that variant is not reproduced.)
    public enum Subsampling: Equatable, Sendable {
        /// No subsampling (Pillow `subsampling=0`): every component is 1×1.
        case yuv444
        /// Half horizontal chroma resolution (Pillow `subsampling=1`): luma 2×1.
        case yuv422
        /// Half horizontal and vertical chroma resolution (Pillow `subsampling=2`, its
        /// default): luma 2×2.
        case yuv420

        /// The luma sampling factors (horizontal, vertical); chroma is always 1×1.
        var lumaFactors: (horizontal: Int, vertical: Int) {
            switch self {
            case .yuv444: return (1, 1)
            case .yuv422: return (2, 1)
            case .yuv420: return (2, 2)
            }
        }
    }

    /// libjpeg quality 1…100, used to scale the Annex K tables (entries clamped to 1…255)
    /// unless ``quantizationTables`` is set.
    public var quality: Int
    /// Chroma subsampling of RGB input.
    public var subsampling: Subsampling
    /// Compute image-specific Huffman tables with libjpeg's `jpeg_gen_optimal_table`
    /// (Pillow `optimize=True`) instead of the standard Annex K tables.
    public var optimizeHuffman: Bool
    /// Restart interval in MCUs (Pillow `restart_marker_blocks`); 0 writes no restart
    /// markers. At most 65535.
    public var restartInterval: Int
    /// Restart interval in MCU rows (Pillow `restart_marker_rows`); when > 0 it overrides
    /// ``restartInterval`` with `rows × MCUs per row`, capped at 65535, as libjpeg does.
    public var restartRows: Int
    /// An ICC profile, written as APP2 `ICC_PROFILE` chunks after the JFIF segment.
    public var iccProfile: [UInt8]?
    /// Explicit quantization tables in natural (row-major) order, entries 1…32767: one
    /// table for every component, or two (luma, chroma). They are used as given, like
    /// Pillow's `qtables` without `quality` (``quality`` is then ignored; Pillow with both
    /// would scale the tables by `quality` percent). Entries above 255 are written with
    /// 16-bit precision (and an SOF1 frame), as libjpeg does. `nil` scales the standard
    /// tables by ``quality``.
    public var quantizationTables: [[UInt16]]?

    /// Creates options; every parameter defaults to Pillow's default.
    public init(quality: Int = 75, subsampling: Subsampling = .yuv420,
                optimizeHuffman: Bool = false, restartInterval: Int = 0,
                restartRows: Int = 0, iccProfile: [UInt8]? = nil,
                quantizationTables: [[UInt16]]? = nil) {
        self.quality = quality
        self.subsampling = subsampling
        self.optimizeHuffman = optimizeHuffman
        self.restartInterval = restartInterval
        self.restartRows = restartRows
        self.iccProfile = iccProfile
        self.quantizationTables = quantizationTables
    }
}
