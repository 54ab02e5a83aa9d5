/// The MLP's hidden activation, LeCun's scaled hyperbolic tangent `f(x) = 1.7159 · tanh(2/3 · x)`,
/// and its derivative, applied in place over buffers.
///
/// Reference implementation (scalar, exact to ~1 ulp of Float); the SIMD approximation with a
/// tested error bound replaces it.
public enum ScaledTanh {
    /// The output scale `A` of `A · tanh(B · x)`.
    public static let outerScale: Float = 1.7159
    /// The input scale `B` of `A · tanh(B · x)`.
    public static let innerScale: Float = 2.0 / 3.0

    /// Replaces every `x[i]` (i < count) with `1.7159 · tanh(2/3 · x[i])`.
    public static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            x[i] = outerScale * Float(tanhDouble(Double(innerScale * x[i])))
        }
    }

    /// Multiplies every gradient `g[i]` by `f'(x[i])`, computed from the activation's output
    /// `y[i] = f(x[i])` as `B · (A − y²/A)`.
    public static func multiplyByDerivative(output y: UnsafePointer<Float>,
                                            gradient g: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            g[i] *= innerScale * (outerScale - y[i] * y[i] / outerScale)
        }
    }

    /// tanh in Double from exp, with exp computed by range reduction (x = n·ln2 + r) and a
    /// Taylor series on |r| ≤ ln2/2; saturates to ±1 beyond |x| = 20.
    static func tanhDouble(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 20 { return 1 }
        if x < -20 { return -1 }
        let e = expDouble(2 * x)
        return (e - 1) / (e + 1)
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
