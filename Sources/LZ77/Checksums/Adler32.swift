/// Adler-32 (RFC 1950 §9): two sums modulo 65521. The sums are reduced only every 5552
/// bytes, the largest run for which `b` cannot overflow 32 bits (255·n(n+1)/2 + (n+1)·65520
/// < 2³²), so the inner loop is additions only.
package struct Adler32: Sendable {
    /// The low sum (1 + all bytes), modulo 65521.
    package private(set) var a: UInt32 = 1
    /// The high sum (sum of the running `a` values), modulo 65521.
    package private(set) var b: UInt32 = 0

    /// A checksum of no bytes yet.
    package init() {}

    /// The checksum of everything fed so far: `b << 16 | a`.
    package var value: UInt32 { b << 16 | a }

    /// The checksum of data A followed by data B, from the checksum of A (`self`) and that of B
    /// (`next`, `length` bytes), without reading either: what lets independent pieces of a
    /// stream (the PNG encoder's bands) be checksummed separately.
    ///
    /// Feeding B after A starts B's low sum at `a_A` instead of 1, so it ends at
    /// `a_A + a_B − 1`; each of B's `n` steps adds that running low sum to the high sum, which
    /// gives `b_A + (b_B − n) + n·a_A` = `b_A + b_B + n·(a_A − 1)` (all modulo 65521).
    package func combined(with next: Adler32, length: Int) -> Adler32 {
        let m: UInt64 = 65521
        let n = UInt64(length) % m
        let aA = UInt64(a), bA = UInt64(b), aB = UInt64(next.a), bB = UInt64(next.b)
        var result = Adler32()
        result.a = UInt32((aA + aB + m - 1) % m)
        result.b = UInt32((bA + bB + n * ((aA + m - 1) % m)) % m)
        return result
    }

    /// Feeds `bytes` into the checksum.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var a = self.a, b = self.b
        var i = 0
        let n = bytes.count
        while i < n {
            let end = min(n, i + 5552)
            // Four bytes per step: b gains 4a + 4x0 + 3x1 + 2x2 + x3.
            while i + 4 <= end {
                let x0 = UInt32(base.load(fromByteOffset: i, as: UInt8.self))
                let x1 = UInt32(base.load(fromByteOffset: i + 1, as: UInt8.self))
                let x2 = UInt32(base.load(fromByteOffset: i + 2, as: UInt8.self))
                let x3 = UInt32(base.load(fromByteOffset: i + 3, as: UInt8.self))
                b &+= 4 &* a &+ 4 &* x0 &+ 3 &* x1 &+ 2 &* x2 &+ x3
                a &+= x0 &+ x1 &+ x2 &+ x3
                i += 4
            }
            while i < end {
                a &+= UInt32(base.load(fromByteOffset: i, as: UInt8.self))
                b &+= a
                i += 1
            }
            a %= 65521
            b %= 65521
        }
        self.a = a
        self.b = b
    }
}
