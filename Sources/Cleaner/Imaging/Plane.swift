/// One channel of samples as `Float`: `height` rows of `width` samples, row-major.
///
/// The scale is the caller's; the cleaner's colour, DCT and projection code uses the
/// 8-bit scale (0…255, not level-shifted), the scale of a JPEG component's samples.
public struct Plane: Equatable, Sendable {
    /// Width in samples.
    public var width: Int
    /// Height in samples.
    public var height: Int
    /// `width · height` samples, row-major, no padding.
    public var samples: [Float]

    /// Wraps `samples`; `samples.count` must be `width · height`.
    public init(width: Int, height: Int, samples: [Float]) {
        precondition(width >= 0 && height >= 0 && samples.count == width * height,
                     "Plane sample count must be width × height")
        self.width = width
        self.height = height
        self.samples = samples
    }

    /// A plane of `width × height` samples all equal to `value`.
    public init(width: Int, height: Int, repeating value: Float = 0) {
        self.init(width: width, height: height,
                  samples: [Float](repeating: value, count: width * height))
    }

    /// The sample at column `x`, row `y` (both must lie inside the plane).
    public subscript(x: Int, y: Int) -> Float {
        get { samples[y * width + x] }
        set { samples[y * width + x] = newValue }
    }

    /// This plane extended to `newWidth × newHeight` (each ≥ the current size) by
    /// replicating its last column and last row, the way a JPEG encoder pads a component
    /// to whole blocks. The original samples keep their positions (top-left anchored).
    /// Rows are split among `threads` (the result does not depend on it).
    public func edgeExtended(toWidth newWidth: Int, height newHeight: Int, threads: Int = 1) -> Plane {
        precondition(newWidth >= width && newHeight >= height, "edgeExtended only grows")
        precondition(width > 0 && height > 0 || newWidth * newHeight == 0,
                     "cannot extend an empty plane")
        if newWidth == width && newHeight == height { return self }
        var out = [Float].unfilled(newWidth * newHeight)  // every sample written below
        let w = width, h = height
        samples.withUnsafeBufferPointer { srcBuffer in
            out.withUnsafeMutableBufferPointer { dstBuffer in
                let src = SharedInput(srcBuffer), dst = SharedOutput(dstBuffer)
                RowBands.run(newHeight, samplesPerRow: newWidth, threads: threads) { rows in
                    for y in rows {
                        let sy = min(y, h - 1)
                        let srow = sy * w, drow = y * newWidth
                        for x in 0..<w { dst.base[drow + x] = src.base[srow + x] }
                        let last = src.base[srow + w - 1]
                        for x in w..<newWidth { dst.base[drow + x] = last }
                    }
                }
            }
        }
        return Plane(width: newWidth, height: newHeight, samples: out)
    }

    /// The top-left `newWidth × newHeight` part of this plane (each ≤ the current size).
    public func cropped(toWidth newWidth: Int, height newHeight: Int) -> Plane {
        precondition(newWidth <= width && newHeight <= height && newWidth >= 0 && newHeight >= 0,
                     "cropped only shrinks")
        if newWidth == width && newHeight == height { return self }
        var out = [Float].unfilled(newWidth * newHeight)  // every sample written below
        let w = width
        samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<newHeight {
                    for x in 0..<newWidth { dst[y * newWidth + x] = src[y * w + x] }
                }
            }
        }
        return Plane(width: newWidth, height: newHeight, samples: out)
    }
}

extension Plane {
    /// The plane, moved out: `self` is left empty (0 × 0), so the caller holds the only
    /// reference to the samples and a function that takes the plane `consuming` can change
    /// them in place instead of copying them (4 bytes per sample).
    mutating func take() -> Plane {
        let plane = self
        self = Plane(width: 0, height: 0, samples: [])
        return plane
    }

    /// Adds `factor · other` (a plane of the same size) sample by sample, rows split among
    /// `threads`.
    mutating func add(_ other: Plane, times factor: Float, threads: Int) {
        precondition(other.width == width && other.height == height, "planes of one size")
        let w = width
        other.samples.withUnsafeBufferPointer { o in
            samples.withUnsafeMutableBufferPointer { s in
                let src = SharedInput(o), dst = SharedOutput(s)
                RowBands.run(height, samplesPerRow: w, threads: threads) { rows in
                    for i in (rows.lowerBound * w)..<(rows.upperBound * w) { dst.base[i] += factor * src.base[i] }
                }
            }
        }
    }
}

extension Array where Element: BitwiseCopyable {
    /// `count` plain values (floats, bytes) with unspecified contents, for a buffer the caller
    /// overwrites completely before reading it: zero-filling it first would be one more pass
    /// over memory on one thread, which a stage's threads then wait for.
    @inlinable
    static func unfilled(_ count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// `count` copies of `value`, written by `threads` threads: a large buffer's pages are
    /// then first touched (and zeroed by the kernel) on every core, not on one.
    static func filled(with value: Element, count: Int, threads: Int) -> [Element] where Element: Sendable {
        var out = unfilled(count)
        out.withUnsafeMutableBufferPointer { o in
            let dst = SharedOutput(o)
            forEachBand(count, threads: threads) { (dst.base + $0).initialize(repeating: value, count: $1 - $0) }
        }
        return out
    }

    /// A copy that owns its storage, made by `threads` threads (see
    /// ``filled(with:count:threads:)``).
    func copied(threads: Int) -> [Element] {
        var out = [Element].unfilled(count)
        withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                let src = SharedInput(s), dst = SharedOutput(o)
                Self.forEachBand(count, threads: threads) { (dst.base + $0).update(from: src.base + $0, count: $1 - $0) }
            }
        }
        return out
    }

    /// Runs `body(start, end)` over `0..<count` in bands of 16 K elements (so small arrays stay
    /// on the caller), the bands on `threads` threads.
    private static func forEachBand(_ count: Int, threads: Int, _ body: @Sendable (Int, Int) -> Void) {
        let band = 1 << 14
        RowBands.run((count + band - 1) / band, samplesPerRow: band, threads: threads) { bands in
            body(bands.lowerBound * band, Swift.min(count, bands.upperBound * band))
        }
    }
}
