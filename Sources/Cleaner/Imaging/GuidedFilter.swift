/// The guided filter (He, Sun & Tang, "Guided Image Filtering", ECCV 2010): an
/// edge-preserving filter that explains `input` locally as a linear function of `guide`.
///
/// In every (2r+1)×(2r+1) window ω the model `input ≈ a·guide + b` is fitted by ridge
/// regression, `a = cov(guide, input) / (var(guide) + ε)`, `b = mean(input) − a·mean(guide)`,
/// and each output sample is `mean(a)·guide + mean(b)` over the windows that contain it.
/// Used to give upsampled chroma the edges of the full-resolution luma. Windows are
/// clipped at the plane's borders (means over the samples inside). Planes on any scale;
/// `epsilon` is in that scale squared (e.g. 8-bit: ε = 16 keeps edges of contrast ≳ 4).
enum GuidedFilter {
    /// Filters `input` guided by `guide` (same size) with window radius `radius` ≥ 0 and
    /// regularisation `epsilon` > 0.
    static func apply(_ input: Plane, guide: Plane, radius: Int, epsilon: Float) -> Plane {
        let (ma, mb) = coefficients(input, guide: guide, radius: radius, epsilon: epsilon)
        return combine(a: ma.samples, b: mb.samples, guide: guide)
    }

    /// `a·guide + b` sample by sample (all three planes the same size).
    static func combine(a ma: [Float], b mb: [Float], guide: Plane) -> Plane {
        let n = guide.samples.count
        precondition(ma.count == n && mb.count == n, "planes differ in size")
        var out = [Float].unfilled(n)  // every sample written below
        ma.withUnsafeBufferPointer { ma in mb.withUnsafeBufferPointer { mb in
        guide.samples.withUnsafeBufferPointer { g in out.withUnsafeMutableBufferPointer { o in
            for i in 0..<n { o[i] = ma[i] * g[i] + mb[i] }
        }}}}
        return Plane(width: guide.width, height: guide.height, samples: out)
    }

    /// The averaged local model of the filter, `(mean(a), mean(b))` per sample, such that the
    /// filter's output is `mean(a)·guide + mean(b)`. Evaluating the model on another guide
    /// (e.g. the full-resolution luma, after upsampling `a` and `b`) is guided upsampling.
    static func coefficients(_ input: Plane, guide: Plane, radius: Int, epsilon: Float,
                             confidence: Float? = nil) -> (a: Plane, b: Plane) {
        let model = fit(input, guide: guide, radius: radius, epsilon: epsilon, confidence: confidence, residual: false)
        return (model.a, model.b)
    }

    /// ``coefficients(_:guide:radius:epsilon:confidence:)``, and with `residual` also how badly
    /// a linear function of the guide explains the input around each sample: the windows'
    /// residual variances after their fits, `var(input) − a·cov(guide, input)` (input scale
    /// squared, ≥ 0), averaged as the confidence weighting averages models, `1 / mean(1 / (r + δ)) − δ`
    /// with δ = `confidence` (1 without it), so one window that fits well is enough.
    static func fit(_ input: Plane, guide: Plane, radius: Int, epsilon: Float, confidence: Float?,
                    residual: Bool, threads: Int = 1) -> (a: Plane, b: Plane, residual: Plane?) {
        precondition(input.width == guide.width && input.height == guide.height, "planes differ in size")
        precondition(radius >= 0 && epsilon > 0, "radius ≥ 0 and epsilon > 0")
        precondition(confidence.map { $0 > 0 } ?? true, "confidence must be > 0")
        let n = input.samples.count
        let w = input.width, h = input.height
        let needResidual = confidence != nil || residual
        /// Runs `body` over the sample indices of contiguous row bands on the threads.
        func samples(_ body: @Sendable (Range<Int>) -> Void) {
            RowBands.run(h, samplesPerRow: w, threads: threads) { rows in body((rows.lowerBound * w)..<(rows.upperBound * w)) }
        }
        // Every array below is written in full before it is read (no zero-filling).
        var gp = [Float].unfilled(n), gg = [Float].unfilled(n), pp2 = needResidual ? [Float].unfilled(n) : []
        input.samples.withUnsafeBufferPointer { pp in guide.samples.withUnsafeBufferPointer { gq in
        gp.withUnsafeMutableBufferPointer { a in gg.withUnsafeMutableBufferPointer { b in
        pp2.withUnsafeMutableBufferPointer { c in
            let p = SharedInput(pp), g = SharedInput(gq)
            let gp = SharedOutput(a), gg = SharedOutput(b), pp2 = SharedOutput(c)
            samples { range in
                for i in range { gp.base[i] = g.base[i] * p.base[i]; gg.base[i] = g.base[i] * g.base[i] }
                if needResidual { for i in range { pp2.base[i] = p.base[i] * p.base[i] } }
            }
        }}}}}
        // Each temporary is released once read for the last time (`= []`).
        var mg = boxMean(guide.samples, w, h, radius, threads: threads)
        var mp = boxMean(input.samples, w, h, radius, threads: threads)
        var mgp = boxMean(gp, w, h, radius, threads: threads); gp = []
        var mgg = boxMean(gg, w, h, radius, threads: threads); gg = []
        var mpp = needResidual ? boxMean(pp2, w, h, radius, threads: threads) : []; pp2 = []
        var a = [Float].unfilled(n), b = [Float].unfilled(n)
        // The window's residual variance after the fit, var(p) − a·cov(g, p): small where the
        // window holds one or two colours that the linear model explains. Then, as the
        // confidence weighting sees it, `1 / (residual + δ)`.
        let delta = confidence ?? 1
        var weight = needResidual ? [Float].unfilled(n) : []
        mg.withUnsafeBufferPointer { mg in mp.withUnsafeBufferPointer { mp in
        mgp.withUnsafeBufferPointer { mgp in mgg.withUnsafeBufferPointer { mgg in mpp.withUnsafeBufferPointer { mpp in
        a.withUnsafeMutableBufferPointer { a in b.withUnsafeMutableBufferPointer { b in
        weight.withUnsafeMutableBufferPointer { wr in
            let mg = SharedInput(mg), mp = SharedInput(mp), mgp = SharedInput(mgp), mgg = SharedInput(mgg)
            let mpp = SharedInput(mpp), a = SharedOutput(a), b = SharedOutput(b), wr = SharedOutput(wr)
            samples { range in
                for i in range {
                    let cov = mgp.base[i] - mg.base[i] * mp.base[i], v = mgg.base[i] - mg.base[i] * mg.base[i]
                    a.base[i] = cov / (max(v, 0) + epsilon)
                    b.base[i] = mp.base[i] - a.base[i] * mg.base[i]
                }
                guard needResidual else { return }
                for i in range {
                    let cov = mgp.base[i] - mg.base[i] * mp.base[i], vp = mpp.base[i] - mp.base[i] * mp.base[i]
                    wr.base[i] = 1 / (max(vp - a.base[i] * cov, 0) + delta)
                }
            }
        }}}}}}}}
        mg = []; mp = []; mgp = []; mgg = []; mpp = []
        // The residual as the confidence weighting sees it: 1 / mean(1 / (residual + δ)) − δ
        // over the windows around the sample, dominated by the windows that fit best.
        let mw = needResidual ? boxMean(weight, w, h, radius, threads: threads) : []
        var meanResidual: Plane?
        if residual {
            var r = [Float].unfilled(n)
            mw.withUnsafeBufferPointer { m in r.withUnsafeMutableBufferPointer { o in
                let m = SharedInput(m), o = SharedOutput(o)
                samples { range in for i in range { o.base[i] = max(1 / m.base[i] - delta, 0) } }
            }}
            meanResidual = Plane(width: w, height: h, samples: r)
        }
        guard confidence != nil else {
            return (Plane(width: w, height: h, samples: boxMean(a, w, h, radius, threads: threads)),
                    Plane(width: w, height: h, samples: boxMean(b, w, h, radius, threads: threads)), meanResidual)
        }
        // Confidence-weighted averaging: each sample takes the models of the windows around
        // it in proportion to how well each window's model fits.
        a.withUnsafeMutableBufferPointer { a in b.withUnsafeMutableBufferPointer { b in weight.withUnsafeBufferPointer { k in
            let a = SharedOutput(a), b = SharedOutput(b), k = SharedInput(k)
            samples { range in for i in range { a.base[i] *= k.base[i]; b.base[i] *= k.base[i] } }
        }}}
        weight = []
        var ma = boxMean(a, w, h, radius, threads: threads); a = []
        var mb = boxMean(b, w, h, radius, threads: threads); b = []
        ma.withUnsafeMutableBufferPointer { ma in mb.withUnsafeMutableBufferPointer { mb in mw.withUnsafeBufferPointer { m in
            let ma = SharedOutput(ma), mb = SharedOutput(mb), m = SharedInput(m)
            samples { range in for i in range { ma.base[i] /= m.base[i]; mb.base[i] /= m.base[i] } }
        }}}
        return (Plane(width: w, height: h, samples: ma), Plane(width: w, height: h, samples: mb), meanResidual)
    }

    /// Mean over the (2r+1)² window clipped to the plane, as direct separable sums in
    /// `Float` (no running sums, so no drift on large planes; the vertical pass runs over
    /// whole rows and vectorises). Each output row is computed the same way in any band, so
    /// the result does not depend on `threads`.
    static func boxMean(_ x: [Float], _ w: Int, _ h: Int, _ r: Int, threads: Int = 1) -> [Float] {
        // Every element of `rows` and `out` is written below: skip zero-filling them.
        var rows = [Float].unfilled(w * h), out = [Float].unfilled(w * h)
        var invX = [Float](repeating: 0, count: w)
        for c in 0..<w { invX[c] = 1 / Float(min(c + r, w - 1) - max(c - r, 0) + 1) }
        // Each sum is kept in a register over its (at most 2r + 1) terms and stored once,
        // eight columns at a time; its terms are added in the same order as one at a time
        // (left to right, top to bottom), so the result does not depend on the vector width.
        x.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { dst in
                let src = SharedInput(src), dst = SharedOutput(dst)
                // Interior columns r ..< w − r: every window whole; the clipped columns at
                // both ends one by one.
                let innerLo = min(r, w), innerHi = max(w - r, innerLo)
                RowBands.run(h, samplesPerRow: w, threads: threads) { band in
                    for y in band {
                        let row = src.base + y * w, d = dst.base + y * w
                        var c = innerLo
                        while c + 8 <= innerHi {
                            var s = load8(row + c - r)
                            if r > 0 { for k in (-r + 1)...r { s += load8(row + c + k) } }
                            store8(s, d + c)
                            c += 8
                        }
                        while c < innerHi {
                            var s = row[c - r]
                            if r > 0 { for k in (-r + 1)...r { s += row[c + k] } }
                            d[c] = s
                            c += 1
                        }
                        for range in [0..<innerLo, innerHi..<w] {
                            for c in range {
                                let lo = max(c - r, 0), hi = min(c + r, w - 1)
                                var s: Float = 0
                                for k in lo...hi { s += row[k] }
                                d[c] = s
                            }
                        }
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                invX.withUnsafeBufferPointer { ix in
                    let src = SharedInput(src), dst = SharedOutput(dst), ix = SharedInput(ix)
                    RowBands.run(h, samplesPerRow: w, threads: threads) { band in
                        for y in band {
                            let lo = max(y - r, 0), hi = min(y + r, h - 1)
                            let invY = 1 / Float(hi - lo + 1)
                            let d = dst.base + y * w
                            let first = src.base + lo * w
                            var c = 0
                            while c + 8 <= w {
                                var s = load8(first + c)
                                if hi > lo { for k in (lo + 1)...hi { s += load8(src.base + k * w + c) } }
                                store8(s * (invY * load8(ix.base + c)), d + c)
                                c += 8
                            }
                            while c < w {
                                var s = first[c]
                                if hi > lo { for k in (lo + 1)...hi { s += src.base[k * w + c] } }
                                d[c] = s * (invY * ix.base[c])
                                c += 1
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    @inline(__always)
    private static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
