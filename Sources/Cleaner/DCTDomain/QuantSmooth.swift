import JPEGCodec
import Linalg

/// DCT-domain luma smoothing inside the quantization bins, after the idea of
/// jpeg-quantsmooth (written anew from a description of its algorithm).
///
/// Every AC coefficient of every block is moved, within the interval the file proves the
/// original's coefficient lay in (`[(n − ½)·Q, (n + ½)·Q]` for the stored value `n` and table
/// entry `Q`), to the value that best flattens the small pixel differences the coefficient
/// controls: between horizontal and vertical neighbours inside the block and between the
/// block's 32 edge pixels and the pixels just outside it. Each difference `d` is weighted by
/// `max(0, threshold·Q − |d|)⁴`, so differences of `threshold·Q` or more count as real edges
/// and are left alone. The DC coefficient is never changed.
///
/// One iteration rebuilds the component from the current coefficients (clamped to 0…255, a
/// one-pixel border replicated), then updates every block against that fixed image, its AC
/// coefficients one at a time in reverse zigzag order (highest frequency first), each update
/// seeing the ones before it. Blocks are independent within an iteration.
///
/// Every output coefficient lies in its bin, so like ``DCTProjection`` the result is one the
/// file could have come from.
///
/// Why these defaults (rounds, threshold, decay): `Notes/experiments.md`, "Luma: smoothing
/// inside the quantization bins".
public enum QuantSmooth {
    /// Parameters of the smoothing.
    public struct Options: Equatable, Sendable {
        /// Rebuild-and-update rounds (≥ 1); the reference tool uses 3.
        public var iterations: Int
        /// Pixel differences of `threshold · Q` or more (Q the coefficient's quantization step,
        /// on the 8-bit scale of the DCT) get weight 0, i.e. are treated as real edges (> 0;
        /// the reference uses 2).
        public var threshold: Float
        /// Each round after the first uses the previous round's threshold times this factor
        /// (0 < decay ≤ 1): later rounds flatten only smaller differences, so texture that
        /// survived the first round is not worn away round after round.
        public var thresholdDecay: Float
        /// After a block's update, when its AC coefficients lost energy along the file's own
        /// (dequantized) coefficients `a`, scale them all by `Σa² / Σc·a` and clamp them back
        /// into their bins (the reference's "rebalance"). Measured slightly worse here, so off
        /// by default.
        public var rebalance: Bool
        /// Use the differences between neighbours inside the block; false: only the block-edge
        /// pairs (a pure deblocking).
        public var inBlockPairs: Bool
        /// Also use the two diagonal pairs per pixel (in the block and across its edges); the
        /// block-edge gain is then 4 instead of 2.
        public var diagonalPairs: Bool

        /// Options; the defaults are the best measured setting (`Notes/experiments.md`): the
        /// reference tool's threshold 2 with in-block and block-edge pairs, but 2 rounds (not 3),
        /// the second at a quarter of the threshold, and no rebalance. A plain `decay` of 1
        /// repeats the reference's rounds.
        public init(iterations: Int = 2, threshold: Float = 2, thresholdDecay: Float = 0.25,
                    rebalance: Bool = false, inBlockPairs: Bool = true, diagonalPairs: Bool = false) {
            precondition(iterations >= 1 && threshold > 0 && thresholdDecay > 0 && thresholdDecay <= 1,
                         "invalid quant-smooth options")
            self.iterations = iterations
            self.threshold = threshold
            self.thresholdDecay = thresholdDecay
            self.rebalance = rebalance
            self.inBlockPairs = inBlockPairs
            self.diagonalPairs = diagonalPairs
        }
    }

    /// Smooths a luma plane inside the quantization bins of its coefficients.
    ///
    /// - Parameters:
    ///   - plane: the component at its own resolution (for luma, the image's), 8-bit scale
    ///     (0…255, not level-shifted): a prediction or the plain decode. Its DCT coefficients
    ///     (after edge extension to whole blocks), clamped into the file's bins, are the start.
    ///     With the plain decode this is the file's dequantized coefficients up to rounding.
    ///   - coefficients: the file's coefficients of this component; they must cover at least
    ///     `⌈width/8⌉ × ⌈height/8⌉` blocks (padding blocks beyond are ignored).
    ///   - options: rounds, threshold, rebalance, which pairs.
    ///   - threads: threads for each round's blocks (the result does not depend on it).
    ///   - shareRepeats: whether a block whose inputs repeat an earlier block's takes its
    ///     result (``firstRepeats(image:coef:original:blocksWide:blocksHigh:stride:threads:)``)
    ///     instead of being worked out again; the same result either way (false: for tests).
    /// - Returns: the smoothed component, `width × height`, unrounded and unclamped (the
    ///   inverse DCT of coefficients that all lie in their bins).
    static func smooth(_ plane: Plane, coefficients: CoefficientPlane,
                       options: Options = Options(), threads: Int = 1, shareRepeats: Bool = true) -> Plane {
        let w = plane.width, h = plane.height
        guard w > 0, h > 0 else { return plane }
        let bw = (w + 7) / 8, bh = (h + 7) / 8
        precondition(coefficients.blocksWide >= bw && coefficients.blocksHigh >= bh,
                     "coefficients cover fewer blocks than the plane needs")
        let pw = bw * 8, ph = bh * 8
        // The start: the plane's DCT (edge-extended to whole blocks) clamped into the bins.
        // The bins themselves are not stored (three more floats per sample): each round works
        // them out per block from the file's coefficients and the table (``BinPointers``).
        var coef = [Float].unfilled(bw * bh * 64)
        let q = coefficients.quantization.map { Float($0) }
        let cbw = coefficients.blocksWide
        plane.samples.withUnsafeBufferPointer { srcBuffer in
        coefficients.coefficients.withUnsafeBufferPointer { fileBuffer in
        q.withUnsafeBufferPointer { qBuffer in
        coef.withUnsafeMutableBufferPointer { c in
            // Each block writes only its own 64 entries: rows of blocks go to the threads.
            let src = SharedInput(srcBuffer), coefOut = SharedOutput(c)
            let bins = BinPointers(file: fileBuffer.baseAddress!, fileBlocksWide: cbw, quantization: qBuffer.baseAddress!)
            RowBands.run(bh, samplesPerRow: 64 * bw, threads: threads) { rows in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * 64) { scratch in
                    let lo = scratch.baseAddress!, hi = lo + 64
                    for by in rows {
                        for bx in 0..<bw {
                            let blk = coefOut.base + (by * bw + bx) * 64
                            BlockIO.loadEdgeExtended(blk, from: src.base, width: w, height: h, x: bx * 8, y: by * 8, offset: -128)
                            DCT8x8.forward(blk)
                            bins.fill(bx, by, into: lo)
                            for i in 0..<64 { blk[i] = min(max(blk[i], lo[i]), hi[i]) }
                        }
                    }
                }
            }
        }}}}
        let tables = Tables.shared
        let stride = pw + 2
        var image = [Float].unfilled(stride * (ph + 2))  // every sample written by `rebuild`
        var roundOptions = options
        for round in 0..<options.iterations {
            if round > 0 { roundOptions.threshold *= options.thresholdDecay }
            rebuild(coef, blocksWide: bw, blocksHigh: bh, into: &image, clamp: true, threads: threads)
            image.withUnsafeBufferPointer { img in
            coef.withUnsafeMutableBufferPointer { c in
            coefficients.coefficients.withUnsafeBufferPointer { fileBuffer in
            q.withUnsafeBufferPointer { qt in
                // Blocks are independent within a round (each reads the fixed image and writes
                // only its own coefficients): rows of blocks go to `threads` threads, four at a
                // time to whichever is free (flat blocks cost little), and the result is the
                // same for any thread count.
                let bins = BinPointers(file: fileBuffer.baseAddress!, fileBlocksWide: cbw, quantization: qt.baseAddress!)
                let p = RoundPointers(image: img.baseAddress!, coef: c.baseAddress!, bins: bins)
                let options = roundOptions
                // A block whose inputs repeat an earlier one's takes its result afterwards.
                let first = shareRepeats
                    ? firstRepeats(image: img.baseAddress!, coef: c.baseAddress!, file: bins.file, fileBlocksWide: cbw,
                                   blocksWide: bw, blocksHigh: bh, stride: stride, threads: threads)
                    : Array(0..<(bw * bh))
                first.withUnsafeBufferPointer { f in
                    let firstOf = SharedInput(f)
                    RowBands.runDynamic(bh, chunkRows: 4, samplesPerRow: 64 * bw, threads: threads) { rows in
                        withUnsafeTemporaryAllocation(of: Int.self, capacity: bw) { own in
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * 3 * 64) { scratch in
                            let binsA = scratch.baseAddress!, binsB = binsA + 3 * 64
                            for by in rows {
                                var count = 0
                                for bx in 0..<bw where firstOf.base[by * bw + bx] == by * bw + bx {
                                    own[count] = bx
                                    count += 1
                                }
                                // Two blocks at a time: their updates are independent chains that
                                // the core overlaps (one block's chain is latency-bound).
                                for k in Swift.stride(from: 0, to: count, by: 2) {
                                    smoothBlocks(p.block(own[k], by, blocksWide: bw, stride: stride, bins: binsA),
                                                 k + 1 < count ? p.block(own[k + 1], by, blocksWide: bw, stride: stride, bins: binsB) : nil,
                                                 quantization: p.bins.quantization, stride: stride, tables: tables, options: options)
                                }
                            }
                        }
                        }
                    }
                    // Then each repeated block copies its first's updated coefficients.
                    RowBands.run(bh, samplesPerRow: 64 * bw, threads: threads) { rows in
                        for n in (rows.lowerBound * bw)..<(rows.upperBound * bw) where firstOf.base[n] != n {
                            (p.coef + n * 64).update(from: p.coef + firstOf.base[n] * 64, count: 64)
                        }
                    }
                }
            }}}}
        }
        // The result: the inverse DCT of the final coefficients, unclamped, cropped (the blocks
        // write every sample).
        var out = [Float].unfilled(w * h)
        coef.withUnsafeBufferPointer { c in
            out.withUnsafeMutableBufferPointer { o in
                let coefIn = SharedInput(c), dst = SharedOutput(o)
                RowBands.run(bh, samplesPerRow: 64 * bw, threads: threads) { rows in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { blk in
                        for by in rows {
                            for bx in 0..<bw {
                                let base = (by * bw + bx) * 64
                                for i in 0..<64 { blk[i] = coefIn.base[base + i] }
                                DCT8x8.inverse(blk.baseAddress!)
                                BlockIO.storeCropped(blk.baseAddress!, to: dst.base, width: w, height: h,
                                                     x: bx * 8, y: by * 8, offset: 128)
                            }
                        }
                    }
                }
            }
        }
        return Plane(width: w, height: h, samples: out)
    }

    /// The file's coefficients of a component and its table, from which each block's bins
    /// (`[(n − ½)·Q, (n + ½)·Q]`) and dequantized coefficients (`n·Q`) are worked out when the
    /// block is updated, instead of being kept as three more float planes (12 bytes per sample).
    struct BinPointers: @unchecked Sendable {
        let file: UnsafePointer<Int16>, fileBlocksWide: Int
        let quantization: UnsafePointer<Float>

        /// Writes block (bx, by)'s lower bin edges to `out[0..<64]`, upper edges to
        /// `out[64..<128]` and dequantized coefficients to `out[128..<192]` (natural order).
        @inline(__always)
        func fill(_ bx: Int, _ by: Int, into out: UnsafeMutablePointer<Float>) {
            let f = file + (by * fileBlocksWide + bx) * 64
            for i in 0..<64 {
                let center = Float(f[i]) * quantization[i], half = 0.5 * quantization[i]
                out[i] = center - half
                out[64 + i] = center + half
                out[128 + i] = center
            }
        }
    }

    /// The buffers of one round, shared read-only (image, file coefficients, table) or by
    /// disjoint blocks (coefficients) among the threads of ``smooth(_:coefficients:options:threads:)``.
    struct RoundPointers: @unchecked Sendable {
        let image: UnsafePointer<Float>, coef: UnsafeMutablePointer<Float>
        let bins: BinPointers

        /// Block (bx, by) of a plane `blocksWide` blocks wide, its image rows `stride` apart,
        /// with its bins and dequantized coefficients written to `scratch` (192 floats).
        func block(_ bx: Int, _ by: Int, blocksWide: Int, stride: Int, bins scratch: UnsafeMutablePointer<Float>) -> Block {
            bins.fill(bx, by, into: scratch)
            return Block(c: coef + (by * blocksWide + bx) * 64, lo: scratch, hi: scratch + 64, original: scratch + 128,
                         image: image + (by * 8 + 1) * stride + bx * 8 + 1)
        }
    }

    /// The weight of a pixel difference `d` when differences of `limit` or more are edges:
    /// `max(0, limit − |d|)⁴`.
    @inlinable
    static func weight(_ d: Float, limit: Float) -> Float {
        let a = limit - abs(d)
        guard a > 0 else { return 0 }
        let a2 = a * a
        return a2 * a2
    }

    /// The weighted least-squares step for one coefficient: `Σ W·d·g / Σ W·g²` over pairs of
    /// difference `d` and gain `g` (how much `d` changes per unit of the coefficient), or nil
    /// when no pair has weight and gain. The coefficient moves by minus this step.
    static func step(differences: [Float], gains: [Float], limit: Float) -> Float? {
        precondition(differences.count == gains.count, "one gain per difference")
        var num: Float = 0, den: Float = 0
        for (d, g) in zip(differences, gains) {
            let wt = weight(d, limit: limit)
            num += wt * d * g
            den += wt * g * g
        }
        return den > 0 ? num / den : nil
    }

    /// Writes the component that `coef` describes (+128, clamped to 0…255 when `clamp`) into
    /// `image`, a `(8·blocksWide + 2) × (8·blocksHigh + 2)` plane with a one-pixel border that
    /// replicates the edge samples.
    static func rebuild(_ coef: [Float], blocksWide bw: Int, blocksHigh bh: Int,
                        into image: inout [Float], clamp: Bool, threads: Int = 1) {
        let pw = bw * 8, ph = bh * 8, stride = pw + 2
        precondition(image.count == stride * (ph + 2), "image has the wrong size")
        coef.withUnsafeBufferPointer { c in
        image.withUnsafeMutableBufferPointer { img in
            // Each block writes its own 8×8 samples: rows of blocks go to the threads.
            let coefIn = SharedInput(c), inner = SharedOutput(img.baseAddress! + stride + 1)
            RowBands.run(bh, samplesPerRow: 64 * bw, threads: threads) { rows in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { blk in
                    for by in rows {
                        for bx in 0..<bw {
                            let base = (by * bw + bx) * 64
                            for i in 0..<64 { blk[i] = coefIn.base[base + i] }
                            DCT8x8.inverse(blk.baseAddress!)
                            if clamp { for i in 0..<64 { blk[i] = min(max(blk[i] + 128, 0), 255) - 128 } }
                            BlockIO.store(blk.baseAddress!, to: inner.base, stride: stride, x: bx * 8, y: by * 8, offset: 128)
                        }
                    }
                }
            }
            // The border: rows first (inner columns), then whole columns (corners included).
            for x in 1...pw {
                img[x] = img[stride + x]
                img[(ph + 1) * stride + x] = img[ph * stride + x]
            }
            for y in 0..<(ph + 2) {
                img[y * stride] = img[y * stride + 1]
                img[y * stride + pw + 1] = img[y * stride + pw]
            }
        }}
    }
}
