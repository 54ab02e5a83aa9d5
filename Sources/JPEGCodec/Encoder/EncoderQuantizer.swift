/// Quantization of forward-DCT output, equal to libjpeg's for every coefficient the FDCT
/// of 8-bit samples produces (|x| < 2¹⁵: libjpeg-turbo keeps them in 16 bits).
///
/// libjpeg divides each coefficient (scaled by 8 by the FDCT) by `d = 8 · q`, rounding
/// half away from zero: `sign(x) · ⌊(|x| + d/2) / d⌋` (jcdctmgr.c `quantize`).
/// libjpeg-turbo gets the same integers by multiplying with a 16-bit reciprocal plus a
/// correction term (`compute_reciprocal`). Here each division of `n = |x| + d/2` is a
/// 32 × 32 → 64-bit multiplication by `m = ⌈2ˢ / d⌉`, keeping the high 32 bits, then a
/// right shift by `s − 32`, with `s = 32` for `d < 2¹⁴` (q ≤ 2047) and `s = 36` above.
/// It is exact whenever `n · d < 2ˢ` (the error `n·(m·d − 2ˢ)/(d·2ˢ) < n/2ˢ` stays below
/// the distance `1/d` from `n/d` to the next integer): `n < 2¹⁵ + 2¹³` gives
/// `n · d < 2³⁰` for `s = 32`, and `n < 2¹⁵ + 2¹⁷`, `d < 2¹⁸` give `n · d < 2³⁶` for `s = 36`;
/// `m` fits 32 bits in both cases (`m ≤ 2²⁹`, `m ≤ 2²²`). The vector path
/// (``EncoderForwardDCT/transformAndQuantize(_:stride:quantizer:into:)``) multiplies with
/// one `vpmuludq` per 8 lanes. A test checks it against plain division.
struct EncoderQuantizer: Sendable {
    /// Per coefficient in natural order: the multiplier `⌈2ˢ / 8q⌉`.
    var multipliers: [UInt32]
    /// Per coefficient in natural order: the rounding term `4q`.
    var halves: [UInt32]
    /// Per coefficient in natural order: `s − 32` (0 or 4).
    var shifts: [UInt32]

    /// - Parameter table: 64 quantization steps (1…32767) in natural order.
    init(table: [UInt16]) {
        precondition(table.count == 64)
        var multipliers = [UInt32](repeating: 0, count: 64)
        var halves = [UInt32](repeating: 0, count: 64)
        var shifts = [UInt32](repeating: 0, count: 64)
        for k in 0..<64 {
            let d = UInt64(max(table[k], 1)) * 8
            let extra: UInt64 = d < 1 << 14 ? 0 : 4
            multipliers[k] = UInt32(((1 << (32 + extra)) + d - 1) / d)
            halves[k] = UInt32(d / 2)
            shifts[k] = UInt32(extra)
        }
        self.multipliers = multipliers
        self.halves = halves
        self.shifts = shifts
    }

    /// Multipliers, halves and shifts one after the other (64 each): the layout
    /// ``EncoderForwardDCT/transformAndQuantize(_:stride:quantizer:into:)`` reads.
    var constants: [UInt32] { multipliers + halves + shifts }

    /// Quantizes one coefficient `x` with its divisor's constants.
    @inline(__always)
    static func quantize(_ x: Int32, multiplier: UInt32, half: UInt32, shift: UInt32) -> Int16 {
        let n = UInt64(x.magnitude) &+ UInt64(half)
        let q = Int16(truncatingIfNeeded: ((n &* UInt64(multiplier)) &>> 32) &>> UInt64(shift))
        return x < 0 ? 0 &- q : q
    }
}
