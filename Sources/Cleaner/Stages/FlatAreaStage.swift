import JPEGCodec

/// Flat areas stay flat: where the plain decode is exactly constant (every channel) over the
/// whole (2r + 1)² window around a pixel, the estimate there is replaced by its mean over that
/// window.
///
/// Why: the file proves that the blocks under such a window have no AC energy above half a
/// quantization step (and, where the window spans blocks, the same DC): an area that was flat
/// in the original, or a faint gradient. The earlier stages add faint
/// texture there (the network's residual is never exactly zero, and rounding turns ±0.5 into
/// ±1 steps; a flat screenshot area that gains ±1 texture triples its PNG), while a gradient
/// they rebuilt is linear and a window mean keeps it: averaging removes the texture, not the
/// ramp. (Keeping the decode's value instead cost 0.3 dB on a screenshot with a faint gradient.)
///
/// With ``lines``, the same holds along one direction: where the decode is constant along the
/// row over the 2r + 1 pixels centred on a pixel, the estimate there becomes its mean over
/// them; then the same down the columns. A long horizontal line or edge in a screenshot leaves
/// a decode that varies down the columns but is constant along its rows — no 2-D window is
/// flat there, and the earlier stages added ±1 texture along those rows.
public struct FlatAreaStage: CleaningStage, Equatable {
    public static let name = "flat_area"
    public static let summary = "Flat areas: where the decode is exactly constant over the window around a pixel, the estimate is averaged over that window (texture removed, gradients kept)."

    /// Half-width of the window, in pixels (2…64).
    public var radius: Int

    /// Also average along rows, then columns, where the decode is constant along them (see
    /// the type's description). False for every model before it.
    public var lines: Bool

    /// The default radius, 4, measured best (`Notes/experiments.md`, third round).
    public init(radius: Int = 4, lines: Bool = false) {
        self.radius = radius
        self.lines = lines
    }

    /// The window's reach (and the runs' along rows, then columns: at most 2r in all).
    public var halo: Int { lines ? 2 * radius : radius }

    public func apply(to state: inout PipelineState, context: StageContext) {
        let image = state.input.image
        let w = image.width, h = image.height, c = image.channels
        guard w > 0, h > 0 else { return }
        let threads = context.threads
        // With lines the stage always changes the estimate: it is taken first, because its
        // conversion from planes holds both forms for a moment and the masks below then fit in
        // what the planes leave (the clean's peak memory was here). Without lines, only when
        // some pixel lies far from the decode's edges.
        var takenFirst: FloatImage? = lines ? state.takePixels() : nil
        let edge = state.decodeEdges()
        let near = BinaryMask.dilate(edge, width: w, height: h, radius: radius, threads: threads)
        guard takenFirst != nil || near.contains(false) else { return }
        var estimate = takenFirst.take() ?? state.takePixels()
        defer {
            if lines {
                let keys = state.decodeKeys()
                Self.averageAlongConstantRuns(&estimate, keys: keys, width: w, height: h, radius: radius, vertical: false, threads: threads)
                Self.averageAlongConstantRuns(&estimate, keys: keys, width: w, height: h, radius: radius, vertical: true, threads: threads)
            }
            state.setPixels(estimate)
        }
        guard near.contains(false) else { return }
        let r = radius
        // Each row that holds a pixel to average reads the rows r above and below it as they
        // were before the stage, so the averages go to a buffer of their own — only the pixels
        // averaged, row after row (`first[y]`: where row y's begin) — and into the estimate once
        // all are made. (A whole new image here was the clean's largest late allocation: 12
        // bytes per pixel that the heap had no free range for, `Notes/throughput.md`.)
        // Rows are split among the threads, 16 at a time to whichever is free: only rows with
        // flat pixels cost much. A row's window sums: the column sums over its 2r + 1 rows,
        // then their running sum along the row, in Double. The column sums slide down the rows of each 16-row chunk (rows leaving
        // subtracted, rows entering added) and start afresh at every chunk, however the chunks
        // are handed out, so the result does not depend on the thread count. They are what
        // summing each row's rows afresh gives: in Double, sums of up to 129 samples in 0…255
        // are exact when each sample is 0 or at least 2⁻¹⁴ (a multiple of 2⁻³⁷).
        let rowSamples = w * c
        var first = [Int](repeating: 0, count: h + 1)
        near.withUnsafeBufferPointer { n in
            first.withUnsafeMutableBufferPointer { f in
                let mask = SharedInput(n), counts = SharedOutput(f)
                RowBands.run(h, samplesPerRow: w, threads: threads) { rows in
                    for y in rows {
                        var far = 0
                        for x in 0..<w where !mask.base[y * w + x] { far += 1 }
                        counts.base[y + 1] = far * c
                    }
                }
            }
        }
        for y in 0..<h { first[y + 1] += first[y] }
        var averaged = [Float].unfilled(first[h])
        estimate.samples.withUnsafeMutableBufferPointer { e in
            averaged.withUnsafeMutableBufferPointer { a in
                near.withUnsafeBufferPointer { n in
                first.withUnsafeBufferPointer { f in
                    let p = AverageBuffers(source: e.baseAddress!, averaged: a.baseAddress!, near: n.baseAddress!, first: f.baseAddress!)
                    RowBands.runDynamic(h, chunkRows: 16, samplesPerRow: rowSamples, threads: threads) { rows in
                        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * rowSamples + c) { buffer in
                            // columns[i]: sample i's column sum over the rows of `summed`;
                            // running[(x + 1)·c + ch]: the sum of columns 0…x.
                            let columns = buffer.baseAddress!, running = buffer.baseAddress! + rowSamples
                            var summed = 0..<0
                            for y in rows {
                                if y % 16 == 0 { summed = 0..<0 }
                                var out = p.averaged + p.first[y]
                                let nearRow = p.near + y * w
                                guard p.first[y + 1] > p.first[y] else { continue }
                                let y0 = max(0, y - r), y1 = min(h, y + r + 1)
                                if !summed.isEmpty && summed.lowerBound <= y0 && y0 <= summed.upperBound {
                                    for k in summed.lowerBound..<y0 {
                                        let line = p.source + k * rowSamples
                                        for i in 0..<rowSamples { columns[i] -= Double(line[i]) }
                                    }
                                    for k in summed.upperBound..<y1 {
                                        let line = p.source + k * rowSamples
                                        for i in 0..<rowSamples { columns[i] += Double(line[i]) }
                                    }
                                } else {
                                    for i in 0..<rowSamples { columns[i] = 0 }
                                    for k in y0..<y1 {
                                        let line = p.source + k * rowSamples
                                        for i in 0..<rowSamples { columns[i] += Double(line[i]) }
                                    }
                                }
                                summed = y0..<y1
                                for i in 0..<rowSamples { running[c + i] = columns[i] }
                                for ch in 0..<c { running[ch] = 0 }
                                for i in 0..<rowSamples { running[c + i] += running[i] }
                                for x in 0..<w where !nearRow[x] {
                                    let x0 = max(0, x - r), x1 = min(w, x + r + 1)
                                    let area = Double((y1 - y0) * (x1 - x0))
                                    for ch in 0..<c {
                                        out[ch] = Float((running[x1 * c + ch] - running[x0 * c + ch]) / area)
                                    }
                                    out += c
                                }
                            }
                        }
                    }
                    // Then into the estimate (rows write only their own pixels).
                    RowBands.run(h, samplesPerRow: rowSamples, threads: threads) { rows in
                        for y in rows where p.first[y + 1] > p.first[y] {
                            var from = UnsafePointer(p.averaged + p.first[y])
                            let nearRow = p.near + y * w, row = p.source + y * rowSamples
                            for x in 0..<w where !nearRow[x] {
                                for ch in 0..<c { row[x * c + ch] = from[ch] }
                                from += c
                            }
                        }
                    }
                }
                }
            }
        }
    }

    /// Where the decode is constant (every channel) over the 2r + 1 pixels centred on a pixel
    /// along its row (`vertical`: its column), the estimate there becomes its mean over them,
    /// read from the estimate as it was before. Pixels whose run would leave the image stay.
    /// `keys`: the decode's ``BinaryMask/pixelKeys(of:threads:)``, `width × height`.
    ///
    /// Per row: whether a pixel's run is constant is one difference of running counts of equal
    /// neighbour pairs (`equalBefore`), and the run sums are 2r + 1 whole-row vector additions
    /// (rows, or the rows above and below), so the cost does not depend on how much is flat.
    static func averageAlongConstantRuns(_ estimate: inout FloatImage, keys: [UInt32], width w: Int, height h: Int,
                                         radius r: Int, vertical: Bool, threads: Int) {
        let c = estimate.channels
        precondition(keys.count == w * h && estimate.width == w && estimate.height == h, "keys and estimate of one size")
        guard (vertical ? h : w) > 2 * r else { return }
        // equalBefore[y·stride + x]: along rows, the equal pairs (x', x' + 1) with x' < x in row
        // y (stride w + 1); down columns, the equal pairs (y', y' + 1) with y' < y in column x
        // (stride w, h + 1 rows).
        let stride = vertical ? w : w + 1
        // Every entry is written below (down columns, row 0 first).
        var equalBefore = [Int32].unfilled(vertical ? w * (h + 1) : (w + 1) * h)
        keys.withUnsafeBufferPointer { k in
            equalBefore.withUnsafeMutableBufferPointer { e in
                let key = SharedInput(k), out = SharedOutput(e)
                if vertical {
                    // Columns are independent: split among the threads, top to bottom in each.
                    RowBands.run(w, samplesPerRow: h, threads: threads) { columns in
                        for x in columns { out.base[x] = 0 }
                        for y in 0..<h {
                            let above = out.base + y * w, here = out.base + (y + 1) * w
                            if y + 1 < h {
                                let row = key.base + y * w
                                for x in columns { here[x] = above[x] + (row[x] == row[x + w] ? 1 : 0) }
                            } else {
                                for x in columns { here[x] = above[x] }
                            }
                        }
                    }
                } else {
                    RowBands.run(h, samplesPerRow: w, threads: threads) { rows in
                        for y in rows {
                            let row = key.base + y * w, counts = out.base + y * (w + 1)
                            counts[0] = 0
                            for x in 0..<w { counts[x + 1] = counts[x] + (x + 1 < w && row[x] == row[x + 1] ? 1 : 0) }
                        }
                    }
                }
            }
        }
        let rowSamples = w * c, span = Int32(2 * r), scale = 1 / Float(2 * r + 1)
        // Down columns a row's sums read the rows around it, which other threads write: the
        // averages go to a buffer of their own (only the pixels that change, row after row;
        // `first[y]`: where row y's begin) and into the estimate once all are made, rather than
        // the sums reading a copy of the whole estimate (12 bytes per pixel, `Notes/throughput.md`,
        // nineteenth round). Along rows a row's sums are made before the row is written: in place.
        var first = [Int](repeating: 0, count: vertical ? h + 1 : 1)
        if vertical {
            equalBefore.withUnsafeBufferPointer { e in
                first.withUnsafeMutableBufferPointer { f in
                    let counts = SharedOutput(f), equal = SharedInput(e)
                    RowBands.run(h - 2 * r, samplesPerRow: w, threads: threads) { rows in
                        for y in (rows.lowerBound + r)..<(rows.upperBound + r) {
                            var n = 0
                            for x in 0..<w where equal.base[(y + r) * w + x] - equal.base[(y - r) * w + x] == span { n += 1 }
                            counts.base[y + 1] = n * c
                        }
                    }
                }
            }
            for y in 0..<h { first[y + 1] += first[y] }
        }
        var pending = [Float].unfilled(first[first.count - 1])
        pending.withUnsafeMutableBufferPointer { pend in
        first.withUnsafeBufferPointer { f in
            equalBefore.withUnsafeBufferPointer { e in
                estimate.samples.withUnsafeMutableBufferPointer { dst in
                    let p = RunBuffers(source: UnsafePointer(dst.baseAddress!), equalBefore: e.baseAddress!,
                                       estimate: dst.baseAddress!, pending: pend.baseAddress!, first: f.baseAddress!)
                    RowBands.run(h, samplesPerRow: rowSamples, threads: threads) { rows in
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: rowSamples) { sums in
                            for y in rows {
                                guard !vertical || (y >= r && y + r < h) else { continue }
                                let x0 = vertical ? 0 : r, x1 = vertical ? w : w - r
                                @inline(__always) func constant(_ x: Int) -> Bool {
                                    let equal = vertical ? p.equalBefore[(y + r) * stride + x] - p.equalBefore[(y - r) * stride + x]
                                        : p.equalBefore[y * stride + x + r] - p.equalBefore[y * stride + x - r]
                                    return equal == span
                                }
                                var count = 0
                                for x in x0..<x1 where constant(x) { count += 1 }
                                guard count > 0 else { continue }
                                // The run sums of this row's samples: over the rows y − r … y + r,
                                // or over the pixels x − r … x + r, in that order (so both ways
                                // below give the same sums). Whole-row vector additions when many
                                // pixels need them, else only theirs.
                                if count * 8 < x1 - x0 {
                                    // Along rows the source is the row being written: all sums first.
                                    for x in x0..<x1 where constant(x) {
                                        for ch in 0..<c {
                                            var sum: Float = 0
                                            for k in -r...r {
                                                sum += vertical ? p.source[(y + k) * rowSamples + x * c + ch]
                                                    : p.source[y * rowSamples + (x + k) * c + ch]
                                            }
                                            sums[x * c + ch] = sum
                                        }
                                    }
                                } else if vertical {
                                    for i in 0..<rowSamples { sums[i] = 0 }
                                    for k in -r...r {
                                        let line = p.source + (y + k) * rowSamples
                                        for i in 0..<rowSamples { sums[i] += line[i] }
                                    }
                                } else {
                                    for i in 0..<rowSamples { sums[i] = 0 }
                                    let line = p.source + y * rowSamples
                                    for k in -r...r {
                                        // A shifted pointer, not `i + k·c` (whose overflow check
                                        // keeps the loop from vectorising).
                                        let shifted = line + k * c
                                        for i in (r * c)..<(rowSamples - r * c) { sums[i] += shifted[i] }
                                    }
                                }
                                if vertical {
                                    var out = p.pending + p.first[y]
                                    for x in x0..<x1 where constant(x) {
                                        for ch in 0..<c { out[ch] = sums[x * c + ch] * scale }
                                        out += c
                                    }
                                } else {
                                    for x in x0..<x1 where constant(x) {
                                        for ch in 0..<c { p.estimate[(y * w + x) * c + ch] = sums[x * c + ch] * scale }
                                    }
                                }
                            }
                        }
                    }
                    guard vertical else { return }
                    // Then the columns' averages into the estimate (rows write only their own pixels).
                    RowBands.run(h, samplesPerRow: rowSamples, threads: threads) { rows in
                        for y in rows where p.first[y + 1] > p.first[y] {
                            var from = UnsafePointer(p.pending + p.first[y])
                            for x in 0..<w where p.equalBefore[(y + r) * w + x] - p.equalBefore[(y - r) * w + x] == span {
                                for ch in 0..<c { p.estimate[(y * w + x) * c + ch] = from[ch] }
                                from += c
                            }
                        }
                    }
                }
            }
        }
        }
    }

    /// The buffers of the runs' averaging, shared by the threads (each writes its own rows).
    struct RunBuffers: @unchecked Sendable {
        let source: UnsafePointer<Float>, equalBefore: UnsafePointer<Int32>, estimate: UnsafeMutablePointer<Float>
        /// Down columns: the averages, row after row (row y's from `first[y]`), until all are made.
        let pending: UnsafeMutablePointer<Float>, first: UnsafePointer<Int>
    }

    /// The buffers of the averaging, shared by the threads (each writes its own rows).
    struct AverageBuffers: @unchecked Sendable {
        /// The estimate: read by the averages, written once they are all made.
        let source: UnsafeMutablePointer<Float>
        /// The averaged pixels, row after row; row y's from `first[y]` (`first[h]` in all).
        let averaged: UnsafeMutablePointer<Float>, near: UnsafePointer<Bool>, first: UnsafePointer<Int>
    }

    static let key = "unjpeg.flat_area.radius"
    static let linesKey = "unjpeg.flat_area.lines"

    public func metadata() -> [String: String] {
        [Self.key: String(radius)].merging(lines ? [Self.linesKey: "yes"] : [:]) { a, _ in a }
    }

    public init(metadata: [String: String]) throws(CleaningModelError) {
        guard let text = metadata[Self.key], let r = Int(text), (2...64).contains(r) else {
            throw .invalidMetadata(key: Self.key, value: metadata[Self.key])
        }
        radius = r
        switch metadata[Self.linesKey] {
        case nil, "no": lines = false
        case "yes": lines = true
        case let other: throw .invalidMetadata(key: Self.linesKey, value: other)
        }
    }

    public static var overrides: [StageOverride] {
        [StageOverride(name: "flat-area", valueName: "r",
                       help: "Average the estimate where the decode is constant over the (2r+1)² window around a pixel, 0 for off (0 or 2…64).") { pipeline, text throws(StageOverrideError) in
            let r = try StageOverride.integer(text, "flat-area", in: 0...64)
            if r == 0 { pipeline.remove(FlatAreaStage.self); return }
            guard r >= 2 else { throw StageOverrideError(message: "The value '\(text)' is invalid for '--flat-area': expected 0 or an integer in 2…64.") }
            pipeline.insert(FlatAreaStage(radius: r, lines: pipeline.stage(FlatAreaStage.self)?.lines ?? false))
        },
         StageOverride(name: "flat-lines", valueName: "yes|no",
                       help: "With the flat-area stage, also average along rows, then columns, where the decode is constant over the 2r+1 pixels along them.") { pipeline, text throws(StageOverrideError) in
            let on = try StageOverride.choice(text, "flat-lines", ["yes", "no"]) == "yes"
            guard var stage = pipeline.stage(FlatAreaStage.self) else { return }
            stage.lines = on
            pipeline.insert(stage)
        }]
    }
}
