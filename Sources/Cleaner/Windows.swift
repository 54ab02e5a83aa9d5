/// The shape of the sliding windows: `windowSize × windowSize` inputs whose central
/// `coreSize × coreSize` blocks tile the image at `stride`.
///
/// Window `(i, j)` has its top-left corner at `(i·stride − margin, j·stride − margin)` with
/// `margin = (windowSize − coreSize) / 2`, so its central block starts at `(i·stride,
/// j·stride)`: with `coreSize = stride = 8` the central blocks are exactly the JPEG 8×8
/// blocks. There are `max(1, ⌈(width − coreSize) / stride⌉ + 1)` window columns, enough for
/// the central blocks to cover every pixel; samples outside the image are mirrored
/// (``Windows/mirror(_:count:)``), so any image size works, even one smaller than a window.
public struct WindowGeometry: Equatable, Sendable {
    /// Side of a (square) input window, e.g. 24.
    public var windowSize: Int
    /// Side of the central block each window is responsible for, e.g. 8.
    public var coreSize: Int
    /// Distance between neighbouring windows, 1…`coreSize`, e.g. 8.
    public var stride: Int

    /// A geometry; `windowSize − coreSize` must be even and ≥ 0, `1 ≤ stride ≤ coreSize`.
    public init(windowSize: Int = 24, coreSize: Int = 8, stride: Int = 8) {
        precondition(coreSize >= 1 && windowSize >= coreSize && (windowSize - coreSize) % 2 == 0,
                     "the central block must sit in the middle of the window")
        precondition(stride >= 1 && stride <= coreSize, "stride must be 1…coreSize")
        self.windowSize = windowSize
        self.coreSize = coreSize
        self.stride = stride
    }

    /// `(windowSize − coreSize) / 2`: the context on each side of the central block.
    public var margin: Int { (windowSize - coreSize) / 2 }

    /// The window positions for an image of `width × height` pixels (both ≥ 1).
    public func grid(width: Int, height: Int) -> WindowGrid {
        WindowGrid(geometry: self, width: width, height: height)
    }
}

/// All the window positions over one image, numbered row-major (`index = row · columns +
/// column`).
public struct WindowGrid: Equatable, Sendable {
    /// The window shape.
    public let geometry: WindowGeometry
    /// Image width in pixels.
    public let width: Int
    /// Image height in pixels.
    public let height: Int
    /// Windows per row.
    public let columns: Int
    /// Rows of windows.
    public let rows: Int

    /// The grid for `geometry` over a `width × height` image (both ≥ 1).
    public init(geometry: WindowGeometry, width: Int, height: Int) {
        precondition(width >= 1 && height >= 1, "an image has at least one pixel")
        func count(_ n: Int) -> Int {
            n <= geometry.coreSize ? 1
                : (n - geometry.coreSize + geometry.stride - 1) / geometry.stride + 1
        }
        self.geometry = geometry
        self.width = width
        self.height = height
        columns = count(width)
        rows = count(height)
    }

    /// Number of windows.
    public var count: Int { columns * rows }

    /// Top-left corner of window `index` in image coordinates (may be negative or reach past
    /// the image; those samples are mirrored).
    public func origin(ofWindow index: Int) -> (x: Int, y: Int) {
        let s = geometry.stride, m = geometry.margin
        return ((index % columns) * s - m, (index / columns) * s - m)
    }
}

/// What a model returns per window.
public enum WindowOutput: Equatable, Sendable {
    /// The central `coreSize × coreSize` block (placed at the window's origin + margin).
    case centralBlock
    /// The whole `windowSize × windowSize` window (placed at the window's origin).
    case fullWindow

    /// Side of one output block for `geometry`.
    public func size(for geometry: WindowGeometry) -> Int {
        self == .centralBlock ? geometry.coreSize : geometry.windowSize
    }

    /// Offset of the output block from the window's origin.
    public func offset(for geometry: WindowGeometry) -> Int {
        self == .centralBlock ? geometry.margin : 0
    }
}

/// Window extraction with mirrored borders.
///
/// A window is `windowSize · windowSize · channels` floats, row-major and
/// channel-interleaved (HWC), in the scale of the image it was cut from. Model outputs use
/// the same layout with the output size.
public enum Windows {
    /// Half-sample symmetric mirroring (numpy's `"symmetric"` mode: … c b a | a b c … ),
    /// extended periodically with period `2·count`, so every integer maps inside
    /// `0..<count` (`count` ≥ 1), however far outside it lies.
    @inlinable
    public static func mirror(_ i: Int, count n: Int) -> Int {
        let period = 2 * n
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }

    /// Writes windows `range` of `grid` (cut from `image`, which must be the grid's size)
    /// into `destination`, one after another, `windowSize² · channels` floats each.
    public static func extract(from image: FloatImage, grid: WindowGrid, windows range: Range<Int>,
                               into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(image.width == grid.width && image.height == grid.height,
                     "image and grid differ in size")
        let s = grid.geometry.windowSize, per = s * s * image.channels
        precondition(range.lowerBound >= 0 && range.upperBound <= grid.count &&
                     destination.count >= range.count * per, "destination too small")
        for (n, w) in range.enumerated() {
            let (ox, oy) = grid.origin(ofWindow: w)
            extractSquare(from: image, x: ox, y: oy, size: s,
                          into: UnsafeMutableBufferPointer(rebasing: destination[(n * per)..<((n + 1) * per)]))
        }
    }

    /// Writes the `size × size` square whose top-left corner is (`x`, `y`) (anywhere, even
    /// outside the image: samples are mirrored) into `destination` (`size² · channels`
    /// floats, HWC).
    public static func extractSquare(from image: FloatImage, x: Int, y: Int, size s: Int,
                                     into destination: UnsafeMutableBufferPointer<Float>) {
        let c = image.channels, w = image.width, h = image.height
        precondition(destination.count >= s * s * c, "destination too small")
        image.samples.withUnsafeBufferPointer { src in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: s) { cols in
                for k in 0..<s { cols[k] = mirror(x + k, count: w) * c }
                var out = 0
                let inside = x >= 0 && x + s <= w
                for r in 0..<s {
                    let row = mirror(y + r, count: h) * w * c
                    if inside {
                        // The whole row lies in the image: one contiguous copy.
                        let start = row + x * c
                        for i in 0..<(s * c) { destination[out + i] = src[start + i] }
                        out += s * c
                        continue
                    }
                    for k in 0..<s {
                        let p = row + cols[k]
                        for ch in 0..<c { destination[out + ch] = src[p + ch] }
                        out += c
                    }
                }
            }
        }
    }

    /// Windows `range` of `grid` as one array (`range.count · windowSize² · channels`).
    public static func extract(from image: FloatImage, grid: WindowGrid,
                               windows range: Range<Int>) -> [Float] {
        let per = grid.geometry.windowSize * grid.geometry.windowSize * image.channels
        var out = [Float](repeating: 0, count: range.count * per)
        out.withUnsafeMutableBufferPointer { extract(from: image, grid: grid, windows: range, into: $0) }
        return out
    }

    /// A separable tent weight for averaging overlapping outputs: `w(i) = min(i + 1, size − i)`
    /// along each axis, outer product, `size²` values (all > 0), peak in the middle.
    public static func tentWeights(size: Int) -> [Float] {
        let t = (0..<size).map { Float(min($0 + 1, size - $0)) }
        return t.flatMap { a in t.map { a * $0 } }
    }
}

/// Accumulates per-window model outputs into an image, averaging where they overlap.
///
/// Each window's output block (see ``WindowOutput``) is added, optionally weighted per
/// position, to the pixels it covers inside the image; pixels outside are dropped.
/// ``result()`` divides by the accumulated weight.
public struct OverlapAccumulator: Sendable {
    /// The windows the outputs belong to.
    public let grid: WindowGrid
    /// Samples per pixel of the outputs.
    public let channels: Int
    /// Which part of the window each output covers.
    public let output: WindowOutput
    private let weights: [Float]?
    private var sums: [Float]
    private var totals: [Float]

    /// An empty accumulator. `weights`, if given, has `size²` positive values for the output
    /// size (e.g. ``Windows/tentWeights(size:)``); without it every output counts equally.
    public init(grid: WindowGrid, channels: Int, output: WindowOutput, weights: [Float]? = nil) {
        let o = output.size(for: grid.geometry)
        precondition(weights == nil || (weights!.count == o * o && weights!.allSatisfy { $0 > 0 }),
                     "weights must be output size² positive values")
        self.grid = grid
        self.channels = channels
        self.output = output
        self.weights = weights
        sums = [Float](repeating: 0, count: grid.width * grid.height * channels)
        totals = [Float](repeating: 0, count: grid.width * grid.height)
    }

    /// Adds the outputs of windows `first ..< first + count`, stored one after another in
    /// `outputs` (`outputSize² · channels` floats each, HWC).
    public mutating func add(_ outputs: UnsafeBufferPointer<Float>, firstWindow first: Int, count: Int) {
        let o = output.size(for: grid.geometry), off = output.offset(for: grid.geometry)
        let c = channels, per = o * o * c, w = grid.width, h = grid.height
        precondition(first >= 0 && first + count <= grid.count && outputs.count >= count * per,
                     "outputs do not match the windows")
        let grid = self.grid
        let wt = weights ?? []
        let weighted = weights != nil
        sums.withUnsafeMutableBufferPointer { sum in
        totals.withUnsafeMutableBufferPointer { tot in
        wt.withUnsafeBufferPointer { wp in
            for n in 0..<count {
                let (ox, oy) = grid.origin(ofWindow: first + n)
                let bx = ox + off, by = oy + off
                let y0 = max(0, -by), y1 = min(o, h - by)
                let x0 = max(0, -bx), x1 = min(o, w - bx)
                if y0 >= y1 || x0 >= x1 { continue }
                let base = n * per
                for r in y0..<y1 {
                    let pixRow = (by + r) * w + bx
                    for k in x0..<x1 {
                        let weight: Float = weighted ? wp[r * o + k] : 1
                        let src = base + (r * o + k) * c, pix = pixRow + k
                        for ch in 0..<c { sum[pix * c + ch] += weight * outputs[src + ch] }
                        tot[pix] += weight
                    }
                }
            }
        }}}
    }

    /// Array convenience for ``add(_:firstWindow:count:)``.
    public mutating func add(_ outputs: [Float], firstWindow first: Int, count: Int) {
        outputs.withUnsafeBufferPointer { add($0, firstWindow: first, count: count) }
    }

    /// The averaged image (a pixel no output covered would be 0; the grid guarantees that
    /// every pixel is covered once all windows are added).
    public func result() -> FloatImage {
        var out = sums
        let c = channels
        out.withUnsafeMutableBufferPointer { o in
            totals.withUnsafeBufferPointer { t in
                for p in 0..<t.count where t[p] > 0 {
                    if t[p] == 1 { continue }
                    // Division, not a reciprocal: k equal values summed exactly come back exact.
                    let d = t[p]
                    for ch in 0..<c { o[p * c + ch] /= d }
                }
            }
        }
        return FloatImage(width: grid.width, height: grid.height, channels: c, samples: out)
    }
}
