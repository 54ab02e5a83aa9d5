/// One component's decoded samples and how to produce full-resolution rows from them.
///
/// The samples live in a ring of three bands of `bandRows` rows (one MCU row each):
/// sample row `r` is at ring row `(r / bandRows) % 3 · bandRows + r % bandRows`. While the
/// output rows of band k are made, bands k − 1, k and k + 1 are present, which covers the
/// one row of context above and below that the triangle filters need.
struct ComponentPlane {
    /// Ring buffer of `3 · bandRows` rows, `stride` samples per row.
    var samples: UnsafePointer<UInt8>
    var stride: Int
    /// Rows per band (8 · the component's vertical sampling factor).
    var bandRows: Int
    /// Real samples per row and rows (libjpeg's downsampled_width / downsampled_height).
    var width: Int
    var height: Int
    var method: UpsamplingMethod

    /// Writes output row `y` of `outputWidth` samples into `out` (which must have room for
    /// `outputWidth` rounded up to an even count plus the component's expansion), or returns
    /// a pointer straight into the plane for full-size components.
    /// Start of sample row `r` in the ring.
    @inline(__always)
    func sampleRow(_ r: Int) -> UnsafePointer<UInt8> {
        samples + (((r / bandRows) % 3) * bandRows + r % bandRows) * stride
    }

    @inline(__always)
    func row(_ y: Int, outputWidth: Int, into out: UnsafeMutablePointer<UInt8>,
             colsum: UnsafeMutablePointer<Int32>) -> UnsafePointer<UInt8> {
        switch method {
        case .fullSize:
            return sampleRow(y)
        case .box(let h, let v):
            let src = sampleRow(y / v)
            if h == 1 {
                return src
            }
            var x = 0
            var i = 0
            while x < outputWidth {
                let s = src[i]
                for k in 0..<h { out[x + k] = s }
                x += h
                i += 1
            }
            return UnsafePointer(out)
        case .h2v1Fancy:
            let s = sampleRow(y)
            let last = width - 1
            out[0] = s[0]
            out[1] = UInt8(truncatingIfNeeded: (Int32(s[0]) &* 3 &+ Int32(s[1]) &+ 2) &>> 2)
            for i in 1..<last {
                let here = Int32(s[i]) &* 3
                out[2 &* i] = UInt8(truncatingIfNeeded: (here &+ Int32(s[i &- 1]) &+ 1) &>> 2)
                out[2 &* i &+ 1] = UInt8(truncatingIfNeeded: (here &+ Int32(s[i &+ 1]) &+ 2) &>> 2)
            }
            out[2 * last] = UInt8(truncatingIfNeeded: (Int32(s[last]) &* 3 &+ Int32(s[last - 1]) &+ 1) &>> 2)
            out[2 * last + 1] = s[last]
            return UnsafePointer(out)
        case .h1v2Fancy:
            let inRow = y >> 1
            let near = sampleRow(inRow)
            let farRow = (y & 1) == 0 ? max(inRow - 1, 0) : min(inRow + 1, height - 1)
            let far = sampleRow(farRow)
            let bias: Int32 = (y & 1) == 0 ? 1 : 2
            for x in 0..<width {
                out[x] = UInt8(truncatingIfNeeded: (Int32(near[x]) &* 3 &+ Int32(far[x]) &+ bias) &>> 2)
            }
            return UnsafePointer(out)
        case .h2v2Fancy:
            let inRow = y >> 1
            let near = sampleRow(inRow)
            let farRow = (y & 1) == 0 ? max(inRow - 1, 0) : min(inRow + 1, height - 1)
            let far = sampleRow(farRow)
            for x in 0..<width {
                colsum[x] = Int32(near[x]) &* 3 &+ Int32(far[x])
            }
            let last = width - 1
            out[0] = UInt8(truncatingIfNeeded: (colsum[0] &* 4 &+ 8) &>> 4)
            out[1] = UInt8(truncatingIfNeeded: (colsum[0] &* 3 &+ colsum[1] &+ 7) &>> 4)
            for i in 1..<last {
                let here = colsum[i] &* 3
                out[2 &* i] = UInt8(truncatingIfNeeded: (here &+ colsum[i &- 1] &+ 8) &>> 4)
                out[2 &* i &+ 1] = UInt8(truncatingIfNeeded: (here &+ colsum[i &+ 1] &+ 7) &>> 4)
            }
            out[2 * last] = UInt8(truncatingIfNeeded: (colsum[last] &* 3 &+ colsum[last - 1] &+ 8) &>> 4)
            out[2 * last + 1] = UInt8(truncatingIfNeeded: (colsum[last] &* 4 &+ 7) &>> 4)
            return UnsafePointer(out)
        }
    }
}
