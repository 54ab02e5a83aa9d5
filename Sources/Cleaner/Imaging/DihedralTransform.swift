/// One of the 8 symmetries of a square (flips and quarter turns), applied to square
/// channel-interleaved (HWC) blocks for data augmentation.
///
/// The output sample at (row r, column c) is read from the input at position (a, b):
/// `(a, b) = transposed ? (c, r) : (r, c)`, then `a ← n−1−a` if `flipsVertically` and
/// `b ← n−1−b` if `flipsHorizontally`. The four with an even number of the three
/// reflections (identity, both flips = 180°, transpose + one flip = ±90°) are the
/// rotations.
public struct DihedralTransform: Equatable, Hashable, Sendable {
    /// Swap rows and columns (reflect about the main diagonal) first.
    public var transposed: Bool
    /// Then mirror top ↔ bottom.
    public var flipsVertically: Bool
    /// Then mirror left ↔ right.
    public var flipsHorizontally: Bool

    /// A transform from its three reflections.
    public init(transposed: Bool = false, flipsVertically: Bool = false, flipsHorizontally: Bool = false) {
        self.transposed = transposed
        self.flipsVertically = flipsVertically
        self.flipsHorizontally = flipsHorizontally
    }

    /// The identity.
    public static let identity = DihedralTransform()

    /// True for the four rotations (0°, 90°, 180°, 270°).
    public var isRotation: Bool {
        ((transposed ? 1 : 0) + (flipsVertically ? 1 : 0) + (flipsHorizontally ? 1 : 0)) % 2 == 0
    }

    /// All 8 transforms, identity first.
    public static let all: [DihedralTransform] = (0..<8).map {
        DihedralTransform(transposed: $0 & 4 != 0, flipsVertically: $0 & 2 != 0,
                          flipsHorizontally: $0 & 1 != 0)
    }

    /// The transforms augmentation may choose from: all 8 with flips and turns; the 4
    /// rotations with turns only; identity, horizontal, vertical and both flips (= 180°)
    /// with flips only; the identity alone with neither.
    public static func allowed(flips: Bool, quarterTurns: Bool) -> [DihedralTransform] {
        switch (flips, quarterTurns) {
        case (true, true): return all
        case (false, true): return all.filter(\.isRotation)
        case (true, false): return all.filter { !$0.transposed }
        case (false, false): return [.identity]
        }
    }

    /// Applies the transform to an `n × n` block of `channels` interleaved samples,
    /// from `source` into `destination`.
    /// - Parameters:
    ///   - source: `n·n·channels` floats; another count is a precondition failure.
    ///   - destination: `n·n·channels` floats, not overlapping `source`.
    public func apply(size n: Int, channels c: Int, from source: UnsafeBufferPointer<Float>,
                      to destination: UnsafeMutableBufferPointer<Float>) {
        precondition(n >= 0 && c >= 0, "size and channels must not be negative")
        precondition(source.count == n * n * c && destination.count == n * n * c, "block size mismatch")
        guard n * n * c > 0 else { return }
        apply(size: n, channels: c, from: source.baseAddress!, to: destination.baseAddress!)
    }

    /// The unchecked form of ``apply(size:channels:from:to:)`` for the module's hot loops:
    /// `source` and `destination` are distinct buffers of `n·n·channels` floats.
    func apply(size n: Int, channels c: Int, from source: UnsafePointer<Float>,
               to destination: UnsafeMutablePointer<Float>) {
        for r in 0..<n {
            for col in 0..<n {
                var a = transposed ? col : r, b = transposed ? r : col
                if flipsVertically { a = n - 1 - a }
                if flipsHorizontally { b = n - 1 - b }
                let s = (a * n + b) * c, d = (r * n + col) * c
                for ch in 0..<c { destination[d + ch] = source[s + ch] }
            }
        }
    }

    /// Array convenience for ``apply(size:channels:from:to:)``: the transformed copy of `block`
    /// (`n·n·channels` values; another count is a precondition failure).
    public func apply(_ block: [Float], size n: Int, channels c: Int) -> [Float] {
        precondition(block.count == n * n * c, "block size mismatch")
        var out = block
        block.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                apply(size: n, channels: c, from: s.baseAddress!, to: d.baseAddress!)
            }
        }
        return out
    }
}
