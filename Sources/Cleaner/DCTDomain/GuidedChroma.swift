import Linalg

/// Luma-guided chroma refinement kept consistent with the file: a classical prior for the
/// colour that 4:2:0 subsampling blurred.
///
/// Each iteration filters Cb and Cr with a ``GuidedFilter`` guided by the (full-resolution)
/// luma, so colour edges snap to luma edges, then projects each chroma plane back onto its
/// quantization bins through the subsampling (``DCTProjection``), so the box-averaged colour
/// stays what the file says. Alternating the two is a POCS-style iteration.
///
/// Two ways to fit the local model are offered: at full resolution against the upsampled chroma
/// (the first version), or where the chroma was sampled, against the box-averaged luma
/// (``Options/lowResolutionFit``, the default), which keeps the linear relation of a two-colour
/// edge intact. Measurements of both: `Notes/experiments.md`, "Chroma: fit the colour model
/// where the colour was sampled".
public enum GuidedChroma {
    /// Where the threads of ``refine(y:cb:cr:cbCoefficients:crCoefficients:factorX:factorY:lowReference:options:threads:)``
    /// put their plane (each its own slot).
    struct PlaneSlots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Plane>
    }

    /// Parameters of the refinement.
    public struct Options: Equatable, Sendable {
        /// Guided-filter window radius (window 2r+1) in full-resolution pixels, or in
        /// chroma samples with ``lowResolutionFit``.
        public var radius: Int
        /// Guided-filter regularisation on the 8-bit scale squared.
        public var epsilon: Float
        /// Filter-and-project rounds (≥ 1).
        public var iterations: Int
        /// Bin slack passed to the projection (see ``DCTProjection``), in coefficient units;
        /// negative narrows every bin on both sides (never below its centre): a prior that
        /// the true coefficient lies near the centre of its bin, as most coefficients (those
        /// quantized to 0, whose values peak at 0) do.
        public var slack: Float
        /// Fit the local model `chroma ≈ a·luma + b` at the chroma's own resolution (both
        /// planes box-averaged through the subsampling, which keeps a linear relation between
        /// them) and evaluate it on the full-resolution luma; `radius` then counts
        /// low-resolution samples. False: fit at full resolution against the upsampled chroma.
        public var lowResolutionFit: Bool
        /// When set (> 0, 8-bit scale squared), each sample averages the local models of the
        /// windows around it weighted by `1 / (residual variance of the window's fit + confidence)`
        /// instead of equally, so a window holding three colours (which no linear model
        /// explains) gives way to its neighbours. Only with ``lowResolutionFit``.
        public var confidence: Float?
        /// When set (> 0, 8-bit scale squared), each sample falls back toward the chroma the
        /// round was given (the network's, or the decode's in the prior) by how badly the linear
        /// model explains the windows around it: the guided value keeps the weight
        /// `fallback / (fallback + r)`, where `r` is the residual variance after the fit as the
        /// confidence weighting sees it (``GuidedFilter/fit(_:guide:radius:epsilon:confidence:residual:)``).
        /// Texture whose colour does not follow its luma (a thumbnail of flowers, a photo's
        /// foliage) then keeps its colour instead of colour invented from the luma's detail;
        /// edges between two colours (`r` ≈ 0) stay guided. Only with ``lowResolutionFit``.
        public var fallback: Float?
        /// When set (> 0, 8-bit levels), the low-resolution model reaches full resolution
        /// through libjpeg's triangle weights (¾ and ¼ per subsampled direction), but each
        /// neighbouring model's weight is scaled by `1 / (1 + d²/agreement²)`, `d` = how far its
        /// chroma at the pixel's luma lies from the nearest model's: across a colour edge, where
        /// the neighbours' models disagree, the pixel keeps its own sample's model instead of a
        /// mix of two colours' models; in a gradient, where they agree, it interpolates. Nil:
        /// the triangle weights alone (4:2:0) or replication (other samplings), as before.
        /// Only with ``lowResolutionFit``.
        public var agreement: Float?

        /// Options; the defaults are the best measured setting: the model fitted at the
        /// chroma's resolution with radius 2 (5×5 chroma samples), ε = 1, confidence-weighted
        /// averaging with 1, 2 rounds.
        public init(radius: Int = 2, epsilon: Float = 1, iterations: Int = 2, slack: Float = 0,
                    lowResolutionFit: Bool = true, confidence: Float? = 1, fallback: Float? = nil,
                    agreement: Float? = nil) {
            precondition(radius >= 0 && epsilon > 0 && iterations >= 1, "invalid guided chroma options")
            precondition(fallback.map { $0 > 0 } ?? true, "fallback must be > 0")
            precondition(agreement.map { $0 > 0 } ?? true, "agreement must be > 0")
            self.fallback = fallback
            self.agreement = agreement
            self.lowResolutionFit = lowResolutionFit
            self.confidence = confidence
            self.radius = radius
            self.epsilon = epsilon
            self.iterations = iterations
            self.slack = slack
        }
    }

    /// Refines `cb` and `cr` (full resolution, 8-bit scale) guided by `y`.
    ///
    /// - Parameters:
    ///   - y: the luma guide, same size as the chroma planes (best: already projected).
    ///   - cb, cr: the chroma planes to refine.
    ///   - cbCoefficients, crCoefficients: the file's chroma components.
    ///   - factorX, factorY: chroma subsampling relative to the image (2, 2 for 4:2:0).
    ///   - lowReference: optionally the plain decode's (Cb, Cr), reduced to the chroma's grid
    ///     (``DCTProjection/Bins/lowReference(of:width:height:factorX:factorY:threads:)``), to
    ///     widen the projection's bins with (see ``DCTProjection/project(_:onto:factorX:factorY:reference:lowReference:slack:threads:)``).
    /// - Returns: the refined (Cb, Cr), unrounded.
    static func refine(y: Plane, cb: consuming Plane, cr: consuming Plane,
                              cbCoefficients: CoefficientPlane, crCoefficients: CoefficientPlane,
                              factorX: Int, factorY: Int, lowReference: (cb: Plane, cr: Plane)? = nil,
                              options: Options = Options(), threads: Int = 1) -> (cb: Plane, cr: Plane) {
        var planes = [consume cb, consume cr]
        let coefficients = [cbCoefficients, crCoefficients]
        let lowRefs = lowReference.map { [$0.cb, $0.cr] }
        // The luma does not change between planes and rounds: box-average it once.
        let lowGuide = options.lowResolutionFit
            ? Resampling.boxDownsample(y, factorX: factorX, factorY: factorY, threads: threads) : nil
        // Threads left for each plane's projection beside the other plane's.
        let inner = max(1, threads / 2)
        // Each plane's bins, widened to hold the reference, are the same in every round.
        let bins = (0..<2).map {
            DCTProjection.Bins(coefficients[$0], width: y.width, height: y.height, factorX: factorX, factorY: factorY,
                               lowReference: lowRefs?[$0], slack: options.slack, threads: threads)
        }
        for _ in 0..<options.iterations {
            // The round's inputs, released together at its end: released one by one, the
            // second plane's temporaries split the first one's hole, and a later stage's large
            // buffer no longer fitted anywhere (12 MP: 47 MB more peak memory on one thread).
            let current = planes
            if options.lowResolutionFit {
                // One plane after the other, each on every thread (bands of rows): the same
                // samples as one plane per thread, without the wait for the slower plane (the
                // first to touch new memory pays its page faults) and with one plane's
                // temporaries alive at a time instead of two.
                for i in 0..<2 {
                    let filtered = lowResolutionModel(current[i], guide: y, factorX: factorX, factorY: factorY,
                                                      options: options, lowGuide: lowGuide, threads: threads)
                    planes[i] = DCTProjection.project(consume filtered, onto: bins[i], threads: threads)
                }
                continue
            }
            // Cb and Cr are independent within a round: one thread each when there are two.
            var next = current
            next.withUnsafeMutableBufferPointer { out in
                let target = PlaneSlots(base: out.baseAddress!)
                parallelFor(0..<2, threads: threads) { indices in
                    for i in indices {
                        let filtered = GuidedFilter.apply(current[i], guide: y, radius: options.radius,
                                                          epsilon: options.epsilon)
                        target.base[i] = DCTProjection.project(consume filtered, onto: bins[i], threads: inner)
                    }
                }
            }
            planes = next
        }
        return (planes[0], planes[1])
    }

    /// The first version's setting, kept for models made with it: the model fitted at full
    /// resolution against the upsampled chroma, radius 3 (7×7 pixels), ε = 1.
    public static func fullResolutionOptions(iterations: Int) -> Options {
        Options(radius: 3, epsilon: 1, iterations: iterations, lowResolutionFit: false, confidence: nil)
    }

    /// Chroma from luma fitted where the chroma was sampled: box-average `chroma` and `guide`
    /// through the subsampling, fit the guided filter's local linear model there, upsample
    /// its coefficients and evaluate them on the full-resolution guide.
    /// `lowGuide`, if given, is `guide` box-averaged through the subsampling (computed here if not).
    static func lowResolutionModel(_ chroma: Plane, guide: Plane, factorX: Int, factorY: Int,
                                   options: Options, lowGuide: Plane? = nil, threads: Int = 1) -> Plane {
        let low = Resampling.boxDownsample(chroma, factorX: factorX, factorY: factorY, threads: threads)
        let lowGuide = lowGuide ?? Resampling.boxDownsample(guide, factorX: factorX, factorY: factorY, threads: threads)
        let fit = GuidedFilter.fit(low, guide: lowGuide, radius: options.radius, epsilon: options.epsilon,
                                   confidence: options.confidence, residual: options.fallback != nil, threads: threads)
        // The guided sample's weight per low-resolution sample (upsampled with the model below).
        var weight: Plane?
        if let tau = options.fallback, var keep = fit.residual {
            for i in keep.samples.indices { keep.samples[i] = tau / (tau + keep.samples[i]) }
            weight = keep
        }
        // Edge-aware upsampling of the model for 2× subsampling (4:2:0, 4:2:2, 4:4:0) when asked.
        let agreement = factorX <= 2 && factorY <= 2 ? options.agreement : nil
        if factorX == 2 && factorY == 2 {
            // 4:2:0: upsampled and combined row by row, never as whole planes.
            guard let agreement else {
                return evaluate2x2(a: fit.a, b: fit.b, guide: guide, fallback: weight.map { ($0, chroma) },
                                   threads: threads)
            }
            var guided = agreeingModels(a: fit.a, b: fit.b, guide: guide, factorX: factorX, factorY: factorY,
                                        agreement: agreement, threads: threads)
            if let weight { pullBack(&guided, toward: chroma, weight: weight, threads: threads) }
            return guided
        }
        let w = guide.width, h = guide.height
        let up = { Resampling.replicateUpsample($0, factorX: factorX, factorY: factorY, width: w, height: h,
                                                threads: threads) }
        var guided = agreement.map {
            agreeingModels(a: fit.a, b: fit.b, guide: guide, factorX: factorX, factorY: factorY, agreement: $0,
                           threads: threads)
        } ?? GuidedFilter.combine(a: up(fit.a).samples, b: up(fit.b).samples, guide: guide)
        guard let weight else { return guided }
        let k = up(weight).samples
        k.withUnsafeBufferPointer { k in chroma.samples.withUnsafeBufferPointer { p in
        guided.samples.withUnsafeMutableBufferPointer { g in
            pullBackRow(g.baseAddress!, toward: p.baseAddress!, weight: k.baseAddress!, count: g.count)
        }}}
        return guided
    }
}
