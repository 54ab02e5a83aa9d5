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
    static func evaluate2x2(a: Plane, b: Plane, guide: Plane, fallback: (weight: Plane, chroma: Plane)?) -> Plane {
        let w = guide.width, h = guide.height
        var out = [Float].unfilled(w * h)  // every sample written below
        let weight = fallback?.weight.samples ?? [], chroma = fallback?.chroma.samples ?? []
        precondition(fallback == nil || chroma.count == w * h, "planes differ in size")
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * max(w, 1)) { scratch in
            let ua = scratch.baseAddress!, ub = ua + w, uk = ub + w
            a.samples.withUnsafeBufferPointer { pa in b.samples.withUnsafeBufferPointer { pb in
            weight.withUnsafeBufferPointer { pk in chroma.withUnsafeBufferPointer { pc in
            guide.samples.withUnsafeBufferPointer { g in out.withUnsafeMutableBufferPointer { o in
                let rowsA = FancyRows2x2(pa.baseAddress!, width: a.width, height: a.height)
                let rowsB = FancyRows2x2(pb.baseAddress!, width: b.width, height: b.height)
                let rowsK = fallback.map { FancyRows2x2(pk.baseAddress!, width: $0.weight.width, height: $0.weight.height) }
                defer { rowsA.deallocate(); rowsB.deallocate(); rowsK?.deallocate() }
                for y in 0..<h {
                    rowsA.row(y, into: ua, width: w)
                    rowsB.row(y, into: ub, width: w)
                    let guideRow = g.baseAddress! + y * w, row = o.baseAddress! + y * w
                    for x in 0..<w { row[x] = ua[x] * guideRow[x] + ub[x] }
                    guard let rowsK else { continue }
                    rowsK.row(y, into: uk, width: w)
                    pullBackRow(row, toward: pc.baseAddress! + y * w, weight: uk, count: w)
                }
            }}}}}}
        }
        return Plane(width: w, height: h, samples: out)
    }

    /// `guided ← chroma + up(weight)·(guided − chroma)`, with `weight` (0…1, low resolution)
    /// upsampled 2 × 2 as ``Resampling/fancyUpsample2x2(_:width:height:)`` does, one row at a time.
    static func pullBack(_ guided: inout Plane, toward chroma: Plane, weight: Plane) {
        let w = guided.width, h = guided.height
        precondition(chroma.width == w && chroma.height == h, "planes differ in size")
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(w, 1)) { scratch in
            weight.samples.withUnsafeBufferPointer { pk in chroma.samples.withUnsafeBufferPointer { pc in
            guided.samples.withUnsafeMutableBufferPointer { g in
                let rows = FancyRows2x2(pk.baseAddress!, width: weight.width, height: weight.height)
                defer { rows.deallocate() }
                for y in 0..<h {
                    rows.row(y, into: scratch.baseAddress!, width: w)
                    pullBackRow(g.baseAddress! + y * w, toward: pc.baseAddress! + y * w,
                                weight: scratch.baseAddress!, count: w)
                }
            }}}
        }
    }

    /// `row[x] ← chroma[x] + weight[x]·(row[x] − chroma[x])` for `x < count`.
    @inline(__always)
    static func pullBackRow(_ row: UnsafeMutablePointer<Float>, toward chroma: UnsafePointer<Float>,
                            weight: UnsafePointer<Float>, count: Int) {
        for x in 0..<count { row[x] = chroma[x] + weight[x] * (row[x] - chroma[x]) }
    }
}
