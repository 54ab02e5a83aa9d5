import JPEGCodec

extension PaletteStage {
    /// The palette's snaps, decided before any is made: for each pixel the distance to the
    /// colour it snaps to and that colour's index, and each colour's target.
    ///
    /// Why not snap in place: every test of the stage (the snaps themselves, the shared-chroma
    /// test, the check of the bins, the chroma given back) reads the estimate as it was before
    /// the stage, so snapping as it goes needed a second copy of the whole image — 12 bytes per
    /// pixel, the last and largest allocation of a clean, which set its peak memory
    /// (`Notes/throughput.md`, nineteenth round). Here the estimate stays as it was until
    /// ``write(into:threads:)``; the result is the same.
    struct Snaps {
        /// Per pixel: the largest channel difference to the colour it snaps to, `.infinity`
        /// where it snaps to none. A pixel keeps its distance when the check of the bins undoes
        /// its snap (it still counts as snapped, not as a pixel that takes chroma back).
        var distance: [Float]
        /// Per pixel: the index of the colour it snaps to, or −1 (no snap, or undone).
        var colour: [Int32]
        /// Colour k's target in `targets[k·4 ..< k·4 + channels]`.
        private(set) var targets: [Float]
        let channels: Int

        init(pixels: Int, colours: Int, channels: Int) {
            distance = [Float](repeating: .infinity, count: pixels)
            colour = [Int32](repeating: -1, count: pixels)
            targets = [Float](repeating: 0, count: colours * 4)
            self.channels = channels
        }

        /// Sets colour `index`'s target (`channels` values).
        mutating func setTarget(_ target: [Float], of index: Int) {
            for ch in 0..<channels { targets[index * 4 + ch] = target[ch] }
        }

        /// Undoes every snap of each block whose snaps move its luma more than ``binSlack``
        /// further out of the file's bins (``LumaFeasibility`` on `image`, the estimate before
        /// the snaps, RGB). Blocks are independent: block rows split among the threads.
        mutating func undoInfeasible(in image: FloatImage, luma: CoefficientPlane, reference: Plane, threads: Int) {
            let test = LumaFeasibility(image: image, luma: luma, reference: reference, slack: PaletteStage.binSlack)
            let w = image.width, h = image.height
            targets.withUnsafeBufferPointer { t in
            distance.withUnsafeBufferPointer { s in
            colour.withUnsafeMutableBufferPointer { k in
                let best = SharedInput(s), target = SharedInput(t), chosen = SharedOutput(k)
                RowBands.runDynamic(test.blocksHigh, chunkRows: 4, samplesPerRow: 8 * w, threads: threads) { blockRows in
                    for by in blockRows {
                        let ys = (by * 8)..<min(by * 8 + 8, h)
                        for bx in 0..<test.blocksWide {
                            let xs = (bx * 8)..<min(bx * 8 + 8, w)
                            guard ys.contains(where: { y in xs.contains { best.base[y * w + $0].isFinite } }) else { continue }
                            let allowed = test.allows(blockX: bx, blockY: by) { p in
                                guard best.base[p].isFinite else { return nil }
                                let rgb = target.base + Int(chosen.base[p]) * 4
                                return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] - 128
                            }
                            guard !allowed else { continue }
                            for y in ys { for x in xs where best.base[y * w + x].isFinite { chosen.base[y * w + x] = -1 } }
                        }
                    }
                }
            }}}
        }

        /// Writes each snap that is left into `image`; rows split among the threads.
        func write(into image: inout FloatImage, threads: Int) {
            let c = channels, w = image.width
            targets.withUnsafeBufferPointer { t in
            colour.withUnsafeBufferPointer { k in
            image.samples.withUnsafeMutableBufferPointer { e in
                let target = SharedInput(t), chosen = SharedInput(k), out = SharedOutput(e)
                RowBands.run(image.height, samplesPerRow: w * c, threads: threads) { rows in
                    for i in (rows.lowerBound * w)..<(rows.upperBound * w) where chosen.base[i] >= 0 {
                        let rgb = target.base + Int(chosen.base[i]) * 4
                        for ch in 0..<c { out.base[i * c + ch] = rgb[ch] }
                    }
                }
            }}}
        }
    }
}
