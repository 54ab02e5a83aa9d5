import Testing
@testable import Cleaner
import TestSupport

/// The guided chroma's edge-aware model upsampling (``GuidedChroma/Options/agreement``).
@Suite struct GuidedChromaAgreementTests {
    /// With models that always agree (a scale far above any difference) the weights are
    /// libjpeg's triangle filter: the same as upsampling `a` and `b` with
    /// `fancyUpsample2x2` and evaluating them on the guide.
    @Test func agreeingModelsAreTheTriangleFilter() {
        var rng = SplitMix64(seed: 31)
        let a = randomPlane(9, 7, &rng, noise: 2), b = randomPlane(9, 7, &rng, noise: 80)
        let guide = randomPlane(17, 13, &rng, noise: 200)
        let up = GuidedChroma.agreeingModels(a: a, b: b, guide: guide, factorX: 2, factorY: 2, agreement: 1e15)
        let fancy = GuidedFilter.combine(a: Resampling.fancyUpsample2x2(a, width: 17, height: 13).samples,
                                         b: Resampling.fancyUpsample2x2(b, width: 17, height: 13).samples, guide: guide)
        #expect(up.width == 17 && up.height == 13)
        let worst = zip(up.samples, fancy.samples).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst < 1e-5)
    }

    /// 4:2:2 by hand: one row of models b = [0, 40] (a = 0.5), guide 10 everywhere, so the
    /// chroma of the two models is 5 and 45. Each pixel mixes its own model (weight 9) with
    /// the neighbour toward it (weight 3 / (1 + d²/s²)); the edges replicate.
    @Test func horizontalSubsamplingByHand() {
        let a = Plane(width: 2, height: 1, samples: [0.5, 0.5]), b = Plane(width: 2, height: 1, samples: [0, 40])
        let guide = Plane(width: 4, height: 1, samples: [10, 10, 10, 10])
        let s: Float = 8
        let k: Float = 3 / (1 + 40 * 40 / (s * s))
        let expected: [Float] = [5, (9 * 5 + k * 45) / (9 + k), (9 * 45 + k * 5) / (9 + k), 45]
        let up = GuidedChroma.agreeingModels(a: a, b: b, guide: guide, factorX: 2, factorY: 1, agreement: s)
        for (u, e) in zip(up.samples, expected) { #expect(abs(u - e) < 1e-4) }
        // Without the agreement test (the triangle filter): ¾ and ¼.
        let plain = GuidedChroma.agreeingModels(a: a, b: b, guide: guide, factorX: 2, factorY: 1, agreement: 1e15)
        for (u, e) in zip(plain.samples, [Float(5), 15, 35, 45]) { #expect(abs(u - e) < 1e-4) }
    }

    /// Across a colour edge the pixel keeps (nearly) its own model's colour; in a smooth
    /// gradient, where the neighbours agree to within the scale, it still interpolates.
    @Test func keepsEdgesAndInterpolatesGradients() {
        let guide = Plane(width: 8, height: 8, repeating: 100)
        // A step: models 0 on the left half of the chroma grid, 200 on the right.
        let step = Plane(width: 4, height: 4, samples: (0..<16).map { $0 % 4 < 2 ? 0 : 200 })
        let zeroA = Plane(width: 4, height: 4, repeating: 0)
        let edge = GuidedChroma.agreeingModels(a: zeroA, b: step, guide: guide, factorX: 2, factorY: 2, agreement: 2)
        // Column 4 (the right side's first pixel) leans left in the triangle filter (¾·200 = 150).
        for y in 0..<8 { #expect(edge[4, y] > 199.5 && edge[3, y] < 0.5) }
        // A ramp of 1 level per chroma sample: the triangle filter's values exactly.
        let ramp = Plane(width: 4, height: 4, samples: (0..<16).map { Float($0 % 4) })
        let smooth = GuidedChroma.agreeingModels(a: zeroA, b: ramp, guide: guide, factorX: 2, factorY: 2, agreement: 1e15)
        let agreeing = GuidedChroma.agreeingModels(a: zeroA, b: ramp, guide: guide, factorX: 2, factorY: 2, agreement: 8)
        for i in 0..<64 { #expect(abs(smooth.samples[i] - agreeing.samples[i]) < 0.01) }
        // No subsampling: the model evaluated as it is.
        let same = GuidedChroma.agreeingModels(a: zeroA, b: step, guide: Plane(width: 4, height: 4, repeating: 7),
                                               factorX: 1, factorY: 1, agreement: 2)
        #expect(same.samples == step.samples)
    }

    /// The setting is written into the model file and read back; implausible values are refused.
    @Test func metadataRoundTrip() throws {
        let options = GuidedChroma.Options(iterations: 2, fallback: 32, agreement: 2)
        let entries = GuidedChromaStage.entries(prefix: "p.", options)
        #expect(entries["p.agreement"] == "2.0")
        #expect(try GuidedChromaStage.options(prefix: "p.", metadata: entries) == options)
        var without = entries
        without["p.agreement"] = nil
        #expect(try GuidedChromaStage.options(prefix: "p.", metadata: without).agreement == nil)
        for bad in ["0", "-1", "nan", "x"] {
            var e = entries
            e["p.agreement"] = bad
            #expect(throws: CleaningModelError.self) { try GuidedChromaStage.options(prefix: "p.", metadata: e) }
        }
    }
}
