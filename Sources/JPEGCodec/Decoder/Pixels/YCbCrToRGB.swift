/// libjpeg's fixed-point YCbCr → RGB conversion (jdcolor.c `ycc_rgb_convert`, SCALEBITS 16):
///
///     R = Y + Cr_r[Cr]
///     G = Y + ((Cb_g[Cb] + Cr_g[Cr]) >> 16)
///     B = Y + Cb_b[Cb]
///
/// with the tables built from FIX(1.40200), FIX(1.77200), FIX(0.71414), FIX(0.34414) and
/// ONE_HALF rounding (folded into Cr_r, Cb_b and Cb_g), each result clamped to 0…255.
enum YCbCrToRGB {
    /// Cr_r[i] = (91881 · (i − 128) + 2^15) >> 16.
    static let crToR: [Int32] = (0..<256).map { (91881 * Int32($0 - 128) + 32768) >> 16 }
    /// Cb_b[i] = (116130 · (i − 128) + 2^15) >> 16.
    static let cbToB: [Int32] = (0..<256).map { (116130 * Int32($0 - 128) + 32768) >> 16 }
    /// Cr_g[i] = −46802 · (i − 128).
    static let crToG: [Int32] = (0..<256).map { -46802 * Int32($0 - 128) }
    /// Cb_g[i] = −22554 · (i − 128) + 2^15.
    static let cbToG: [Int32] = (0..<256).map { -22554 * Int32($0 - 128) + 32768 }

    /// Converts `count` pixels of planar Y, Cb, Cr rows to interleaved RGB at `out`.
    ///
    /// The table entries are computed inline (they are exactly the formulas above), which
    /// lets the compiler vectorize the loop; the tables remain as the documented reference.
    @inline(__always)
    static func convertRow(y: UnsafePointer<UInt8>, cb: UnsafePointer<UInt8>, cr: UnsafePointer<UInt8>,
                           count: Int, out: UnsafeMutablePointer<UInt8>) {
        for x in 0..<count {
            let l = Int32(y[x]), b = Int32(cb[x]) - 128, r = Int32(cr[x]) - 128
            let red = l + ((91881 * r + 32768) >> 16)
            let green = l + ((-22554 * b - 46802 * r + 32768) >> 16)
            let blue = l + ((116130 * b + 32768) >> 16)
            out[3 * x] = UInt8(truncatingIfNeeded: min(max(red, 0), 255))
            out[3 * x + 1] = UInt8(truncatingIfNeeded: min(max(green, 0), 255))
            out[3 * x + 2] = UInt8(truncatingIfNeeded: min(max(blue, 0), 255))
        }
    }
}
