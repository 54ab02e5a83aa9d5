import Testing
@testable import Cleaner
import TestSupport

/// The guided chroma's 4:2:0 model evaluated row by row (``GuidedChroma/evaluate2x2(a:b:guide:fallback:)``,
/// ``GuidedChroma/pullBack(_:toward:weight:)``): exactly the samples of upsampling the model and
/// the weight as whole planes and combining them.
@Suite struct GuidedChromaEvaluationTests {
    /// (low-resolution size, output size): odd and even sizes, a single sample, and rows wide
    /// enough for the eight-pair vector loop with a remainder.
    static let sizes: [(Int, Int, Int, Int)] = [(9, 7, 17, 13), (8, 7, 16, 14), (1, 1, 1, 1), (1, 1, 2, 2), (21, 2, 41, 3)]

    /// The whole-plane reference: `up(a)·guide + up(b)`, then `chroma + up(k)·(g − chroma)`.
    static func reference(a: Plane, b: Plane, guide: Plane, weight: Plane?, chroma: Plane) -> Plane {
        let w = guide.width, h = guide.height
        let ua = Resampling.fancyUpsample2x2(a, width: w, height: h), ub = Resampling.fancyUpsample2x2(b, width: w, height: h)
        var out = Plane(width: w, height: h)
        for i in 0..<w * h { out.samples[i] = ua.samples[i] * guide.samples[i] + ub.samples[i] }
        guard let weight else { return out }
        let uk = Resampling.fancyUpsample2x2(weight, width: w, height: h)
        for i in 0..<w * h {
            out.samples[i] = chroma.samples[i] + uk.samples[i] * (out.samples[i] - chroma.samples[i])
        }
        return out
    }

    @Test(arguments: sizes.indices)
    func rowByRowIsTheWholePlanePath(_ index: Int) {
        let (lw, lh, w, h) = Self.sizes[index]
        var rng = SplitMix64(seed: UInt64(40 + index))
        let a = randomPlane(lw, lh, &rng, noise: 2), b = randomPlane(lw, lh, &rng, noise: 80)
        let guide = randomPlane(w, h, &rng, noise: 200), chroma = randomPlane(w, h, &rng, noise: 50)
        var weight = randomPlane(lw, lh, &rng, noise: 255)
        for i in weight.samples.indices { weight.samples[i] /= 255 }
        let plain = GuidedChroma.evaluate2x2(a: a, b: b, guide: guide, fallback: nil)
        #expect(plain == Self.reference(a: a, b: b, guide: guide, weight: nil, chroma: chroma))
        let expected = Self.reference(a: a, b: b, guide: guide, weight: weight, chroma: chroma)
        #expect(GuidedChroma.evaluate2x2(a: a, b: b, guide: guide, fallback: (weight, chroma)) == expected)
        var pulled = plain
        GuidedChroma.pullBack(&pulled, toward: chroma, weight: weight)
        #expect(pulled == expected)
    }

    /// By hand: a model b = [0, 16] (a = 0) upsampled to 4 × 2 is the triangle filter
    /// [0, 4, 12, 16] on both rows; a weight of ½ everywhere halves the way from the chroma 8.
    @Test func byHand() {
        let a = Plane(width: 2, height: 1, samples: [0, 0]), b = Plane(width: 2, height: 1, samples: [0, 16])
        let guide = Plane(width: 4, height: 2, repeating: 100), chroma = Plane(width: 4, height: 2, repeating: 8)
        let weight = Plane(width: 2, height: 1, repeating: 0.5)
        #expect(GuidedChroma.evaluate2x2(a: a, b: b, guide: guide, fallback: nil).samples == [0, 4, 12, 16, 0, 4, 12, 16])
        #expect(GuidedChroma.evaluate2x2(a: a, b: b, guide: guide, fallback: (weight, chroma)).samples
                == [4, 6, 10, 12, 4, 6, 10, 12])
    }
}
