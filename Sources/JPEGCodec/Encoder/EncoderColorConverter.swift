/// libjpeg's fixed-point RGB → YCbCr conversion (jccolor.c `rgb_ycc_convert`), bit-exact.
///
/// JFIF YCbCr with 16 fraction bits:
///
///     Y  = ( 0.29900·R + 0.58700·G + 0.11400·B)                 rounded half up
///     Cb = (−0.16874·R − 0.33126·G + 0.50000·B) + 128          rounded with ½ − ε
///     Cr = ( 0.50000·R − 0.41869·G − 0.08131·B) + 128          rounded with ½ − ε
///
/// Each coefficient is `FIX(c) = Int(c · 65536 + 0.5)`. libjpeg adds `ONE_HALF` (2¹⁵) to Y
/// before the shift but `ONE_HALF − 1` to Cb and Cr (so that a full-scale 255 cannot
/// round up to 256); the sums are then shifted right by 16. libjpeg-turbo's SIMD
/// converters produce the same integers as its table-driven C code.
enum EncoderColorConverter {
    static let scaleBits: Int32 = 16
    static let oneHalf: Int32 = 1 << 15
    static let cbcrOffset: Int32 = 128 << 16

    /// `FIX(x)` of jccolor.c.
    static func fix(_ x: Double) -> Int32 { Int32(x * 65536 + 0.5) }

    // FIX(0.29900), FIX(0.58700), FIX(0.11400), FIX(0.16874), FIX(0.33126), FIX(0.5),
    // FIX(0.41869), FIX(0.08131); a test checks them against `fix`.
    static let yR: Int32 = 19595, yG: Int32 = 38470, yB: Int32 = 7471
    static let cbR: Int32 = 11059, cbG: Int32 = 21709, half: Int32 = 32768
    static let crG: Int32 = 27439, crB: Int32 = 5329

    /// Converts one pixel (for tests and reference).
    static func convert(r: UInt8, g: UInt8, b: UInt8) -> (y: UInt8, cb: UInt8, cr: UInt8) {
        let r = Int32(r), g = Int32(g), b = Int32(b)
        let y = (yR * r + yG * g + yB * b + oneHalf) >> scaleBits
        let cb = (-cbR * r - cbG * g + half * b + cbcrOffset + oneHalf - 1) >> scaleBits
        let cr = (half * r - crG * g - crB * b + cbcrOffset + oneHalf - 1) >> scaleBits
        return (UInt8(y), UInt8(cb), UInt8(cr))
    }

    /// Converts `count` interleaved RGB pixels at `rgb` into three planes' rows.
    @inline(__always)
    static func convertRow(_ rgb: UnsafePointer<UInt8>, count: Int,
                           y yOut: UnsafeMutablePointer<UInt8>,
                           cb cbOut: UnsafeMutablePointer<UInt8>,
                           cr crOut: UnsafeMutablePointer<UInt8>) {
        let yR = Self.yR, yG = Self.yG, yB = Self.yB
        let cbR = Self.cbR, cbG = Self.cbG, half = Self.half
        let crG = Self.crG, crB = Self.crB
        let yBias = oneHalf
        let cBias = cbcrOffset + oneHalf - 1
        for x in 0..<count {
            let r = Int32(rgb[3 * x]), g = Int32(rgb[3 * x + 1]), b = Int32(rgb[3 * x + 2])
            yOut[x] = UInt8(truncatingIfNeeded: (yR &* r &+ yG &* g &+ yB &* b &+ yBias) &>> 16)
            cbOut[x] = UInt8(truncatingIfNeeded: (half &* b &- cbR &* r &- cbG &* g &+ cBias) &>> 16)
            crOut[x] = UInt8(truncatingIfNeeded: (half &* r &- crG &* g &- crB &* b &+ cBias) &>> 16)
        }
    }
}
