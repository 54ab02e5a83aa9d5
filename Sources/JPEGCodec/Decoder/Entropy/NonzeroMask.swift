/// Which coefficients of a block are nonzero, as a 64-bit mask in zigzag order (bit `z` for
/// the coefficient at zigzag position `z`), so that an AC refinement scan can visit only the
/// coefficients that take a correction bit instead of testing all 63 in turn (the test's
/// branch is taken at random and was most of a progressive decode's time).
enum NonzeroMask {
    /// `rows[y · 256 + b]`: the zigzag bits of the coefficients `(y, x)` whose bit `x` is set
    /// in `b` (natural row `y`, columns `x` = 0…7). 16 KiB, made once.
    static let rows: [UInt64] = {
        var zigzagIndex = [Int](repeating: 0, count: 64)
        for (z, natural) in StandardTables.zigzag.enumerated() { zigzagIndex[natural] = z }
        var table = [UInt64](repeating: 0, count: 8 * 256)
        for y in 0..<8 {
            for b in 0..<256 {
                var bits: UInt64 = 0
                for x in 0..<8 where b & (1 << x) != 0 { bits |= 1 << UInt64(zigzagIndex[y * 8 + x]) }
                table[y * 256 + b] = bits
            }
        }
        return table
    }()

    /// The zigzag mask of `block` (64 coefficients in natural order); `rows` is ``rows``.
    @inline(__always)
    static func zigzag(_ block: UnsafePointer<Int16>, rows: UnsafePointer<UInt64>) -> UInt64 {
        let raw = UnsafeRawPointer(block)
        let weights = SIMD8<Int16>(1, 2, 4, 8, 16, 32, 64, 128)
        var mask: UInt64 = 0
        for y in 0..<8 {
            let row = raw.loadUnaligned(fromByteOffset: y * 16, as: SIMD8<Int16>.self)
            let byte = SIMD8<Int16>.zero.replacing(with: weights, where: row .!= .zero).wrappedSum()
            mask |= rows[y &* 256 &+ Int(byte)]
        }
        return mask
    }

    /// Bits `low…high` (0 ≤ low ≤ 64, 0 ≤ high ≤ 63; empty when low > high), without a
    /// branch: the shift by `low` goes in two halves so that 64 clears every bit.
    @inline(__always)
    static func range(_ low: Int, _ high: Int) -> UInt64 {
        let half = UInt64(truncatingIfNeeded: low &>> 1), rest = UInt64(truncatingIfNeeded: low) &- half
        return ((UInt64.max &<< half) &<< rest) & (UInt64.max &>> UInt64(truncatingIfNeeded: 63 &- high))
    }
}
