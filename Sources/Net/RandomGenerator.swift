/// A small, fast, seedable pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Its output depends only on the seed, never on the platform or the Swift version, so weight
/// initialisation and data order are reproducible across runs and machines. Its whole state is
/// four words (``stateWords``), which checkpoints store to resume a run exactly.
public struct RandomGenerator: RandomNumberGenerator, Equatable, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose state is expanded from `seed` by SplitMix64 (any seed, zero included, is fine).
    public init(seed: UInt64) {
        var expander = SplitMix64(seed: seed)
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
    }

    /// A generator restored from ``stateWords``; returns nil unless there are exactly four
    /// words, not all zero (the one state xoshiro cannot leave).
    public init?(stateWords words: [UInt64]) {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        s0 = words[0]
        s1 = words[1]
        s2 = words[2]
        s3 = words[3]
    }

    /// The complete state, four words; ``init(stateWords:)`` restores it.
    public var stateWords: [UInt64] { [s0, s1, s2, s3] }

    /// The next 64 uniformly distributed bits.
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform `Float` in `[-bound, bound)`.
    public mutating func nextSymmetricFloat(bound: Float) -> Float {
        let unit = Float(next() >> 40) * 0x1p-24  // [0, 1), 24 bits
        return (2 * unit - 1) * bound
    }

    /// A uniform integer in `0..<upperBound` without modulo bias (Lemire's method).
    /// - Precondition: `upperBound > 0`.
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upperBound must be positive")
        let bound = UInt64(upperBound)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }
}
