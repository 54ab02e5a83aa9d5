/// A 64-bit hash of bytes laid out in rows, for finding repeated content (windows, blocks):
/// equal bytes give equal hashes, and a match is always confirmed byte for byte by the caller.
///
/// FNV-1a over 8-byte words in four interleaved lanes (word k of a row goes to lane k mod 4,
/// so the lanes' multiply chains overlap), then the lanes mixed.
enum ContentHash {
    static let prime: UInt64 = 0x0000_0100_0000_01b3
    static let seed = SIMD4<UInt64>(0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4, 0x9e37_79b9_7f4a_7c15, 0x7f4a_7c15_9e37_79b9)

    /// The lanes after `rows` rows of `rowBytes` bytes, `stride` bytes apart, from `lanes`.
    @inline(__always)
    static func lanes(_ start: UnsafeRawPointer, rows: Int, rowBytes: Int, stride: Int,
                      from initial: SIMD4<UInt64> = seed) -> SIMD4<UInt64> {
        var lanes = initial
        let words = rowBytes / 8
        for r in 0..<rows {
            let row = start + r * stride
            var k = 0
            while k + 4 <= words {
                lanes = (lanes ^ row.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<UInt64>.self)) &* prime
                k += 4
            }
            while k < words {
                lanes[k & 3] = (lanes[k & 3] ^ row.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)) &* prime
                k += 1
            }
            for b in (words * 8)..<rowBytes {
                lanes[0] = (lanes[0] ^ UInt64(row.load(fromByteOffset: b, as: UInt8.self))) &* prime
            }
        }
        return lanes
    }

    /// The hash of the lanes, never 0 (callers use 0 for "not hashed").
    @inline(__always)
    static func finish(_ lanes: SIMD4<UInt64>) -> UInt64 {
        var h = lanes[0]
        for l in 1..<4 { h = (h ^ (h >> 29) ^ lanes[l]) &* 0xbf58_476d_1ce4_e5b9 }
        return (h ^ (h >> 32)) | 1
    }

    /// `rows` rows of `rowBytes` bytes, `stride` bytes apart.
    @inline(__always)
    static func of(_ start: UnsafeRawPointer, rows: Int, rowBytes: Int, stride: Int) -> UInt64 {
        finish(lanes(start, rows: rows, rowBytes: rowBytes, stride: stride))
    }

    /// Whether `rows` rows of `rowBytes` bytes, `stride` bytes apart, are the same at `a` and
    /// `b` (8 bytes at a time).
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, rows: Int, rowBytes: Int, stride: Int) -> Bool {
        let words = rowBytes / 8
        for r in 0..<rows {
            let p = a + r * stride, q = b + r * stride
            for k in 0..<words where p.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)
                != q.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self) { return false }
            for k in (words * 8)..<rowBytes where p.load(fromByteOffset: k, as: UInt8.self)
                != q.load(fromByteOffset: k, as: UInt8.self) { return false }
        }
        return true
    }

    /// Groups items by content: for each item with hash `hashes[n]` (0: never grouped), the
    /// index of the first item with that hash when `same` confirms their contents equal, or
    /// its own. (Two different contents with one hash — 2⁻⁶⁴ per pair — leave the later one
    /// ungrouped: worked out on its own, never given another's result.) In item order on the
    /// caller, so the result does not depend on how the hashes were computed.
    static func firstOccurrences(_ hashes: [UInt64], same: (Int, Int) -> Bool) -> [Int] {
        var first = Array(hashes.indices)
        var byHash: [UInt64: Int] = [:]
        byHash.reserveCapacity(hashes.count)
        for n in hashes.indices where hashes[n] != 0 {
            if let match = byHash[hashes[n]] {
                if same(n, match) { first[n] = match }
            } else {
                byHash[hashes[n]] = n
            }
        }
        return first
    }
}
