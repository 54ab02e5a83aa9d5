import Testing
@testable import Cleaner
import TestSupport

/// The guided chroma's passes split into bands of rows on several threads: every sample the
/// same as on one thread (each row is computed the same way in any band), for planes large
/// enough that ``RowBands`` really splits them, with odd sizes and ragged vector tails.
@Suite struct GuidedChromaBandTests {
    /// A low-resolution size above ``RowBands/minimumWork`` samples, and its 4:2:0 image size.
    static let low = (w: 77, h: 61), full = (w: 153, h: 121)

    @Test(arguments: [2, 3, 5])
    func fitAndBoxMeanDoNotDependOnThreads(_ threads: Int) {
        var rng = SplitMix64(seed: 71)
        let p = randomPlane(Self.low.w, Self.low.h, &rng, noise: 90), g = randomPlane(Self.low.w, Self.low.h, &rng, noise: 200)
        #expect(p.samples.count > RowBands.minimumWork)
        #expect(GuidedFilter.boxMean(p.samples, p.width, p.height, 2, threads: threads)
                == GuidedFilter.boxMean(p.samples, p.width, p.height, 2))
        for confidence in [nil, Float(1)] {
            for residual in [false, true] {
                let one = GuidedFilter.fit(p, guide: g, radius: 2, epsilon: 1, confidence: confidence, residual: residual)
                let many = GuidedFilter.fit(p, guide: g, radius: 2, epsilon: 1, confidence: confidence, residual: residual,
                                            threads: threads)
                #expect(many.a == one.a && many.b == one.b && many.residual == one.residual)
            }
        }
    }

    @Test(arguments: [2, 3])
    func evaluationAndAgreementDoNotDependOnThreads(_ threads: Int) {
        var rng = SplitMix64(seed: 72)
        let a = randomPlane(Self.low.w, Self.low.h, &rng, noise: 2), b = randomPlane(Self.low.w, Self.low.h, &rng, noise: 80)
        let guide = randomPlane(Self.full.w, Self.full.h, &rng, noise: 200)
        let chroma = randomPlane(Self.full.w, Self.full.h, &rng, noise: 50)
        var weight = randomPlane(Self.low.w, Self.low.h, &rng, noise: 255)
        for i in weight.samples.indices { weight.samples[i] /= 255 }
        #expect(GuidedChroma.evaluate2x2(a: a, b: b, guide: guide, fallback: (weight, chroma), threads: threads)
                == GuidedChroma.evaluate2x2(a: a, b: b, guide: guide, fallback: (weight, chroma)))
        let agreeing = GuidedChroma.agreeingModels(a: a, b: b, guide: guide, factorX: 2, factorY: 2, agreement: 3)
        #expect(GuidedChroma.agreeingModels(a: a, b: b, guide: guide, factorX: 2, factorY: 2, agreement: 3,
                                            threads: threads) == agreeing)
        var one = agreeing, many = agreeing
        GuidedChroma.pullBack(&one, toward: chroma, weight: weight)
        GuidedChroma.pullBack(&many, toward: chroma, weight: weight, threads: threads)
        #expect(many == one)
    }

    /// The whole low-resolution model (4:2:0 with and without the agreement, 4:2:2 through
    /// replication) with the default's fallback and confidence.
    @Test(arguments: [(2, 2, nil), (2, 2, Float(4)), (2, 1, Float(4))] as [(Int, Int, Float?)])
    func lowResolutionModelDoesNotDependOnThreads(_ fx: Int, _ fy: Int, _ agreement: Float?) {
        var rng = SplitMix64(seed: 73)
        let y = randomPlane(Self.full.w, Self.full.h, &rng, noise: 200)
        let chroma = randomPlane(Self.full.w, Self.full.h, &rng, noise: 60)
        let options = GuidedChroma.Options(confidence: 1, fallback: 16, agreement: agreement)
        let one = GuidedChroma.lowResolutionModel(chroma, guide: y, factorX: fx, factorY: fy, options: options)
        #expect(GuidedChroma.lowResolutionModel(chroma, guide: y, factorX: fx, factorY: fy, options: options,
                                                threads: 3) == one)
    }

    /// The replicated correction added in place is the sum with the whole upsampled plane.
    @Test(arguments: [(2, 2), (2, 1), (1, 1), (3, 2)] as [(Int, Int)])
    func addReplicatedIsTheSumWithTheUpsampledPlane(_ fx: Int, _ fy: Int) {
        var rng = SplitMix64(seed: 74)
        let lw = (Self.full.w + fx - 1) / fx, lh = (Self.full.h + fy - 1) / fy
        let low = randomPlane(lw, lh, &rng, noise: 30), base = randomPlane(Self.full.w, Self.full.h, &rng, noise: 200)
        var expected = base
        let up = Resampling.replicateUpsample(low, factorX: fx, factorY: fy, width: base.width, height: base.height)
        for i in expected.samples.indices { expected.samples[i] += up.samples[i] }
        for threads in [1, 3] {
            var out = base
            Resampling.addReplicated(low, factorX: fx, factorY: fy, to: &out, threads: threads)
            #expect(out == expected)
        }
    }
}
