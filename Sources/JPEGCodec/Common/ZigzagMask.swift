/// Which coefficients of a block are nonzero, as a 64-bit mask in zigzag order (bit `k` for
/// zigzag position `k`, DC at bit 0), so that the Huffman coder and the progressive decoder's
/// AC refinement visit only nonzero coefficients instead of testing all 63 in turn (a test
/// whose branch goes either way at random).
enum ZigzagMask {
    /// `rows[256 · r + byte]`: for row r of a block and a byte whose bit c says that
    /// coefficient (r, c) is nonzero, those flags moved to their zigzag positions. 16 KiB.
    static let rows: [UInt64] = {
        var table = [UInt64](repeating: 0, count: 8 * 256)
        var position = [Int](repeating: 0, count: 64)
        for (k, natural) in StandardTables.zigzag.enumerated() { position[natural] = k }
        for row in 0..<8 {
            for byte in 0..<256 {
                var bits: UInt64 = 0
                for column in 0..<8 where byte & (1 << column) != 0 {
                    bits |= 1 << UInt64(position[row * 8 + column])
                }
                table[row * 256 + byte] = bits
            }
        }
        return table
    }()

    /// Bit k set when the zigzag-k coefficient of a natural-order block is nonzero; `rows`
    /// is ``rows``. Four rows at a time: the 32 coefficients are compared with zero as two
    /// 16-lane vectors, narrowed to one flag byte (0 or 1) each, and every row's 8 flag bytes,
    /// read as one `UInt64`, are gathered into a byte by one multiplication (flag byte j lands
    /// on bit 56 + j, and the copies below bit 56 never carry into it: checked over all 256
    /// flag patterns). ``rows`` then places each row's 8 flags at their zigzag positions.
    @inline(__always)
    static func nonzero(_ block: UnsafePointer<Int16>, rows: UnsafePointer<UInt64>) -> UInt64 {
        let raw = UnsafeRawPointer(block)
        var mask: UInt64 = 0
        for half in 0..<2 {
            let a = raw.loadUnaligned(fromByteOffset: 64 * half, as: SIMD16<Int16>.self)
            let b = raw.loadUnaligned(fromByteOffset: 64 * half + 32, as: SIMD16<Int16>.self)
            let flagsA = SIMD16<UInt8>(truncatingIfNeeded: SIMD16<Int16>.zero.replacing(with: 1, where: a .!= .zero))
            let flagsB = SIMD16<UInt8>(truncatingIfNeeded: SIMD16<Int16>.zero.replacing(with: 1, where: b .!= .zero))
            let words = unsafeBitCast(SIMD32<UInt8>(lowHalf: flagsA, highHalf: flagsB), to: SIMD4<UInt64>.self)
            for r in 0..<4 {
                let byte = Int(truncatingIfNeeded: (UInt64(littleEndian: words[r]) &* 0x0102_0408_1020_4080) &>> 56)
                mask |= rows[256 * (4 * half + r) + byte]
            }
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
