import Linalg

extension NetworkStage {
    /// Runs the windows `work` (indices into `grid`) through `workers` in batches, each batch
    /// on one thread from cutting its windows out of `input` to placing its outputs: the
    /// outputs of `work[..<firstKept]` are added to `acc` (whose outputs must not overlap), and
    /// those of the rest are returned, one after another (`perOutput` floats each).
    static func predictDisjoint(_ work: [Int], input: FloatImage, grid: WindowGrid, side: [Float]?, perOutput: Int,
                                firstKept: Int, into acc: inout OverlapAccumulator,
                                workers: WindowPredictor, threads: Int) -> [Float] {
        precondition(acc.outputsAreDisjoint, "outputs that overlap must be added in one order")
        let s = grid.geometry.windowSize, per = s * s * input.channels, sideCount = side?.count ?? 0
        let row = per + sideCount, batch = workers.batch, pool = min(max(threads, 1), workers.workers)
        let batches = (work.count + batch - 1) / batch
        // Every kept row is written below; the workers' input and output buffers are scratch.
        var kept = [Float].unfilled((work.count - firstKept) * perOutput)
        var inputs = [Float].unfilled(pool * batch * row), outputs = [Float].unfilled(pool * batch * perOutput)
        let sideValues = side ?? []
        work.withUnsafeBufferPointer { workBuffer in
        kept.withUnsafeMutableBufferPointer { keptBuffer in
        inputs.withUnsafeMutableBufferPointer { inBuffer in
        outputs.withUnsafeMutableBufferPointer { outBuffer in
        sideValues.withUnsafeBufferPointer { sideBuffer in
            let list = SharedInput(workBuffer), keptOut = SharedOutput(keptBuffer), sideIn = SharedInput(sideBuffer)
            let x = SharedOutput(inBuffer), y = SharedOutput(outBuffer)
            acc.withAdder { adder in
                parallelForEach(batches, threads: pool) { worker, b in
                    let lo = b * batch, hi = min(lo + batch, work.count)
                    let windows = x.base + worker * batch * row, results = y.base + worker * batch * perOutput
                    for n in lo..<hi {
                        let (ox, oy) = grid.origin(ofWindow: list.base[n])
                        let dst = windows + (n - lo) * row
                        Windows.extractSquare(from: input, x: ox, y: oy, size: s, into: UnsafeMutableBufferPointer(start: dst, count: per))
                        if sideCount > 0 { (dst + per).update(from: sideIn.base, count: sideCount) }
                    }
                    workers.run(windows, hi - lo, results, worker)
                    for n in lo..<hi {
                        let values = results + (n - lo) * perOutput
                        if n < firstKept {
                            adder.add(values, window: list.base[n])
                        } else {
                            (keptOut.base + (n - firstKept) * perOutput).update(from: values, count: perOutput)
                        }
                    }
                }
            }
        }}}}}
        return kept
    }
}
