extension GuidedChroma {
    /// The low-resolution model `(a, b)` of a 2 × 2 subsampled chroma plane evaluated on the
    /// full-resolution guide, `up(a)·guide + up(b)` with `up` = ``Resampling/fancyUpsample2x2(_:width:height:)``,
    /// and with `fallback` pulled back toward the decode's chroma by the upsampled weight
    /// (``pullBack(_:toward:weight:)``).
    ///
    /// The same operations in the same order as upsampling `a`, `b` and the weight whole and
    /// then combining them (so the same samples), done one row at a time: three rows of scratch
    /// instead of three full-resolution planes, and one pass over the output instead of five.
    /// On a 12 MP image that is about 150 MB less memory to fault in per plane and round.
    static func evaluate2x2(a: Plane, b: Plane, guide: Plane, fallback: (weight: Plane, chroma: Plane)?,
                            threads: Int = 1) -> Plane {
        let w = guide.width, h = guide.height
        var out = [Float].unfilled(w * h)  // every sample written below
        let weight = fallback?.weight.samples ?? [], chroma = fallback?.chroma.samples ?? []
        precondition(fallback == nil || chroma.count == w * h, "planes differ in size")
        let aSize = (a.width, a.height), bSize = (b.width, b.height)
        let kSize = fallback.map { ($0.weight.width, $0.weight.height) }
        a.samples.withUnsafeBufferPointer { pa in b.samples.withUnsafeBufferPointer { pb in
        weight.withUnsafeBufferPointer { pk in chroma.withUnsafeBufferPointer { pc in
        guide.samples.withUnsafeBufferPointer { g in out.withUnsafeMutableBufferPointer { o in
            let pa = SharedInput(pa), pb = SharedInput(pb), pk = SharedInput(pk), pc = SharedInput(pc)
            let g = SharedInput(g), o = SharedOutput(o)
            RowBands.run(h, samplesPerRow: w, threads: threads) { band in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * max(w, 1)) { scratch in
                    let ua = scratch.baseAddress!, ub = ua + w, uk = ub + w
                    let rowsA = FancyRows2x2(pa.base, width: aSize.0, height: aSize.1)
                    let rowsB = FancyRows2x2(pb.base, width: bSize.0, height: bSize.1)
                    let rowsK = kSize.map { FancyRows2x2(pk.base, width: $0.0, height: $0.1) }
                    defer { rowsA.deallocate(); rowsB.deallocate(); rowsK?.deallocate() }
                    for y in band {
                        rowsA.row(y, into: ua, width: w)
                        rowsB.row(y, into: ub, width: w)
                        let guideRow = g.base + y * w, row = o.base + y * w
                        for x in 0..<w { row[x] = ua[x] * guideRow[x] + ub[x] }
                        guard let rowsK else { continue }
                        rowsK.row(y, into: uk, width: w)
                        pullBackRow(row, toward: pc.base + y * w, weight: uk, count: w)
                    }
                }
            }
        }}}}}}
        return Plane(width: w, height: h, samples: out)
    }

    /// `guided ← chroma + up(weight)·(guided − chroma)`, with `weight` (0…1, low resolution)
    /// upsampled 2 × 2 as ``Resampling/fancyUpsample2x2(_:width:height:)`` does, one row at a time.
    static func pullBack(_ guided: inout Plane, toward chroma: Plane, weight: Plane, threads: Int = 1) {
        let w = guided.width, h = guided.height
        precondition(chroma.width == w && chroma.height == h, "planes differ in size")
        let kSize = (weight.width, weight.height)
        weight.samples.withUnsafeBufferPointer { pk in chroma.samples.withUnsafeBufferPointer { pc in
        guided.samples.withUnsafeMutableBufferPointer { g in
            let pk = SharedInput(pk), pc = SharedInput(pc), g = SharedOutput(g)
            RowBands.run(h, samplesPerRow: w, threads: threads) { band in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: max(w, 1)) { scratch in
                    let rows = FancyRows2x2(pk.base, width: kSize.0, height: kSize.1)
                    defer { rows.deallocate() }
                    for y in band {
                        rows.row(y, into: scratch.baseAddress!, width: w)
                        pullBackRow(g.base + y * w, toward: pc.base + y * w, weight: scratch.baseAddress!, count: w)
                    }
                }
            }
        }}}
    }

    /// `row[x] ← chroma[x] + weight[x]·(row[x] − chroma[x])` for `x < count`.
    @inline(__always)
    static func pullBackRow(_ row: UnsafeMutablePointer<Float>, toward chroma: UnsafePointer<Float>,
                            weight: UnsafePointer<Float>, count: Int) {
        for x in 0..<count { row[x] = chroma[x] + weight[x] * (row[x] - chroma[x]) }
    }
}
