/// One component's samples for ``JPEGEncoder/encode(planes:width:height:options:)``:
/// Y, Cb or Cr (or gray), already converted and downsampled, `height` rows of `width`
/// samples with no padding.
struct EncoderPlane: Equatable, Sendable {
    /// Samples per row.
    var width: Int
    /// Number of rows.
    var height: Int
    /// `width · height` samples, row-major.
    var samples: [UInt8]

    /// Wraps `samples` (the count is checked when encoding).
    init(width: Int, height: Int, samples: [UInt8]) {
        self.width = width
        self.height = height
        self.samples = samples
    }
}
