import Testing
import JPEGCodec
@testable import Cleaner
import TestSupport

@Suite struct GuidedChromaTests {
    @Test func boxMeanByHand() {
        // 1-D row [1, 2, 3, 10], radius 1, windows clipped: [1.5, 2, 5, 6.5].
        #expect(GuidedFilter.boxMean([1, 2, 3, 10], 4, 1, 1) == [1.5, 2, 5, 6.5])
        // 3×2, radius 1: every window covers the 2×2 or 3×2 neighbourhood.
        // [[1, 2, 3], [4, 5, 6]] → column-clipped means of rows, then of the two rows.
        let m = GuidedFilter.boxMean([1, 2, 3, 4, 5, 6], 3, 2, 1)
        let expected: [Float] = [3, 3.5, 4, 3, 3.5, 4]
        for i in 0..<6 { #expect(abs(m[i] - expected[i]) < 1e-6) }
        // Radius 0 is the identity; a radius larger than the plane averages everything.
        #expect(GuidedFilter.boxMean([1, 2, 3, 4, 5, 6], 3, 2, 0) == [1, 2, 3, 4, 5, 6])
        for v in GuidedFilter.boxMean([1, 2, 3, 4, 5, 6], 3, 2, 9) { #expect(abs(v - 3.5) < 1e-6) }
    }

    @Test func boxMeanMatchesDirectSums() {
        var rng = SplitMix64(seed: 21)
        let w = 37, h = 11, r = 3
        let x = (0..<(w * h)).map { _ in rng.nextUnitFloat() * 255 }
        let m = GuidedFilter.boxMean(x, w, h, r)
        for y in 0..<h {
            for c in 0..<w {
                var s = 0.0, n = 0.0
                for yy in max(0, y - r)...min(h - 1, y + r) {
                    for cc in max(0, c - r)...min(w - 1, c + r) { s += Double(x[yy * w + cc]); n += 1 }
                }
                #expect(abs(Double(m[y * w + c]) - s / n) < 1e-3)
            }
        }
    }

    @Test func linearFunctionOfTheGuideIsKept() {
        // input = 0.5·guide + 20 exactly: with a small ε every window fits a ≈ 0.5, b ≈ 20.
        var rng = SplitMix64(seed: 4)
        let guide = randomPlane(30, 20, &rng, noise: 200)
        var input = guide
        for i in input.samples.indices { input.samples[i] = 0.5 * guide.samples[i] + 20 }
        let out = GuidedFilter.apply(input, guide: guide, radius: 2, epsilon: 0.01)
        for i in out.samples.indices { #expect(abs(out.samples[i] - input.samples[i]) < 0.05) }
        // A constant input stays constant whatever the guide.
        let flat = GuidedFilter.apply(Plane(width: 30, height: 20, repeating: 77), guide: guide,
                                      radius: 3, epsilon: 1)
        for v in flat.samples { #expect(abs(v - 77) < 1e-3) }
    }

    @Test func lowResolutionFitRecoversALinearChromaExactly() {
        // Full-resolution chroma = 0.5·luma + 10 over a luma with detail at every scale; the
        // 2×2 box averages keep that relation, so the model fitted on them (small ε) has
        // a = 0.5, b = 10 everywhere and, evaluated on the full-resolution luma, gives back
        // the full-resolution chroma although only its box averages were seen.
        var rng = SplitMix64(seed: 11)
        let y = randomPlane(24, 18, &rng, noise: 200)
        var truth = y
        for i in truth.samples.indices { truth.samples[i] = 0.5 * y.samples[i] + 10 }
        let blurred = Resampling.replicateUpsample(Resampling.boxDownsample(truth, factorX: 2, factorY: 2),
                                                   factorX: 2, factorY: 2, width: 24, height: 18)
        let options = GuidedChroma.Options(radius: 1, epsilon: 1e-4, iterations: 1)
        let out = GuidedChroma.lowResolutionModel(blurred, guide: y, factorX: 2, factorY: 2, options: options)
        for i in out.samples.indices { #expect(abs(out.samples[i] - truth.samples[i]) < 0.01) }
        // Fitted at full resolution against the blurred chroma, the same filter cannot.
        let naive = GuidedFilter.apply(blurred, guide: y, radius: 1, epsilon: 1e-4)
        #expect(zip(naive.samples, truth.samples).map { abs($0 - $1) }.max()! > 1)
    }

    @Test func confidenceWeightingPrefersWindowsTheModelFits() {
        // Three colours in vertical bands (x < 10, 10…19, ≥ 20) whose chroma is not one linear
        // function of luma: windows across both edges fit badly. Weighting the models by how
        // well each window fits must come closer to the true chroma than plain averaging, and a
        // chroma that is linear in luma everywhere is still recovered exactly.
        let w = 32, h = 12
        var y = Plane(width: w, height: h), truth = y
        for r in 0..<h {
            for c in 0..<w {
                let band = c < 10 ? 0 : c < 20 ? 1 : 2
                y[c, r] = [60, 200, 130][band]
                truth[c, r] = [170, 90, 200][band]
            }
        }
        let blurred = Resampling.fancyUpsample2x2(Resampling.boxDownsample(truth, factorX: 2, factorY: 2), width: w, height: h)
        func sse(_ a: Plane) -> Float { zip(a.samples, truth.samples).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let plainOptions = GuidedChroma.Options(radius: 2, epsilon: 1, iterations: 1, confidence: nil)
        let weightedOptions = GuidedChroma.Options(radius: 2, epsilon: 1, iterations: 1, confidence: 1)
        let plain = GuidedChroma.lowResolutionModel(blurred, guide: y, factorX: 2, factorY: 2, options: plainOptions)
        let weighted = GuidedChroma.lowResolutionModel(blurred, guide: y, factorX: 2, factorY: 2, options: weightedOptions)
        #expect(sse(plain) < sse(blurred))
        #expect(sse(weighted) < 0.95 * sse(plain))
        var rng = SplitMix64(seed: 12)
        let g = randomPlane(24, 18, &rng, noise: 200)
        var linear = g
        for i in linear.samples.indices { linear.samples[i] = 0.5 * g.samples[i] + 10 }
        let low = Resampling.replicateUpsample(Resampling.boxDownsample(linear, factorX: 2, factorY: 2),
                                               factorX: 2, factorY: 2, width: 24, height: 18)
        let exact = GuidedChroma.lowResolutionModel(low, guide: g, factorX: 2, factorY: 2,
                                                    options: GuidedChroma.Options(radius: 1, epsilon: 1e-4, iterations: 1, confidence: 1))
        for i in exact.samples.indices { #expect(abs(exact.samples[i] - linear.samples[i]) < 0.01) }
    }

    @Test func fitResidualMatchesDirectRegressionsPerWindow() throws {
        // Every window's ridge regression done directly in Double, its residual variance
        // var(p) − a·cov(g, p), then the confidence-style mean 1 / mean(1 / (r + δ)) − δ over the
        // windows around each sample (clipped at the borders), with and without weighting.
        var rng = SplitMix64(seed: 33)
        let w = 13, h = 9, radius = 1, epsilon: Float = 2
        let g = randomPlane(w, h, &rng, noise: 120), p = randomPlane(w, h, &rng, noise: 40)
        func window(_ c: Int, _ r: Int) -> [(Double, Double)] {
            var v: [(Double, Double)] = []
            for y in max(0, r - radius)...min(h - 1, r + radius) {
                for x in max(0, c - radius)...min(w - 1, c + radius) { v.append((Double(g[x, y]), Double(p[x, y]))) }
            }
            return v
        }
        func residual(_ c: Int, _ r: Int) -> Double {
            let v = window(c, r), n = Double(v.count)
            let mg = v.reduce(0) { $0 + $1.0 } / n, mp = v.reduce(0) { $0 + $1.1 } / n
            let cov = v.reduce(0) { $0 + $1.0 * $1.1 } / n - mg * mp
            let vg = v.reduce(0) { $0 + $1.0 * $1.0 } / n - mg * mg, vp = v.reduce(0) { $0 + $1.1 * $1.1 } / n - mp * mp
            return max(vp - cov / (vg + Double(epsilon)) * cov, 0)
        }
        for confidence in [nil, Float(3)] {
            let delta = Double(confidence ?? 1)
            let fit = GuidedFilter.fit(p, guide: g, radius: radius, epsilon: epsilon, confidence: confidence, residual: true)
            let r = try #require(fit.residual)
            for y in 0..<h {
                for x in 0..<w {
                    var s = 0.0, n = 0.0
                    for yy in max(0, y - radius)...min(h - 1, y + radius) {
                        for xx in max(0, x - radius)...min(w - 1, x + radius) { s += 1 / (residual(xx, yy) + delta); n += 1 }
                    }
                    let expected = n / s - delta
                    #expect(abs(Double(r[x, y]) - expected) <= 1e-3 * max(1, expected), "(\(x), \(y))")
                }
            }
            // The model itself is the same as without the residual.
            let plain = GuidedFilter.coefficients(p, guide: g, radius: radius, epsilon: epsilon, confidence: confidence)
            #expect(plain.a == fit.a && plain.b == fit.b)
        }
    }

    @Test func fallbackKeepsTheGivenChromaWhereTheModelFitsBadly() throws {
        // No subsampling (factor 1): the low-resolution planes are the planes themselves, so the
        // output is exactly given + τ / (τ + r)·(guided − given) sample by sample.
        var rng = SplitMix64(seed: 34)
        let w = 20, h = 14
        let y = randomPlane(w, h, &rng, noise: 150), given = randomPlane(w, h, &rng, noise: 60)
        let tau: Float = 16
        var options = GuidedChroma.Options(radius: 1, epsilon: 1, iterations: 1, confidence: 1)
        let guided = GuidedChroma.lowResolutionModel(given, guide: y, factorX: 1, factorY: 1, options: options)
        options.fallback = tau
        let out = GuidedChroma.lowResolutionModel(given, guide: y, factorX: 1, factorY: 1, options: options)
        let r = try #require(GuidedFilter.fit(given, guide: y, radius: 1, epsilon: 1, confidence: 1, residual: true).residual)
        var moved = 0
        for i in out.samples.indices {
            let k = tau / (tau + r.samples[i])
            let expected = given.samples[i] + k * (guided.samples[i] - given.samples[i])
            #expect(abs(out.samples[i] - expected) < 1e-3)
            if abs(out.samples[i] - guided.samples[i]) > 1 { moved += 1 }
        }
        // Random chroma is no linear function of the luma: most samples fall back noticeably.
        #expect(moved > out.samples.count / 2)
        // A chroma that is linear in the luma has no residual: the fallback changes nothing.
        var linear = y
        for i in linear.samples.indices { linear.samples[i] = 0.25 * y.samples[i] + 40 }
        let exact = GuidedChroma.lowResolutionModel(linear, guide: y, factorX: 1, factorY: 1,
                                                    options: GuidedChroma.Options(radius: 1, epsilon: 1e-4, iterations: 1, fallback: tau))
        for i in exact.samples.indices { #expect(abs(exact.samples[i] - linear.samples[i]) < 0.01) }
    }

    @Test func edgeTransferAndConsistencyWithTheFile() {
        // Luma has a sharp vertical edge at x = 13 (odd, so it splits a 2×2 chroma box);
        // chroma follows it in the original. After 4:2:0 the decoded chroma is smeared;
        // guided refinement must bring it closer to the original chroma, and its 2×2 box
        // averages must still lie in the file's bins.
        let w = 32, h = 16
        var y = Plane(width: w, height: h), cb = y, cr = y
        for r in 0..<h {
            for c in 0..<w {
                let right = c >= 13
                y[c, r] = right ? 200 : 60
                cb[c, r] = right ? 90 : 170
                cr[c, r] = right ? 160 : 110
            }
        }
        let lowCb = Resampling.boxDownsample(cb, factorX: 2, factorY: 2)
        let lowCr = Resampling.boxDownsample(cr, factorX: 2, factorY: 2)
        let qCb = CoefficientPlane.quantizing(lowCb, quantization: chromaQ85)
        let qCr = CoefficientPlane.quantizing(lowCr, quantization: chromaQ85)
        let dCb = Resampling.fancyUpsample2x2(qCb.dequantizedPlane(), width: w, height: h)
        let dCr = Resampling.fancyUpsample2x2(qCr.dequantizedPlane(), width: w, height: h)
        let refined = GuidedChroma.refine(y: y, cb: dCb, cr: dCr, cbCoefficients: qCb, crCoefficients: qCr,
                                          factorX: 2, factorY: 2)
        func sse(_ a: Plane, _ b: Plane) -> Float { zip(a.samples, b.samples).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        #expect(sse(refined.cb, cb) < 0.5 * sse(dCb, cb))
        #expect(sse(refined.cr, cr) < 0.5 * sse(dCr, cr))
        // The first version's full-resolution fit also helps, but less than the default fit
        // at the chroma's resolution.
        let full = GuidedChroma.refine(y: y, cb: dCb, cr: dCr, cbCoefficients: qCb, crCoefficients: qCr,
                                       factorX: 2, factorY: 2, options: GuidedChroma.fullResolutionOptions(iterations: 2))
        #expect(sse(full.cb, cb) < sse(dCb, cb))
        #expect(sse(refined.cb, cb) < sse(full.cb, cb))
        #expect(sse(refined.cr, cr) < sse(full.cr, cr))
        for (plane, coef) in [(refined.cb, qCb), (refined.cr, qCr), (full.cb, qCb), (full.cr, qCr)] {
            let c = blockCoefficients(Resampling.boxDownsample(plane, factorX: 2, factorY: 2))
            for i in c.indices {
                let q = Float(chromaQ85[i % 64])
                #expect(abs(c[i] - Float(coef.coefficients[i]) * q) <= q / 2 + 2e-3)
            }
        }
    }

    @Test func boxDownsamplingByHandAndPastTheEdge() {
        // 3×3 → 2×2: boxes past the edge repeat the last column and row.
        // [[1, 2, 3], [4, 5, 6], [7, 8, 9]]: (1+2+4+5)/4 = 3, (3+3+6+6)/4 = 4.5, (7+8+7+8)/4 = 7.5, 9.
        let p = Plane(width: 3, height: 3, samples: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(Resampling.boxDownsample(p, factorX: 2, factorY: 2).samples == [3, 4.5, 7.5, 9])
        // Any output size and factor: the same as extending the plane first.
        var rng = SplitMix64(seed: 3)
        for (fx, fy, w, h, ow, oh) in [(1, 1, 5, 3, 8, 8), (2, 2, 13, 7, 16, 8), (2, 1, 9, 5, 8, 8), (3, 2, 7, 5, 3, 4)] {
            let plane = Plane(width: w, height: h, samples: (0..<(w * h)).map { _ in 255 * rng.nextUnitFloat() })
            let extended = plane.edgeExtended(toWidth: ow * fx, height: oh * fy)
            let direct = Resampling.boxDownsample(plane, factorX: fx, factorY: fy, width: ow, height: oh, threads: 2)
            #expect(direct == Resampling.boxDownsample(extended, factorX: fx, factorY: fy))
            #expect(direct.width == ow && direct.height == oh)
        }
    }

    @Test func fancyUpsamplingByHand() {
        // Low-res row [0, 16] (1 row): outputs 0·¾+0·¼ = 0 (left edge replicated),
        // 0·¾ + 16·¼ = 4, 16·¾ + 0·¼ = 12, 16 (right edge); rows identical.
        let up = Resampling.fancyUpsample2x2(Plane(width: 2, height: 1, samples: [0, 16]), width: 4, height: 2)
        #expect(up.samples == [0, 4, 12, 16, 0, 4, 12, 16])
        // A flat plane stays flat; an odd output size is cropped.
        let flat = Resampling.fancyUpsample2x2(Plane(width: 3, height: 2, repeating: 9), width: 5, height: 3)
        #expect(flat.width == 5 && flat.height == 3 && flat.samples.allSatisfy { $0 == 9 })
    }

    @Test func cleaningWithGuidanceImprovesChromaOfASimulatedJPEG() {
        let original = syntheticImage(48, 40, seed: 12)
        var decoded = simulatedJPEG(original)
        let zero: ([Float], Int) -> [Float] = { [Float](repeating: 0, count: $1 * 192) }
        let plain = Cleaning.clean(decoded, predict: zero)
        #expect(plain == decoded.image)
        let guided = Cleaning.clean(decoded, options: CleaningOptions(chromaGuidance: .init()), predict: zero)
        #expect(guided != decoded.image)
        #expect(Metrics.psnr(original, guided) > Metrics.psnr(original, decoded.image))
        decoded.components = []
        #expect(Cleaning.clean(decoded, options: CleaningOptions(chromaGuidance: .init()), predict: zero) == decoded.image)
    }
}
