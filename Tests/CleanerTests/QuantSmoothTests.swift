import Testing
import JPEGCodec
import Net
@testable import Cleaner
import TestSupport

/// DCT-domain luma smoothing inside the quantization bins (``QuantSmooth``).
@Suite struct QuantSmoothTests {
    /// The luma of `syntheticImage` (8-bit scale).
    static func luma(_ w: Int, _ h: Int, seed: UInt64) -> Plane {
        ColourConversion.ycbcrPlanes(of: syntheticImage(w, h, seed: seed))[0]
    }

    /// PSNR (peak 255) of two planes of the same size.
    static func psnr(_ a: Plane, _ b: Plane) -> Double {
        var sum = 0.0
        for i in a.samples.indices {
            let d = Double(a.samples[i]) - Double(b.samples[i])
            sum += d * d
        }
        return Metrics.psnr(meanSquaredError: sum / Double(a.samples.count))
    }

    /// A vertical step edge 60 → 190 at x = 13 (inside a block), gray, `w × h`.
    static func stepEdge(_ w: Int, _ h: Int) -> Plane {
        Plane(width: w, height: h, samples: (0..<(w * h)).map { $0 % w < 13 ? 60 : 190 })
    }

    @Test func weightAndStepByHand() {
        // max(0, limit − |d|)⁴
        #expect(QuantSmooth.weight(1, limit: 4) == 81)
        #expect(QuantSmooth.weight(-2, limit: 4) == 16)
        #expect(QuantSmooth.weight(4, limit: 4) == 0)
        #expect(QuantSmooth.weight(-9, limit: 4) == 0)
        // Weights 16, 81, 0: (16·2·1 + 81·(−1)·1) / (16 + 81) = −49/97.
        let s = QuantSmooth.step(differences: [2, -1, 10], gains: [1, 1, 1], limit: 4)
        #expect(s != nil && abs(s! - (-49.0 / 97.0)) < 1e-6)
        // A gain of 2 (a block-edge pair) halves the step of a lone pair: 3·2 / (2²) = 1.5.
        #expect(QuantSmooth.step(differences: [3], gains: [2], limit: 4) == 1.5)
        // Only edges (or no gain): no step.
        #expect(QuantSmooth.step(differences: [10, -12], gains: [1, 1], limit: 4) == nil)
        #expect(QuantSmooth.step(differences: [1], gains: [0], limit: 4) == nil)
    }

    @Test func tablesMatchTheInverseDCT() {
        let t = QuantSmooth.Tables.shared
        #expect(t.zigzag.prefix(10) == [0, 1, 8, 16, 9, 2, 3, 10, 17, 24])
        #expect(Set(t.zigzag) == Set(0..<64))
        // The basis image of coefficient (v 2, u 5) is the inverse DCT of a unit there.
        var unit = [Float](repeating: 0, count: 64)
        let k = 2 * 8 + 5
        unit[k] = 1
        let image = DCT8x8.inverse(unit)
        let g = Array(t.gains[(k * 320)..<(k * 320 + 320)])
        for y in 0..<8 {
            for x in 0..<7 { #expect(abs(g[y * 7 + x] - (image[y * 8 + x] - image[y * 8 + x + 1])) < 1e-6) }
        }
        for y in 0..<7 {
            for x in 0..<8 { #expect(abs(g[56 + y * 8 + x] - (image[y * 8 + x] - image[(y + 1) * 8 + x])) < 1e-6) }
        }
        for i in 0..<8 {
            #expect(abs(g[112 + i] - image[i]) < 1e-6)
            #expect(abs(g[120 + i] - image[56 + i]) < 1e-6)
            #expect(abs(g[128 + i] - image[i * 8]) < 1e-6)
            #expect(abs(g[136 + i] - image[i * 8 + 7]) < 1e-6)
        }
        #expect(abs(g[144 + 2 * 7 + 3] - (image[2 * 8 + 3] - image[3 * 8 + 4])) < 1e-6)
        #expect(abs(g[200 + 2 * 7 + 3] - (image[2 * 8 + 4] - image[3 * 8 + 3])) < 1e-6)
        #expect(g[144 + 49] == 0 && g[200 + 55] == 0)
        #expect(g[256 + 5] == image[2] && g[256 + 48 + 6] == image[3 * 8 + 7])
    }

    /// One block's first update (coefficient 63, the last in zigzag order) against the
    /// weighted step computed pair by pair from the inverse DCT: every other coefficient is
    /// pinned by a zero-width bin.
    @Test(arguments: [false, true])
    func firstUpdateOfABlockIsTheWeightedStep(diagonals: Bool) {
        var rng = SplitMix64(seed: 9)
        // The block with its one-pixel surroundings, 10×10, row-major.
        let img = (0..<100).map { _ in 100 + 20 * (rng.nextUnitFloat() - 0.5) }
        var c = (0..<64).map { _ in 30 * (rng.nextUnitFloat() - 0.5) }
        var lo = c, hi = c
        lo[63] = -1000
        hi[63] = 1000
        var q = [Float](repeating: 4, count: 64)
        q[63] = 9  // limit 2·9 = 18 against differences of up to ±20: most pairs weigh in
        let options = QuantSmooth.Options(iterations: 1, diagonalPairs: diagonals)
        let c0 = c[63]
        img.withUnsafeBufferPointer { im in
            QuantSmooth.smoothBlock(&c, lo: lo, hi: hi, original: lo, quantization: q,
                                    image: im.baseAddress! + 11, stride: 10,
                                    tables: .shared, options: options)
        }
        var unit = [Float](repeating: 0, count: 64)
        unit[63] = 1
        let basis = DCT8x8.inverse(unit)
        func px(_ y: Int, _ x: Int) -> Float { img[(y + 1) * 10 + x + 1] }
        func b(_ y: Int, _ x: Int) -> Float { basis[y * 8 + x] }
        let edgeGain: Float = diagonals ? 4 : 2
        var d: [Float] = [], g: [Float] = []
        func inBlock(_ y: Int, _ x: Int, _ y2: Int, _ x2: Int) { d.append(px(y, x) - px(y2, x2)); g.append(b(y, x) - b(y2, x2)) }
        func across(_ y: Int, _ x: Int, _ y2: Int, _ x2: Int) { d.append(px(y, x) - px(y2, x2)); g.append(edgeGain * b(y, x)) }
        for y in 0..<8 { for x in 0..<7 { inBlock(y, x, y, x + 1); inBlock(x, y, x + 1, y) } }
        for i in 0..<8 { across(0, i, -1, i); across(7, i, 8, i); across(i, 0, i, -1); across(i, 7, i, 8) }
        if diagonals {
            for y in 0..<7 { for x in 0..<7 { inBlock(y, x, y + 1, x + 1); inBlock(y, x + 1, y + 1, x) } }
            for i in 0..<8 {
                for s in [-1, 1] { across(0, i, -1, i + s); across(7, i, 8, i + s); across(i, 0, i + s, -1); across(i, 7, i + s, 8) }
            }
        }
        let step = QuantSmooth.step(differences: d, gains: g, limit: 2 * 9)!
        #expect(abs(c[63] - (c0 - step)) < 1e-3 * max(1, abs(step)))
        #expect(c[63] != c0)
        for i in 0..<63 { #expect(c[i] == lo[i]) }
    }

    /// A block whose pair differences (its own and with its surroundings) are all within
    /// ``QuantSmooth/flatTolerance`` counts as flat and keeps its coefficients; one difference
    /// just past it and the block is updated.
    @Test func blocksFlatWithinTheToleranceAreSkipped() {
        let t = QuantSmooth.flatTolerance
        #expect(t > 0)
        for (amplitude, moves) in [(t, false), (1.2 * t, true)] {
            // 10×10: the block and its surroundings, a checkerboard of ±amplitude/2 around 100
            // (neighbour differences of exactly ±amplitude).
            let img = (0..<100).map { 100 + ((($0 / 10) + $0 % 10) % 2 == 0 ? 0.5 : -0.5) * amplitude }
            var c = [Float](repeating: 0, count: 64)
            let lo = [Float](repeating: -50, count: 64), hi = [Float](repeating: 50, count: 64)
            img.withUnsafeBufferPointer { im in
                QuantSmooth.smoothBlock(&c, lo: lo, hi: hi, original: lo, quantization: [Float](repeating: 4, count: 64),
                                        image: im.baseAddress! + 11, stride: 10, tables: .shared, options: .init(iterations: 1))
            }
            #expect(c.contains { $0 != 0 } == moves, "amplitude \(amplitude)")
        }
    }

    @Test(arguments: [false, true])
    func everyOutputCoefficientLiesInItsBin(rebalance: Bool) {
        let truth = Self.luma(32, 24, seed: 31)
        let coef = CoefficientPlane.quantizing(truth, quantization: lumaQ85)
        // Start from a noisy prediction, far outside the bins in places.
        var rng = SplitMix64(seed: 5)
        var prediction = truth
        for i in prediction.samples.indices { prediction.samples[i] += 40 * (rng.nextUnitFloat() - 0.5) }
        let out = QuantSmooth.smooth(prediction, coefficients: coef,
                                     options: .init(iterations: 3, rebalance: rebalance))
        #expect(out.width == 32 && out.height == 24)
        var changed = false
        for by in 0..<3 {
            for bx in 0..<4 {
                var block = [Float](repeating: 0, count: 64)
                for r in 0..<8 { for c in 0..<8 { block[r * 8 + c] = out[bx * 8 + c, by * 8 + r] - 128 } }
                let d = DCT8x8.forward(block)
                for i in 0..<64 {
                    let q = Float(lumaQ85[i]), n = Float(coef.coefficients[(by * 4 + bx) * 64 + i])
                    #expect(d[i] >= (n - 0.5) * q - 1e-3 && d[i] <= (n + 0.5) * q + 1e-3)
                    if abs(d[i] - n * q) > 1e-3 { changed = true }
                }
            }
        }
        #expect(changed)
    }

    @Test func plainDecodeOfAFlatImageIsAFixedPoint() {
        let flat = Plane(width: 21, height: 13, repeating: 100)
        let coef = CoefficientPlane.quantizing(flat, quantization: lumaQ85)
        let decode = coef.dequantizedPlane().cropped(toWidth: 21, height: 13)
        let out = QuantSmooth.smooth(decode, coefficients: coef, options: .init(iterations: 3, rebalance: true))
        for i in out.samples.indices { #expect(abs(out.samples[i] - decode.samples[i]) < 1e-3) }
    }

    /// Blocks whose inputs repeat an earlier block's take its result: the same plane as working
    /// every block out, on a plane whose vertical step edge gives the same blocks down its
    /// length, with a noisy patch that repeats nothing, at 1 and 2 threads.
    @Test(arguments: [1, 2])
    func repeatedBlocksTakeTheirFirstsResult(threads: Int) {
        let table = StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 50)
        var truth = Self.stepEdge(48, 64)
        let noise = Self.luma(48, 64, seed: 12)
        for y in 40..<56 { for x in 8..<24 { truth.samples[y * 48 + x] = noise.samples[y * 48 + x] } }
        let coef = CoefficientPlane.quantizing(truth, quantization: table)
        let decode = coef.dequantizedPlane().cropped(toWidth: 48, height: 64)
        let options = QuantSmooth.Options(iterations: 2)
        let shared = QuantSmooth.smooth(decode, coefficients: coef, options: options, threads: threads)
        let each = QuantSmooth.smooth(decode, coefficients: coef, options: options, threads: threads, shareRepeats: false)
        let same = shared.samples.map(\.bitPattern) == each.samples.map(\.bitPattern)
        #expect(same)
        #expect(shared.samples != decode.samples)
    }

    @Test func stepEdgeRingingGetsCloserToTheOriginal() {
        // A coarse table (quality 50) so the step rings clearly.
        let table = StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 50)
        let truth = Self.stepEdge(32, 16)
        let coef = CoefficientPlane.quantizing(truth, quantization: table)
        let decode = coef.dequantizedPlane().cropped(toWidth: 32, height: 16)
        let before = Self.psnr(truth, decode)
        let one = QuantSmooth.smooth(decode, coefficients: coef, options: .init(iterations: 1))
        let three = QuantSmooth.smooth(decode, coefficients: coef, options: .init(iterations: 3))
        #expect(Self.psnr(truth, one) > before + 0.5)
        #expect(Self.psnr(truth, three) > before + 0.5)
    }

    @Test func laterRoundsUseTheDecayedThreshold() {
        // Two rounds with decay ¼ = one round at threshold 2, then one round at ½ on its output
        // (whose coefficients already lie in the bins, so the second call starts from them).
        let table = StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 50)
        let truth = Self.luma(24, 16, seed: 5)
        let coef = CoefficientPlane.quantizing(truth, quantization: table)
        let decode = coef.dequantizedPlane().cropped(toWidth: 24, height: 16)
        let both = QuantSmooth.smooth(decode, coefficients: coef, options: .init(iterations: 2, threshold: 2, thresholdDecay: 0.25))
        let first = QuantSmooth.smooth(decode, coefficients: coef, options: .init(iterations: 1, threshold: 2))
        let second = QuantSmooth.smooth(first, coefficients: coef, options: .init(iterations: 1, threshold: 0.5))
        for i in both.samples.indices { #expect(abs(both.samples[i] - second.samples[i]) < 2e-3) }
        // Without decay the second round is a full-threshold round, which moves more.
        let flat = QuantSmooth.smooth(decode, coefficients: coef, options: .init(iterations: 2, threshold: 2, thresholdDecay: 1))
        let moved = zip(flat.samples, first.samples).map { abs($0 - $1) }.reduce(0, +)
        let movedDecayed = zip(both.samples, first.samples).map { abs($0 - $1) }.reduce(0, +)
        #expect(movedDecayed < moved)
    }

    /// A screenshot-like colour image: white, a dark blue bar and thin red strokes, edges
    /// inside blocks.
    static func screenshot(_ w: Int, _ h: Int) -> RasterImage {
        var px = [UInt8]()
        for y in 0..<h {
            for x in 0..<w {
                var rgb: [UInt8] = [255, 255, 255]
                if (5..<19).contains(y) && (3..<37).contains(x) { rgb = [20, 40, 120] }
                if (y == 27 || y == 28 || x == 43) && y > 22 { rgb = [200, 30, 30] }
                px += rgb
            }
        }
        return RasterImage(width: w, height: h, channels: 3, pixels: px)
    }

    @Test func colourPipelineGainsAndGuidesTheChromaWithTheSmoothedLuma() {
        let original = Self.screenshot(48, 40)
        let decoded = simulatedJPEG(original)
        let plain = Cleaning.classical(decoded, options: CleaningOptions(chromaGuidance: .init()))
        let smoothed = Cleaning.classical(decoded, options: CleaningOptions(chromaGuidance: .init(),
                                                                           lumaSmoothing: .init(iterations: 1)))
        #expect(smoothed != plain)
        #expect(Metrics.psnr(original, smoothed) > Metrics.psnr(original, plain) + 0.5)
        // On fine noise texture it costs a little at most (measured −0.02 dB here).
        let noisy = syntheticImage(48, 40, seed: 41)
        let noisyDecoded = simulatedJPEG(noisy)
        let noisyPlain = Cleaning.classical(noisyDecoded, options: CleaningOptions(chromaGuidance: .init()))
        let noisySmoothed = Cleaning.classical(noisyDecoded, options: CleaningOptions(chromaGuidance: .init(),
                                                                                     lumaSmoothing: .init(iterations: 1)))
        #expect(Metrics.psnr(noisy, noisySmoothed) > Metrics.psnr(noisy, noisyPlain) - 0.1)
        // Gray images (one component) are smoothed too.
        let gray = RasterImage(width: 48, height: 40, channels: 1, pixels: (0..<(48 * 40)).map { noisy.pixels[$0 * 3 + 1] })
        let coef = CoefficientPlane.quantizing(ColourConversion.planes(of: gray)[0], quantization: lumaQ85)
        let grayDecoded = CleanerInput(image: ColourConversion.rasterImage(channels: [coef.dequantizedPlane().cropped(toWidth: 48, height: 40)]),
                                       components: [coef])
        let graySmoothed = Cleaning.classical(grayDecoded, options: CleaningOptions(lumaSmoothing: .init(iterations: 1)))
        #expect(graySmoothed != grayDecoded.image)
        // Without a projection nothing is applied.
        let none = Cleaning.classical(decoded, options: CleaningOptions(projection: .none, lumaSmoothing: .init()))
        #expect(none == decoded.image)
    }

    @Test func iterationsRoundTripThroughModelMetadata() throws {
        let options = CleaningOptions(residual: false, lumaSmoothing: .init(iterations: 2))
        var network = Model(layerSizes: [1728, 4, 192], seed: 1)
        network.metadata = LegacyMetadata.entries(for: options)
        #expect(network.metadata[LegacyMetadata.Key.lumaSmoothing] == "2")
        #expect(network.metadata[LegacyMetadata.Key.lumaSmoothingThreshold] == "2.0")
        #expect(network.metadata[LegacyMetadata.Key.lumaSmoothingThresholdDecay] == "0.25")
        #expect(try CleaningModel(network: network).pipeline.stage(LumaSmoothingStage.self)?.options == QuantSmooth.Options(iterations: 2))
        // Files without the decay entry smoothed every round at the same threshold.
        network.metadata[LegacyMetadata.Key.lumaSmoothingThresholdDecay] = nil
        #expect(try CleaningModel(network: network).pipeline.stage(LumaSmoothingStage.self)?.options == QuantSmooth.Options(iterations: 2, thresholdDecay: 1))
        network.metadata[LegacyMetadata.Key.lumaSmoothingThresholdDecay] = "1.5"
        #expect(throws: CleaningModelError.invalidMetadata(key: LegacyMetadata.Key.lumaSmoothingThresholdDecay, value: "1.5")) {
            try CleaningModel(network: network)
        }
        network.metadata[LegacyMetadata.Key.lumaSmoothingThresholdDecay] = "0.25"
        network.metadata[LegacyMetadata.Key.lumaSmoothingThreshold] = "1.5"
        #expect(try CleaningModel(network: network).pipeline.stage(LumaSmoothingStage.self)?.options == QuantSmooth.Options(iterations: 2, threshold: 1.5))
        network.metadata[LegacyMetadata.Key.lumaSmoothingThreshold] = "0"
        #expect(throws: CleaningModelError.self) { try CleaningModel(network: network) }
        network.metadata[LegacyMetadata.Key.lumaSmoothingThreshold] = nil
        network.metadata[LegacyMetadata.Key.lumaSmoothing] = "0"
        #expect(try CleaningModel(network: network).pipeline.stage(LumaSmoothingStage.self)?.options == nil)
        #expect(LegacyMetadata.entries(for: CleaningOptions())[LegacyMetadata.Key.lumaSmoothingThreshold] == nil)
        network.metadata[LegacyMetadata.Key.lumaSmoothing] = nil
        #expect(try CleaningModel(network: network).pipeline.stage(LumaSmoothingStage.self)?.options == nil)
        network.metadata[LegacyMetadata.Key.lumaSmoothing] = "-1"
        #expect(throws: CleaningModelError.self) { try CleaningModel(network: network) }
    }
}
