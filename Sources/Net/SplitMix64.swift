/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, seedable pseudo-random generator,
/// so that window sampling and augmentation are reproducible from one 64-bit seed on any
/// platform; it also expands ``RandomGenerator``'s seed into its state. Not cryptographic.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state; the next output is derived from `state + 0x9E3779B97F4A7C15`.
    public var state: UInt64

    /// A generator starting from `seed` (any value, 0 included).
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (`bound` ≥ 1), by Lemire's multiply-shift with
    /// rejection, so it is unbiased and the same on every platform.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound >= 1, "bound must be ≥ 1")
        let b = UInt64(bound)
        while true {
            let m = next().multipliedFullWidth(by: b)
            if m.low >= (0 &- b) % b { return Int(m.high) }
        }
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }
}
