/// Square roots without libm.
///
/// The standard library's `squareRoot()` calls `sqrtf`/`sqrt` from libm in debug builds (which
/// then fail to link without `-lm`) and, on `SIMD16<Float>`, runs one scalar `vsqrtss` per lane
/// even in release builds. Net needs square roots only in Adam's update and in a few scalar
/// set-up computations, so it computes them here: an inverse-square-root bit-trick estimate
/// refined by Newton's iteration, in pure arithmetic that vectorises.
enum SquareRoot {
    /// `√x` for finite `x ≥ 0`, to within a few units in the last place of Double.
    static func of(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x.isFinite else { return x }
        // Rescale into [0.5, 2) by an even power of two so the estimate is good everywhere.
        let e = x.exponent
        let half = e / 2
        let m = Double(sign: .plus, exponent: e - 2 * half, significand: x.significand)
        var y = Double(bitPattern: 0x5FE6_EB50_C7B5_37A9 &- (m.bitPattern >> 1))  // ≈ 1/√m
        for _ in 0..<5 { y = y * (1.5 - 0.5 * m * y * y) }
        var s = m * y
        s = 0.5 * (s + m / s)
        return Double(sign: .plus, exponent: half, significand: s)
    }

    /// `√x` lane by lane for finite `x ≥ 0` (relative error below 1e-6; exactly 0 for 0).
    @inline(__always)
    static func of(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let bits = SIMD16<UInt32>(repeating: 0x5F37_59DF) &- (x.bitPattern(as: SIMD16<UInt32>.self) &>> 1)
        var y = SIMD16<Float>(bitPattern: bits)  // ≈ 1/√x, 3.4 % error
        let halfX = 0.5 * x
        for _ in 0..<3 { y = y * (1.5 - halfX * y * y) }  // 1.7e-3, 4.6e-6, < 1e-7
        return x * y
    }
}

extension SIMD16 where Scalar == Float {
    /// The lanes' bit patterns.
    @inline(__always)
    func bitPattern(as _: SIMD16<UInt32>.Type) -> SIMD16<UInt32> {
        unsafeBitCast(self, to: SIMD16<UInt32>.self)
    }

    /// Lanes from bit patterns.
    @inline(__always)
    init(bitPattern bits: SIMD16<UInt32>) {
        self = unsafeBitCast(bits, to: SIMD16<Float>.self)
    }
}
