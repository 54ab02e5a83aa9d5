/// SplitMix64: a small deterministic generator so that random test images are the same on
/// every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Test images: either noise or smooth gradients with a little noise (which give the
/// encoder real matches and every filter a chance to win).
enum TestImages {
    static func bytes(count: Int, smooth: Bool, seed: UInt64, width: Int, channels: Int) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            if smooth {
                let pixel = i / channels, c = i % channels
                let x = pixel % max(width, 1), y = pixel / max(width, 1)
                out[i] = UInt8(truncatingIfNeeded: x * (c + 1) + y * 3 + Int(rng.next() % 3))
            } else {
                out[i] = UInt8(truncatingIfNeeded: rng.next())
            }
        }
        return out
    }
}
