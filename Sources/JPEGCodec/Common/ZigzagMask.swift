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
    /// is ``rows``. Each row is read as two `UInt64` words of four coefficients; per word a
    /// carry trick sets bit 15 of every nonzero 16-bit lane, and one multiplication gathers
    /// those four bits into a nibble (the shifted copies land on distinct bits, so no carries
    /// disturb them). ``rows`` then places each row's 8 flags.
    @inline(__always)
    static func nonzero(_ block: UnsafePointer<Int16>, rows: UnsafePointer<UInt64>) -> UInt64 {
        let raw = UnsafeRawPointer(block)
        let low15: UInt64 = 0x7FFF_7FFF_7FFF_7FFF
        let high: UInt64 = 0x8000_8000_8000_8000
        let gather: UInt64 = 1 << 48 | 1 << 33 | 1 << 18 | 1 << 3
        @inline(__always)
        func nibble(_ offset: Int) -> Int {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let flags = (((w & low15) &+ low15) | w) & high
            return Int(truncatingIfNeeded: ((flags &>> 15) &* gather) &>> 48) & 0xF
        }
        var mask: UInt64 = 0
        for row in 0..<8 {
            let byte = nibble(16 * row) | nibble(16 * row + 8) << 4
            mask |= rows[256 * row + byte]
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
