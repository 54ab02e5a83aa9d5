/// The few transcendental functions the metrics need, in `Double`, from the standard
/// library alone (the module stays free of Foundation and libc). Accurate to a few ulps over
/// the ranges used here; not tuned for speed (they run a handful of times per image).
enum ElementaryFunctions {
    static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

    /// Natural logarithm of a positive finite `x` (−∞ for 0, NaN for negatives).
    static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return .infinity }
        // x = m · 2^e with m in [1, 2); move m into [√½, √2) so the series converges fast.
        var e = Double(x.exponent)
        var m = x.significand
        if m > 1.414_213_562_373_095_048_801_688_724_210 { m /= 2; e += 1 }  // √2
        // ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| < 0.172.
        let s = (m - 1) / (m + 1), s2 = s * s
        var term = s, sum = 0.0
        var k = 1.0
        while k < 60 {
            sum += term / k
            term *= s2
            k += 2
        }
        return 2 * sum + e * ln2
    }

    /// Base-10 logarithm.
    static func log10(_ x: Double) -> Double { log(x) / 2.302_585_092_994_045_684_017_991_454_684 }

    /// The nearest integer to `x` (halves away from zero) for |x| < 2⁶², by integer
    /// truncation: `Double.rounded()` can become a libm call (`round`) on baseline x86-64,
    /// and the libraries must link without libm.
    @inlinable
    static func roundedToInt(_ x: Double) -> Int {
        x >= 0 ? Int(x + 0.5) : -Int(-x + 0.5)
    }

    /// e^x for |x| ≲ 700.
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x > 709 { return .infinity }
        if x < -745 { return 0 }
        let k = Double(roundedToInt(x / ln2))
        let r = x - k * ln2                     // |r| ≤ ln2 / 2
        var term = 1.0, sum = 1.0
        for n in 1..<25 {
            term *= r / Double(n)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }
}
