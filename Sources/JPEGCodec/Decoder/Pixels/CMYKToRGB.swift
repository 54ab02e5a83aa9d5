/// Four-component output as Pillow gives it for `Image.open(f).convert("RGB")`: libjpeg
/// outputs C, M, Y, K (converting YCCK to CMYK first: the YCbCr → RGB conversion of the first
/// three components, each subtracted from 255, K unchanged); Pillow reads that as
/// Adobe-inverted CMYK, so R = C·K/255, G = M·K/255, B = Y·K/255, rounded with its
/// `MULDIV255` ((t + 128 + ((t + 128) >> 8)) >> 8 for t = a·b).
enum CMYKToRGB {
    /// a·b/255 rounded to nearest, exactly as Pillow computes it.
    @inline(__always)
    static func mulDiv255(_ a: Int32, _ b: Int32) -> UInt8 {
        let t = a * b + 128
        return UInt8(truncatingIfNeeded: ((t >> 8) + t) >> 8)
    }

    /// Converts `count` pixels of four planar rows to interleaved RGB at `out`.
    static func convertRow(_ c0: UnsafePointer<UInt8>, _ c1: UnsafePointer<UInt8>, _ c2: UnsafePointer<UInt8>,
                           _ c3: UnsafePointer<UInt8>, count: Int, ycck: Bool, out: UnsafeMutablePointer<UInt8>) {
        for x in 0..<count {
            var c = Int32(c0[x]), m = Int32(c1[x]), yy = Int32(c2[x])
            let k = Int32(c3[x])
            if ycck {
                let l = c, b = m - 128, r = yy - 128
                c = 255 - min(max(l + ((91881 * r + 32768) >> 16), 0), 255)
                m = 255 - min(max(l + ((-22554 * b - 46802 * r + 32768) >> 16), 0), 255)
                yy = 255 - min(max(l + ((116130 * b + 32768) >> 16), 0), 255)
            }
            out[3 * x] = mulDiv255(c, k)
            out[3 * x + 1] = mulDiv255(m, k)
            out[3 * x + 2] = mulDiv255(yy, k)
        }
    }
}
