/// Accumulates per-window model outputs into an image, averaging where they overlap.
///
/// Each window's output block (see ``WindowOutput``) is added, optionally weighted per
/// position, to the pixels it covers inside the image; pixels outside are dropped.
/// ``result()`` divides by the accumulated weight.
struct OverlapAccumulator: Sendable {
    /// The windows the outputs belong to.
    let grid: WindowGrid
    /// Samples per pixel of the outputs.
    let channels: Int
    /// Which part of the window each output covers.
    let output: WindowOutput
    private let weights: [Float]?
    private var sums: [Float]
    private var totals: [Float]

    /// An empty accumulator. `weights`, if given, has `size²` positive values for the output
    /// size (e.g. ``Windows/tentWeights(size:)``); without it every output counts equally.
    /// `threads` zero its sums (the result does not depend on it).
    init(grid: WindowGrid, channels: Int, output: WindowOutput, weights: [Float]? = nil, threads: Int = 1) {
        let o = output.size(for: grid.geometry)
        precondition(weights == nil || (weights!.count == o * o && weights!.allSatisfy { $0 > 0 }),
                     "weights must be output size² positive values")
        self.grid = grid
        self.channels = channels
        self.output = output
        self.weights = weights
        sums = .filled(with: 0, count: grid.width * grid.height * channels, threads: threads)
        totals = .filled(with: 0, count: grid.width * grid.height, threads: threads)
    }

    /// Adds the outputs of windows `first ..< first + count`, stored one after another in
    /// `outputs` (`outputSize² · channels` floats each, HWC).
    mutating func add(_ outputs: UnsafeBufferPointer<Float>, firstWindow first: Int, count: Int) {
        add(outputs, windows: first..<(first + count))
    }

    /// Adds the outputs of `windows` (window indices, any order), one after another in
    /// `outputs`, to their places.
    mutating func add<Indices: RandomAccessCollection<Int>>(_ outputs: UnsafeBufferPointer<Float>, windows: Indices) {
        let per = output.size(for: grid.geometry) * output.size(for: grid.geometry) * channels
        let windowCount = grid.count
        precondition(windows.allSatisfy { $0 >= 0 && $0 < windowCount } && outputs.count >= windows.count * per,
                     "outputs do not match the windows")
        withAdder { adder in
            for (n, window) in windows.enumerated() { adder.add(outputs.baseAddress! + n * per, window: window) }
        }
    }

    /// Whether no two windows' outputs cover the same pixel (central blocks on a grid whose
    /// stride is the block): each pixel then gets exactly one output, so outputs can be added
    /// in any order, from several threads at once (``withAdder(_:)``), with the same sums.
    var outputsAreDisjoint: Bool { output == .centralBlock && grid.geometry.stride == grid.geometry.coreSize }

    /// Runs `body` with an ``Adder`` on this accumulator's sums. Several threads may use it at
    /// once only when ``outputsAreDisjoint`` and each window is added once.
    mutating func withAdder(_ body: (Adder) -> Void) {
        let wt = weights ?? []
        let weighted = weights != nil, grid = self.grid, output = self.output, channels = self.channels
        sums.withUnsafeMutableBufferPointer { sum in
        totals.withUnsafeMutableBufferPointer { tot in
        wt.withUnsafeBufferPointer { wp in
            body(Adder(sums: sum.baseAddress!, totals: tot.baseAddress!, weights: weighted ? wp.baseAddress : nil,
                       grid: grid, output: output, channels: channels))
        }}}
    }

    /// Adds one window's output to the sums (``withAdder(_:)``).
    struct Adder: @unchecked Sendable {
        let sums: UnsafeMutablePointer<Float>, totals: UnsafeMutablePointer<Float>
        let weights: UnsafePointer<Float>?
        let grid: WindowGrid, output: WindowOutput, channels: Int

        /// Adds `values` (`outputSize² · channels` floats, HWC), the output of window `window`,
        /// to the pixels it covers inside the image.
        func add(_ values: UnsafePointer<Float>, window: Int) {
            let o = output.size(for: grid.geometry), off = output.offset(for: grid.geometry)
            let c = channels, w = grid.width, h = grid.height
            let (ox, oy) = grid.origin(ofWindow: window)
            let bx = ox + off, by = oy + off
            let y0 = max(0, -by), y1 = min(o, h - by)
            let x0 = max(0, -bx), x1 = min(o, w - bx)
            if y0 >= y1 || x0 >= x1 { return }
            guard let weights else {
                // Unweighted (weight 1: `1 · v` is `v` exactly): a row's samples are one
                // contiguous run in both buffers, added as one loop that vectorises.
                let n = (x1 - x0) * c
                for r in y0..<y1 {
                    let pixRow = (by + r) * w + bx
                    let dst = sums + (pixRow + x0) * c, src = values + (r * o + x0) * c
                    for i in 0..<n { dst[i] += src[i] }
                    for k in x0..<x1 { totals[pixRow + k] += 1 }
                }
                return
            }
            for r in y0..<y1 {
                let pixRow = (by + r) * w + bx
                for k in x0..<x1 {
                    let weight = weights[r * o + k]
                    let src = (r * o + k) * c, pix = pixRow + k
                    for ch in 0..<c { sums[pix * c + ch] += weight * values[src + ch] }
                    totals[pix] += weight
                }
            }
        }
    }

    /// Array convenience for ``add(_:firstWindow:count:)``.
    mutating func add(_ outputs: [Float], firstWindow first: Int, count: Int) {
        outputs.withUnsafeBufferPointer { add($0, firstWindow: first, count: count) }
    }

    /// The averaged image (a pixel no output covered would be 0; the grid guarantees that
    /// every pixel is covered once all windows are added), its rows divided by `threads`
    /// threads; the sums become the image, without a copy.
    consuming func result(threads: Int = 1) -> FloatImage {
        var out = sums
        sums = []
        let c = channels, w = grid.width
        out.withUnsafeMutableBufferPointer { o in
            totals.withUnsafeBufferPointer { t in
                let sum = SharedOutput(o), total = SharedInput(t)
                RowBands.run(grid.height, samplesPerRow: w * c, threads: threads) { rows in
                    for p in (rows.lowerBound * w)..<(rows.upperBound * w) {
                        let d = total.base[p]
                        guard d > 0, d != 1 else { continue }
                        // Division, not a reciprocal: k equal values summed exactly come back exact.
                        for ch in 0..<c { sum.base[p * c + ch] /= d }
                    }
                }
            }
        }
        return FloatImage(width: grid.width, height: grid.height, channels: c, samples: out)
    }
}
