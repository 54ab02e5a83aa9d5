import TestSupport

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
