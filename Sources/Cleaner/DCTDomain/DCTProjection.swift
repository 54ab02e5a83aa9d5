/// DCT-domain projection: the classical prior that a cleaned image must still be one the
/// JPEG file could have come from.
///
/// For every 8×8 block of a component, the DCT of the prediction (level-shifted by −128,
/// ``DCT8x8``) is computed and each coefficient is clamped into the quantization bin the
/// file proves its original lay in: `[(k − ½)·Q, (k + ½)·Q]` for the stored value `k` and
/// table entry `Q`. Only the change is inverse-transformed and added back, so a block whose
/// coefficients all lie in their bins is returned bit-for-bit unchanged.
///
/// Clamping into an interval that contains the true coefficient never moves a coefficient
/// away from it, and the DCT is orthonormal, so the projection never increases a block's
/// squared error in the component's own sample domain.
enum DCTProjection {
    /// Projects a prediction of one component onto the quantization bins of its
    /// coefficients.
    ///
    /// - Parameters:
    ///   - prediction: the predicted component at full image resolution, 8-bit scale
    ///     (0…255, not level-shifted), `width × height` of the image.
    ///   - coefficients: the file's coefficients and table for this component. They must
    ///     cover at least `⌈⌈width/factorX⌉/8⌉ × ⌈⌈height/factorY⌉/8⌉` blocks (extra padding
    ///     blocks are ignored).
    ///   - factorX: horizontal subsampling of the component relative to the image,
    ///     `Hmax / H` (1 for luma, 2 for 4:2:0 or 4:2:2 chroma).
    ///   - factorY: vertical subsampling `Vmax / V` (2 for 4:2:0 chroma).
    ///   - reference: optionally the plain decode of the same component at full resolution.
    ///     Each bin is then widened just enough to contain the reference's own coefficient
    ///     (computed the same way, edge extension included), so the plain decode is an
    ///     exact fixed point even where 8-bit rounding and clipping at 0/255 pushed it out
    ///     of its bins, and in partial edge blocks, whose padding the decoder computed by
    ///     IDCT while the projection pads by edge replication. The true coefficient still
    ///     lies in the widened bin, so the never-further-from-the-truth property holds.
    ///     Without a reference, an unrounded decode is a fixed point only when the plane is
    ///     a whole number of (subsampled) blocks.
    ///   - slack: widens every bin by this much on each side, in coefficient units (the
    ///     DCT scale above; 0 = the exact bin). A real encoder quantizes integer-rounded
    ///     samples with an integer DCT, so the original's coefficients can sit a fraction of
    ///     a unit outside the exact bin; a slack of ~0.5–1 tolerates that.
    /// - Returns: the projected prediction, `width × height`, unrounded.
    ///
    /// With subsampling, the prediction is edge-extended to the padded component size
    /// times the factors (as the encoder extends the image), box-averaged down
    /// (``Resampling/boxDownsample(_:factorX:factorY:)``), projected at the component's
    /// resolution, and the low-resolution correction is replicated up and added to the
    /// full-resolution prediction: its box average is then exactly the projected
    /// low-resolution plane, while the full-resolution detail of the prediction is kept.
    ///   - threads: Threads for the blocks and samples (the result does not depend on it).
    ///   - lowReference: instead of `reference`, the same reference already reduced to the
    ///     component's grid (``Bins/lowReference(of:width:height:factorX:factorY:threads:)``).
    static func project(_ prediction: consuming Plane, onto coefficients: CoefficientPlane,
                        factorX: Int = 1, factorY: Int = 1,
                        reference: Plane? = nil, lowReference: Plane? = nil, slack: Float = 0, threads: Int = 1) -> Plane {
        let bins = Bins(coefficients, width: prediction.width, height: prediction.height,
                        factorX: factorX, factorY: factorY, reference: reference, lowReference: lowReference,
                        slack: slack, threads: threads)
        return project(consume prediction, onto: bins, threads: threads)
    }

    /// Projects `prediction` (the size `bins` was made for) onto `bins`: the same as
    /// ``project(_:onto:factorX:factorY:reference:slack:threads:)`` with the bins' inputs, for
    /// callers that project onto the same bins again and again.
    /// `prediction` is consumed: when the caller passes its only reference (``Plane/take()``),
    /// the correction is added in place instead of to a copy.
    static func project(_ prediction: consuming Plane, onto bins: Bins, threads: Int = 1) -> Plane {
        let w = prediction.width, h = prediction.height
        precondition(w == bins.width && h == bins.height, "the bins were made for another size")
        let low = Resampling.boxDownsample(prediction, factorX: bins.factorX, factorY: bins.factorY,
                                           width: bins.blocksWide * 8, height: bins.blocksHigh * 8, threads: threads)
        guard let delta = correction(low, bins, threads: threads) else { return prediction }
        var out = consume prediction
        Resampling.addReplicated(delta, factorX: bins.factorX, factorY: bins.factorY, to: &out, threads: threads)
        return out
    }

    /// The interval each coefficient of a component is clamped into: its quantization bin
    /// (widened by the slack, and to hold the reference's own coefficient when there is one),
    /// for a prediction of `width × height` at full image resolution.
    struct Bins: Sendable {
        let width: Int, height: Int, factorX: Int, factorY: Int
        /// The component's blocks the prediction covers.
        let blocksWide: Int, blocksHigh: Int
        /// Per block (row-major, `blocksWide` per row) 64 lower and 64 upper bounds, natural
        /// order, on the DCT scale.
        let lo: [Float], hi: [Float]

        /// The component's blocks a `width × height` image covers at these subsampling factors.
        static func blocks(width w: Int, height h: Int, factorX: Int, factorY: Int) -> (wide: Int, high: Int) {
            let cw = (w + factorX - 1) / factorX, ch = (h + factorY - 1) / factorY
            return ((cw + 7) / 8, (ch + 7) / 8)
        }

        /// `reference` (a component of the plain decode at full resolution, `width × height`)
        /// as the bins use it: box-averaged through the subsampling onto the component's grid
        /// and edge-extended to whole blocks. A caller that makes bins from the same reference
        /// more than once can keep this instead of the full plane (a quarter of it for 4:2:0).
        static func lowReference(of reference: Plane, width w: Int, height h: Int, factorX: Int, factorY: Int,
                                 threads: Int = 1) -> Plane {
            precondition(reference.width == w && reference.height == h, "reference and prediction differ in size")
            let (bw, bh) = blocks(width: w, height: h, factorX: factorX, factorY: factorY)
            return Resampling.boxDownsample(reference, factorX: factorX, factorY: factorY, width: bw * 8, height: bh * 8,
                                            threads: threads)
        }

        /// Bins for a prediction of `width × height`; the plain decode, if given, as `reference`
        /// (full resolution) or already reduced as `lowReference` (not both).
        init(_ coefficients: CoefficientPlane, width w: Int, height h: Int, factorX: Int = 1, factorY: Int = 1,
             reference: Plane? = nil, lowReference: Plane? = nil, slack: Float = 0, threads: Int = 1) {
            precondition(factorX >= 1 && factorY >= 1, "factors are ≥ 1")
            precondition(reference == nil || lowReference == nil, "one form of the reference")
            let (bw, bh) = Self.blocks(width: w, height: h, factorX: factorX, factorY: factorY)
            precondition(coefficients.blocksWide >= bw && coefficients.blocksHigh >= bh,
                         "coefficients cover fewer blocks than the component needs")
            if let l = lowReference { precondition(l.width == bw * 8 && l.height == bh * 8, "the reduced reference has the wrong size") }
            let low = lowReference ?? reference.map {
                Self.lowReference(of: $0, width: w, height: h, factorX: factorX, factorY: factorY, threads: threads)
            }
            var lo = [Float].unfilled(bw * bh * 64), hi = [Float].unfilled(bw * bh * 64)  // every block writes its 64
            let q = coefficients.quantization.map { Float($0) }
            let refSamples = low?.samples ?? [], hasRef = low != nil, stride = bw * 8, cbw = coefficients.blocksWide
            refSamples.withUnsafeBufferPointer { refBuffer in
            coefficients.coefficients.withUnsafeBufferPointer { coefBuffer in
            q.withUnsafeBufferPointer { qBuffer in
            lo.withUnsafeMutableBufferPointer { loBuffer in
            hi.withUnsafeMutableBufferPointer { hiBuffer in
                let ref = SharedInput(refBuffer), coef = SharedInput(coefBuffer), qt = SharedInput(qBuffer)
                let loOut = SharedOutput(loBuffer), hiOut = SharedOutput(hiBuffer)
                RowBands.run(bh, samplesPerRow: 64 * bw, threads: threads) { rows in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { scratch in
                        let rb = scratch.baseAddress!
                        for by in rows {
                            for bx in 0..<bw {
                                if hasRef {
                                    BlockIO.load(rb, from: ref.base, stride: stride, x: bx * 8, y: by * 8, offset: -128)
                                    DCT8x8.forward(rb)
                                }
                                let out = (by * bw + bx) * 64
                                Self.bounds(coef.base + (by * cbw + bx) * 64, quantization: qt.base, reference: hasRef ? rb : nil,
                                            slack: slack, lo: loOut.base + out, hi: hiOut.base + out)
                            }
                        }
                    }
                }
            }}}}}
            self.width = w; self.height = h; self.factorX = factorX; self.factorY = factorY
            self.blocksWide = bw; self.blocksHigh = bh; self.lo = lo; self.hi = hi
        }

        /// One block's 64 bounds (natural order): the bins of its stored values `coefficients`
        /// under `quantization`, widened by `slack` on each side and to hold `reference` (the
        /// plain decode's own DCT of the block) when given.
        @inline(__always)
        static func bounds(_ coefficients: UnsafePointer<Int16>, quantization q: UnsafePointer<Float>,
                           reference: UnsafePointer<Float>?, slack: Float,
                           lo: UnsafeMutablePointer<Float>, hi: UnsafeMutablePointer<Float>) {
            for i in 0..<64 {
                let center = Float(coefficients[i]) * q[i], half = max(0, 0.5 * q[i] + slack)
                var l = center - half, u = center + half
                if let reference { l = min(l, reference[i]); u = max(u, reference[i]) }
                lo[i] = l
                hi[i] = u
            }
        }
    }

    /// The correction `projected − low` for the block-padded low-resolution plane, or nil
    /// when every coefficient already lies in its bin. Rows of blocks are split among
    /// `threads` (each block writes only its own samples).
    static func correction(_ low: Plane, _ bins: Bins, threads: Int = 1) -> Plane? {
        let bw = bins.blocksWide, bh = bins.blocksHigh, stride = low.width
        precondition(low.width == bw * 8 && low.height == bh * 8, "one plane of the bins' blocks")
        // Every block writes its 64 samples (zeros where nothing changed), on the threads.
        var delta = [Float].unfilled(low.samples.count)
        // Whether each row of blocks changed anything (one flag per row: no shared writes).
        var rowChanged = [Bool](repeating: false, count: bh)
        low.samples.withUnsafeBufferPointer { srcBuffer in
        bins.lo.withUnsafeBufferPointer { loBuffer in
        bins.hi.withUnsafeBufferPointer { hiBuffer in
        rowChanged.withUnsafeMutableBufferPointer { flags in
        delta.withUnsafeMutableBufferPointer { dstBuffer in
            let src = SharedInput(srcBuffer), lo = SharedInput(loBuffer), hi = SharedInput(hiBuffer)
            let changedRows = SharedOutput(flags), dst = SharedOutput(dstBuffer)
            RowBands.run(bh, samplesPerRow: 64 * bw, threads: threads) { rows in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * 64) { scratch in
                    let blk = scratch.baseAddress!, df = blk + 64
                    for by in rows {
                        for bx in 0..<bw {
                            BlockIO.load(blk, from: src.base, stride: stride, x: bx * 8, y: by * 8, offset: -128)
                            DCT8x8.forward(blk)
                            let base = (by * bw + bx) * 64
                            var changed = false
                            for i in 0..<64 {
                                let l = lo.base[base + i], u = hi.base[base + i], v = blk[i]
                                let c = v < l ? l : (v > u ? u : v)
                                df[i] = c - v
                                if c != v { changed = true }
                            }
                            guard changed else {
                                for r in 0..<8 { (dst.base + (by * 8 + r) * stride + bx * 8).update(repeating: 0, count: 8) }
                                continue
                            }
                            changedRows.base[by] = true
                            DCT8x8.inverse(df)
                            BlockIO.store(df, to: dst.base, stride: stride, x: bx * 8, y: by * 8, offset: 0)
                        }
                    }
                }
            }
        }}}}}
        return rowChanged.contains(true) ? Plane(width: low.width, height: low.height, samples: delta) : nil
    }
}
