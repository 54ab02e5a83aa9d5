/// The MLP's hidden activation, LeCun's scaled hyperbolic tangent `f(x) = 1.7159 · tanh(2/3 · x)`,
/// and its derivative, applied in place over buffers with a `SIMD16<Float>` approximation.
///
/// Accuracy (tested against a Double reference over a dense sweep of [-30, 30] and special values
/// in `ActivationTests`): relative error `|f̃(x) − f(x)| ≤ 4 · 2⁻²³ · |f(x)|` for every finite `x`,
/// i.e. within a few ulps; `f̃(0) = 0`, `f̃(−x) = −f̃(x)`, and `|f̃(x)| ≤ 1.7159` exactly saturates
/// for `|x| ≥ 15`. NaN inputs give ±1.7159 (the clamp treats them as large).
///
/// Method: with `y = |2/3 · x|` clamped to 10, `tanh(y) = e / (e + 2)` where `e = expm1(2y)`.
/// `expm1(z)` uses the range reduction `z = n·ln2 + r`, `|r| ≤ ln2/2`, a degree-7 Taylor
/// polynomial for `expm1(r)` (truncation < 2⁻²⁶ relative), and `expm1(z) = 2ⁿ·expm1(r) + (2ⁿ − 1)`,
/// which is free of cancellation, so small inputs keep full relative precision. The sign is restored
/// from `x`.
public enum ScaledTanh {
    /// The output scale `A` of `A · tanh(B · x)`.
    public static let outerScale: Float = 1.7159
    /// The input scale `B` of `A · tanh(B · x)`.
    public static let innerScale: Float = 2.0 / 3.0

    /// Replaces every `x[i]` (i < count, count ≥ 0) with `1.7159 · tanh(2/3 · x[i])`.
    public static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let raw = UnsafeMutableRawPointer(x)
        var i = 0
        while i + 16 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            raw.storeBytes(of: apply(v), toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        if i < count {
            var v = SIMD16<Float>()
            for l in 0..<(count - i) { v[l] = x[i + l] }
            let r = apply(v)
            for l in 0..<(count - i) { x[i + l] = r[l] }
        }
    }

    /// `1.7159 · tanh(2/3 · x)` on 16 lanes (error bound in the type's documentation).
    @inlinable @inline(__always)
    public static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        typealias F = SIMD16<Float>
        typealias U = SIMD16<UInt32>
        let bits = unsafeBitCast(x, to: U.self)
        let sign = bits & U(repeating: 0x8000_0000)
        let magnitude = unsafeBitCast(bits & U(repeating: 0x7FFF_FFFF), to: F.self)
        // z = 2·|B·x|, clamped to 20 where tanh is 1 in Float (tanh(10) = 1 − 4e-9). The clamp is
        // an integer min on the bit patterns (monotonic for non-negative floats): the stdlib's
        // `pointwiseMin` is not inlined and runs lane by lane.
        typealias I = SIMD16<Int32>
        let zRaw = unsafeBitCast(magnitude * (2 * innerScale), to: I.self)
        let limit = I(repeating: 0x41A0_0000)  // 20.0
        let d = zRaw &- limit
        let z = unsafeBitCast(limit &+ (d & (d &>> 31)), to: F.self)
        // n = round(z / ln2) via the 1.5·2²³ trick: the low bits of t hold n.
        // (Plain `*` and `+` here: LLVM splits long chains of SIMD `addingProduct` into scalar and
        // 128-bit pieces, while multiply-add pairs stay whole zmm operations.)
        let magic = F(repeating: 12_582_912)
        let t = z * F(repeating: 1.442_695_04) + magic
        let n = t - magic
        // r = z − n·ln2 in two steps (Cody–Waite): ln2 = 0.693145751953125 + 1.428606765330187e-6;
        // the first product is exact (the high part has 12 significant bits, n ≤ 29).
        let r = (z - n * F(repeating: 0.693_145_751_953_125)) - n * F(repeating: 1.428_606_765_330_187e-6)
        // expm1(r) ≈ r + r²·(1/2 + r/6 + r²/24 + r³/120 + r⁴/720 + r⁵/5040), Horner form.
        var q = F(repeating: 1.0 / 720) + r * F(repeating: 1.0 / 5040)
        q = F(repeating: 1.0 / 120) + r * q
        q = F(repeating: 1.0 / 24) + r * q
        q = F(repeating: 1.0 / 6) + r * q
        q = F(repeating: 0.5) + r * q
        let p = r + (r * r) * q
        // 2ⁿ from the exponent field: n ∈ [0, 29].
        let nInt = unsafeBitCast(t, to: U.self) &- unsafeBitCast(magic, to: U.self)
        let twoN = unsafeBitCast((nInt &+ U(repeating: 127)) &<< U(repeating: 23), to: F.self)
        let e = (twoN - F(repeating: 1)) + twoN * p
        let tanhAbs = e / (e + F(repeating: 2))
        let f = tanhAbs * outerScale
        return unsafeBitCast(unsafeBitCast(f, to: U.self) | sign, to: F.self)
    }

    /// Multiplies every gradient `g[i]` (i < count) by `f'(x[i])`, computed from the activation's
    /// output `y[i] = f(x[i])` as `B · (A − y²/A)` (exact formula, rounding error only).
    public static func multiplyByDerivative(output y: UnsafePointer<Float>,
                                            gradient g: UnsafeMutablePointer<Float>, count: Int) {
        let ry = UnsafeRawPointer(y), rg = UnsafeMutableRawPointer(g)
        var i = 0
        while i + 16 <= count {
            let vy = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let vg = rg.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rg.storeBytes(of: derivative(output: vy) * vg, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            g[i] *= innerScale * (outerScale - y[i] * y[i] / outerScale)
            i += 1
        }
    }

    /// `f'(x)` on 16 lanes from the output `y = f(x)`: `B·A − (B/A)·y²`.
    @inlinable @inline(__always)
    public static func derivative(output y: SIMD16<Float>) -> SIMD16<Float> {
        let ba = SIMD16<Float>(repeating: innerScale * outerScale)
        return ba.addingProduct(SIMD16<Float>(repeating: -innerScale / outerScale), y * y)
    }

    /// Reference: `1.7159 · tanh(2/3 · x)` in Double, for tests.
    static func reference(_ x: Double) -> Double {
        Double(outerScale) * tanhDouble(Double(innerScale) * x)
    }

    /// tanh in Double from exp, with exp computed by range reduction (x = n·ln2 + r) and a
    /// Taylor series on |r| ≤ ln2/2; saturates to ±1 beyond |x| = 20. Uses expm1 form near 0.
    static func tanhDouble(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 20 { return 1 }
        if x < -20 { return -1 }
        let e = expm1Double(2 * abs(x))
        let t = e / (e + 2)
        return x < 0 ? -t : t
    }

    /// expm1 in Double: Taylor series on |x| < 0.5, `exp(x) − 1` beyond (no cancellation there).
    static func expm1Double(_ x: Double) -> Double {
        if abs(x) < 0.5 {
            var term = x, sum = x
            for k in 2...30 {
                term *= x / Double(k)
                sum += term
            }
            return sum
        }
        return expDouble(x) - 1
    }

    static func expDouble(_ x: Double) -> Double {
        let ln2 = 0.6931471805599453
        let n = (x / ln2).rounded()
        let r = x - n * ln2
        var term = 1.0, sum = 1.0
        for k in 1...20 {
            term *= r / Double(k)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(n), significand: 1)
    }
}
