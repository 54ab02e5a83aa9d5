/// Quantization of forward-DCT output, equal to libjpeg's for every input.
///
/// libjpeg divides each coefficient (scaled by 8 by the FDCT) by `d = 8 · q`, rounding
/// half away from zero: `sign(x) · ⌊(|x| + d/2) / d⌋` (jcdctmgr.c `quantize`).
/// libjpeg-turbo gets the same integers by multiplying with a 16-bit reciprocal plus a
/// correction term (`compute_reciprocal`, the round-down/round-up method that is exact
/// for 16-bit numerators). Here each division is a multiplication by
/// `m = ⌈2⁴⁰ / d⌉` and a shift by 40, which is exact for every numerator below 2²² and
/// every divisor below 2²² (the error term `n·(m·d − 2⁴⁰)/(d·2⁴⁰) < n/2⁴⁰` never
/// reaches the distance `1/d` from `n/d` to the next integer). A test checks it against
/// plain division.
struct EncoderQuantizer: Sendable {
    /// Per coefficient in natural order: the multiplier `⌈2⁴⁰ / 8q⌉`.
    var multipliers: [UInt64]
    /// Per coefficient in natural order: the rounding term `4q`.
    var halves: [UInt64]

    /// - Parameter table: 64 quantization steps in natural order.
    init(table: [UInt16]) {
        precondition(table.count == 64)
        var multipliers = [UInt64](repeating: 0, count: 64)
        var halves = [UInt64](repeating: 0, count: 64)
        for k in 0..<64 {
            let d = UInt64(table[k]) * 8
            multipliers[k] = ((1 << 40) + d - 1) / d
            halves[k] = d / 2
        }
        self.multipliers = multipliers
        self.halves = halves
    }

    /// Quantizes one coefficient `x` with its divisor's constants.
    @inline(__always)
    static func quantize(_ x: Int32, multiplier: UInt64, half: UInt64) -> Int16 {
        let magnitude = UInt64(x.magnitude)
        let q = Int16(truncatingIfNeeded: ((magnitude &+ half) &* multiplier) &>> 40)
        return x < 0 ? 0 &- q : q
    }
}
