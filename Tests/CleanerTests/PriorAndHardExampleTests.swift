import Testing
import JPEGCodec
import Net
@testable import Cleaner
import TestSupport

/// The guided-chroma prior a network can be trained on, and hard-example sampling of pairs.
@Suite struct PriorAndHardExampleTests {
    static func zero(_ w: [Float], _ n: Int) -> [Float] { [Float](repeating: 0, count: n * 192) }

    @Test func priorIsTheGuidedChromaOfThePlainDecode() {
        let original = syntheticImage(48, 40, seed: 21)
        let decoded = simulatedJPEG(original)
        let guidance = GuidedChroma.Options(iterations: 2)
        let prior = Cleaning.prior(decoded, chromaGuidance: guidance)
        // Same as cleaning the plain decode with a network that changes nothing, guided chroma on.
        #expect(prior == Cleaning.clean(decoded, options: CleaningOptions(chromaGuidance: guidance), predict: Self.zero))
        #expect(prior != decoded.image)
        #expect(Metrics.psnr(original, prior) > Metrics.psnr(original, decoded.image))
        // A do-nothing network on the prior, no projection after it: the prior itself.
        let onPrior = Cleaning.clean(decoded, options: CleaningOptions(projection: .none, prior: guidance), predict: Self.zero)
        #expect(onPrior == prior)
        // Without coefficients (or gray) there is no prior: the decode comes back.
        var bare = decoded
        bare.components = []
        #expect(Cleaning.prior(bare, chromaGuidance: guidance) == decoded.image)
    }

    @Test func withoutTheNetworkOnlyTheClassicalStepsRun() throws {
        let original = syntheticImage(48, 40, seed: 23)
        let decoded = simulatedJPEG(original)
        let options = CleaningOptions(residual: false, chromaGuidance: .init(iterations: 2), prior: .init(iterations: 1))
        var network = Model(layerSizes: [1728, 4, 192], seed: 3)
        network.metadata = LegacyMetadata.entries(for: options)
        var model = try CleaningModel(network: network)
        model.usesNetwork = false
        // The same as a network that returns a zero residual on the prior.
        var zeroResidual = options
        zeroResidual.residual = true
        let expected = Cleaning.clean(decoded, options: zeroResidual, predict: Self.zero)
        #expect(model.clean(decoded) == expected)
        #expect(Metrics.psnr(original, expected) > Metrics.psnr(original, decoded.image))
        // With the (random, untrained) network the result differs.
        model.usesNetwork = true
        #expect(model.clean(decoded) != expected)
    }

    @Test func priorRoundTripsThroughModelMetadata() throws {
        let options = CleaningOptions(residual: false, chromaGuidance: .init(iterations: 1), prior: .init(iterations: 3))
        var network = Model(layerSizes: [1728, 4, 192], seed: 1)
        network.metadata = LegacyMetadata.entries(for: options)
        #expect(network.metadata[LegacyMetadata.Key.priorChromaGuidance] == "3")
        let model = try CleaningModel(network: network)
        #expect(model.pipeline.stage(PriorStage.self)?.options.iterations == 3)
        #expect(model.pipeline.stage(GuidedChromaStage.self)?.options.iterations == 1)
        #expect(network.metadata[LegacyMetadata.Key.chromaGuidanceFit] == "low")
        #expect(model.pipeline.stage(PriorStage.self)?.options.lowResolutionFit == true && model.pipeline.stage(GuidedChromaStage.self)?.options.lowResolutionFit == true)
        #expect(model.pipeline.stage(PriorStage.self)?.options == GuidedChroma.Options(iterations: 3))
        // Files without the fit entries were made with the first version's full-resolution fit.
        var full = network
        for prefix in ["unjpeg.chroma_guidance.", "unjpeg.prior.chroma_guidance."] {
            for key in ["fit"] + LegacyMetadata.Key.guidanceParameters { full.metadata[prefix + key] = nil }
        }
        let old = try CleaningModel(network: full)
        #expect(old.pipeline.stage(GuidedChromaStage.self)?.options == GuidedChroma.fullResolutionOptions(iterations: 1))
        #expect(old.pipeline.stage(PriorStage.self)?.options == GuidedChroma.fullResolutionOptions(iterations: 3))
        // Files of the first low-resolution version have the shared fit entry only: r 1, no weighting.
        full.metadata[LegacyMetadata.Key.chromaGuidanceFit] = "low"
        #expect(try CleaningModel(network: full).pipeline.stage(PriorStage.self)?.options ==
                GuidedChroma.Options(radius: 1, epsilon: 1, iterations: 3, lowResolutionFit: true, confidence: nil))
        // Explicit parameters are read back; impossible ones are refused.
        network.metadata["unjpeg.chroma_guidance.radius"] = "4"
        network.metadata["unjpeg.chroma_guidance.confidence"] = "0"
        let explicit = try CleaningModel(network: network)
        #expect(explicit.pipeline.stage(GuidedChromaStage.self)?.options.radius == 4 && explicit.pipeline.stage(GuidedChromaStage.self)?.options.confidence == nil)
        network.metadata["unjpeg.chroma_guidance.epsilon"] = "-1"
        #expect(throws: CleaningModelError.invalidMetadata(key: "unjpeg.chroma_guidance.epsilon", value: "-1")) {
            try CleaningModel(network: network)
        }
        network.metadata["unjpeg.chroma_guidance.epsilon"] = "1"
        network.metadata[LegacyMetadata.Key.chromaGuidanceFit] = "half"
        #expect(throws: CleaningModelError.invalidMetadata(key: LegacyMetadata.Key.chromaGuidanceFit, value: "half")) {
            try CleaningModel(network: network)
        }
        network.metadata[LegacyMetadata.Key.chromaGuidanceFit] = "low"
        // Older files have no prior entry: plain decode.
        network.metadata[LegacyMetadata.Key.priorChromaGuidance] = nil
        #expect(try CleaningModel(network: network).pipeline.stage(PriorStage.self)?.options == nil)
        network.metadata[LegacyMetadata.Key.priorChromaGuidance] = "-1"
        #expect(throws: CleaningModelError.invalidMetadata(key: LegacyMetadata.Key.priorChromaGuidance, value: "-1")) {
            try CleaningModel(network: network)
        }
    }

    @Test func impossibleMetadataValuesAreRefusedNotTrapped() throws {
        let options = CleaningOptions(residual: false, chromaGuidance: .init(), prior: .init(), lumaSmoothing: .init())
        var network = Model(layerSizes: [1728, 4, 192], seed: 1)
        network.metadata = LegacyMetadata.entries(for: options)
        _ = try CleaningModel(network: network)
        let keys = ["unjpeg.chroma_guidance.iterations", "unjpeg.chroma_guidance.radius", "unjpeg.chroma_guidance.epsilon",
                    "unjpeg.chroma_guidance.confidence", "unjpeg.chroma_guidance.fit",
                    "unjpeg.prior.chroma_guidance.iterations", "unjpeg.prior.chroma_guidance.radius",
                    "unjpeg.prior.chroma_guidance.epsilon", "unjpeg.prior.chroma_guidance.confidence",
                    "unjpeg.prior.chroma_guidance.fit", LegacyMetadata.Key.lumaSmoothing,
                    LegacyMetadata.Key.lumaSmoothingThreshold, LegacyMetadata.Key.lumaSmoothingThresholdDecay]
        for key in keys {
            for bad in ["", "nan", "inf", "-inf", "-1", "1e40", "99999999999999999999999", "x"] {
                var m = network
                m.metadata[key] = bad
                #expect(throws: CleaningModelError.invalidMetadata(key: key, value: bad)) { try CleaningModel(network: m) }
            }
        }
    }

    @Test func targetErrorByHand() {
        // 24×24 image; degraded = clean except the central block of window 0, where one pixel's
        // red is 6 levels off and another's blue 3: MSE = (36 + 9) / 192 level².
        let clean = randomRaster(24, 24, seed: 3)
        var pixels = clean.pixels
        let p1 = (9 * 24 + 10) * 3, p2 = (15 * 24 + 8) * 3 + 2
        pixels[p1] = pixels[p1] < 128 ? pixels[p1] + 6 : pixels[p1] - 6
        pixels[p2] = pixels[p2] < 128 ? pixels[p2] + 3 : pixels[p2] - 3
        // Pixel (0, 0) is in window 0's central block (blocks start at the image's corner), not
        // in the centre window's: it counts only for window 0, 2500 / 192 level².
        pixels[0] = pixels[0] < 128 ? pixels[0] + 50 : pixels[0] - 50
        let degraded = RasterImage(width: 24, height: 24, channels: 3, pixels: pixels)
        let src = TrainingPairSource(clean: clean, degraded: degraded)
        #expect(src.windowCount == 9)
        let centre = src.grid.columns + 1   // the window whose central block is (8…15, 8…15)
        #expect(abs(src.targetError(window: centre) - 45.0 / 192) < 1e-5)
        #expect(abs(src.targetError(window: 0) - 2500.0 / 192) < 1e-4)
        #expect(src.targetError(window: 2) == 0)
    }

    @Test func easyWindowsAreThinnedOut() {
        // Left half: degraded = clean (easy); right half: noisy (hard).
        let clean = randomRaster(160, 64, seed: 4), noise = randomRaster(160, 64, seed: 5)
        var pixels = clean.pixels
        for y in 0..<64 { for x in 80..<160 { for c in 0..<3 { pixels[(y * 160 + x) * 3 + c] = noise.pixels[(y * 160 + x) * 3 + c] } } }
        let src = TrainingPairSource(clean: clean, degraded: RasterImage(width: 160, height: 64, channels: 3, pixels: pixels))
        let easy = (0..<src.windowCount).filter { src.targetError(window: $0) < 1 }
        #expect(easy.count == src.windowCount / 2)
        func easyShare(_ batch: TrainingBatch) -> Double {
            var n = 0
            for p in 0..<batch.count where batch.targets[(p * 192)..<((p + 1) * 192)].allSatisfy({ $0 == 0 }) { n += 1 }
            return Double(n) / Double(batch.count)
        }
        var rng = SplitMix64(seed: 7)
        let uniform = src.samplePairs(count: 4000, using: &rng)
        let thinned = src.samplePairs(count: 4000, using: &rng, keepEasy: 0.2)
        #expect(thinned.count == 4000)
        // Uniform: half easy. Keeping a fifth of the easy ones: 0.1 / (0.1 + 0.5) = 1/6.
        #expect(abs(easyShare(uniform) - 0.5) < 0.03)
        #expect(abs(easyShare(thinned) - 1.0 / 6) < 0.03)
        // keepEasy 1 draws exactly like the plain sampler.
        var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9)
        #expect(src.samplePairs(count: 50, using: &a, keepEasy: 1) == src.samplePairs(count: 50, using: &b))
        // An all-easy image gives up after 20 draws per pair rather than looping.
        let flat = TrainingPairSource(clean: clean, degraded: clean)
        var r = SplitMix64(seed: 1)
        #expect(flat.samplePairs(count: 100, using: &r, keepEasy: 0.001).count < 100)
    }
}
