import Testing
import Foundation
import JPEGCodec
import Net
@testable import Cleaner

/// The pipeline of stages (issue 15): every stage's metadata round trip, the recipe in model
/// files (format 2 and the first format), the overrides, plausibility checks on model files,
/// and the README's stage list.
@Suite struct PipelineTests {
    static func zero(_ w: [Float], _ n: Int) -> [Float] { [Float](repeating: 0, count: n * 192) }

    /// A non-default instance of every registered stage type (a new stage must add one here).
    static let samples: [String: any CleaningStage] = [
        PriorStage.name: PriorStage(options: GuidedChroma.Options(radius: 1, epsilon: 0.5, iterations: 3, confidence: nil, fallback: 8)),
        NetworkStage.name: {
            var stage = NetworkStage(geometry: WindowGeometry(windowSize: 16, coreSize: 8, stride: 4), output: .fullWindow,
                                     normalization: SampleNormalization(offset: 100, scale: 0.25), residual: false)
            stage.flatUniform = true
            return stage
        }(),
        LumaSmoothingStage.name: LumaSmoothingStage(options: QuantSmooth.Options(iterations: 3, threshold: 1.5, thresholdDecay: 0.5)),
        ProjectionStage.name: ProjectionStage(components: .luma),
        ChromaSmoothingStage.name: ChromaSmoothingStage(options: QuantSmooth.Options(iterations: 3, threshold: 0.75, thresholdDecay: 0.5)),
        GuidedChromaStage.name: GuidedChromaStage(options: { var o = GuidedChroma.fullResolutionOptions(iterations: 4); o.slack = -1.5; o.fallback = 12.5; return o }()),
        WhitePointStage.name: WhitePointStage(tolerance: 2.5, besideTolerance: 6),
        FlatAreaStage.name: FlatAreaStage(radius: 12, lines: true),
        PaletteStage.name: { var stage = PaletteStage(tolerance: 2.5, radius: 9, minimumArea: 64); stage.stepTolerance = 1.25; return stage }(),
        GamutStage.name: GamutStage(margin: 3.5),
    ]

    static func isEqual(_ a: any CleaningStage, _ b: any CleaningStage) -> Bool {
        func same<S: CleaningStage & Equatable>(_ x: S, _ y: any CleaningStage) -> Bool { (y as? S) == x }
        switch a {
        case let s as PriorStage: return same(s, b)
        case let s as NetworkStage: return same(s, b)
        case let s as LumaSmoothingStage: return same(s, b)
        case let s as ProjectionStage: return same(s, b)
        case let s as ChromaSmoothingStage: return same(s, b)
        case let s as GuidedChromaStage: return same(s, b)
        case let s as WhitePointStage: return same(s, b)
        case let s as FlatAreaStage: return same(s, b)
        case let s as PaletteStage: return same(s, b)
        case let s as GamutStage: return same(s, b)
        default: return false
        }
    }

    @Test func everyStageRoundTripsThroughItsMetadata() throws {
        #expect(Pipeline.registry.map { $0.name } == ["prior", "network", "luma_smoothing", "projection", "chroma_smoothing",
                                                        "guided_chroma", "flat_area", "white_point", "palette", "gamut"])
        for type in Pipeline.registry {
            let sample = try #require(Self.samples[type.name], "no sample for stage \(type.name)")
            let entries = sample.metadata()
            // Keys live under the stage's own prefix.
            #expect(entries.keys.allSatisfy { $0.hasPrefix("unjpeg.\(type.name).") }, "\(type.name): \(entries.keys.sorted())")
            let back = try type.init(metadata: entries)
            #expect(Self.isEqual(sample, back), "\(type.name)")
            // Every entry is required, except those added later with a default that older
            // files lack: dropping a required one is refused, naming it.
            let optional: Set = ["unjpeg.guided_chroma.bin_shrink", "unjpeg.prior.bin_shrink",
                                 "unjpeg.guided_chroma.fallback", "unjpeg.prior.fallback",
                                 "unjpeg.network.dead_zone", "unjpeg.network.inputs", "unjpeg.network.place", "unjpeg.network.uniform", "unjpeg.flat_area.lines",
                                 "unjpeg.white_point.beside", "unjpeg.palette.step"]
            for key in entries.keys {
                var missing = entries
                missing[key] = nil
                if optional.contains(key) {
                    #expect(throws: Never.self) { _ = try type.init(metadata: missing) }
                } else {
                    #expect(throws: CleaningModelError.invalidMetadata(key: key, value: nil)) { _ = try type.init(metadata: missing) }
                }
            }
        }
    }

    @Test func aPipelineRoundTripsThroughAModelFile() throws {
        let pipeline = Pipeline(Array(Self.samples.values))
        #expect(pipeline.names == ["prior", "network", "luma_smoothing", "projection", "chroma_smoothing", "guided_chroma", "flat_area", "white_point", "palette", "gamut"])
        let back = try Pipeline(metadata: pipeline.metadata())
        #expect(back.names == pipeline.names)
        for (a, b) in zip(pipeline.stages, back.stages) { #expect(Self.isEqual(a, b)) }
        // Out of order, unknown, duplicated or newer recipes are refused.
        var meta = pipeline.metadata()
        for list in ["network,prior", "network,sharpen", "network,network"] {
            meta[Pipeline.stagesKey] = list
            #expect(throws: CleaningModelError.invalidMetadata(key: Pipeline.stagesKey, value: list)) { try Pipeline(metadata: meta) }
        }
        meta[Pipeline.versionKey] = "3"
        #expect(throws: CleaningModelError.unsupportedPipelineVersion("3")) { try Pipeline(metadata: meta) }
    }

    /// A late network runs after the guided chroma, says so in the model file, and adds its
    /// residual to the classical stages' unrounded estimate; what it is trained on is exactly
    /// what it sees there.
    @Test func aLateNetworkRunsAfterTheClassicalStages() throws {
        var pipeline = Pipeline(options: CleaningOptions(residual: false, chromaGuidance: .init(iterations: 1),
                                                         lumaSmoothing: .init(iterations: 1)))
        pipeline.insert(FlatAreaStage())
        #expect(pipeline.names == ["network", "luma_smoothing", "projection", "guided_chroma", "flat_area"])
        try pipeline.apply(overrides: ["network-place": "late"], trainingOnly: true)
        #expect(pipeline.names == ["luma_smoothing", "projection", "guided_chroma", "network", "flat_area"])
        #expect(pipeline.stage(NetworkStage.self)?.metadata()["unjpeg.network.place"] == "late")
        // The order in a model file follows the placement; a late list with an early network
        // (or the reverse) is refused.
        let meta = pipeline.metadata()
        let back = try Pipeline(metadata: meta)
        #expect(back.names == pipeline.names && back.stage(NetworkStage.self)?.placement == .late)
        var early = meta
        early["unjpeg.network.place"] = nil
        let list = meta[Pipeline.stagesKey]
        #expect(throws: CleaningModelError.invalidMetadata(key: Pipeline.stagesKey, value: list)) { try Pipeline(metadata: early) }
        early["unjpeg.network.place"] = "middle"
        #expect(throws: CleaningModelError.invalidMetadata(key: "unjpeg.network.place", value: "middle")) { try Pipeline(metadata: early) }
        // The projection after a late network is kept in the file; an early one has none.
        var projected = pipeline
        try projected.apply(overrides: ["network-projection": "luma"])
        #expect(projected.stage(NetworkStage.self)?.projection == .luma)
        #expect(try Pipeline(metadata: projected.metadata()).stage(NetworkStage.self)?.projection == .luma)
        var earlyProjected = projected.metadata()
        earlyProjected["unjpeg.network.place"] = nil
        earlyProjected[Pipeline.stagesKey] = "network,luma_smoothing,projection,guided_chroma,flat_area"
        #expect(throws: CleaningModelError.invalidMetadata(key: "unjpeg.network.projection", value: "luma")) {
            try Pipeline(metadata: earlyProjected)
        }
        // Only for training: clean cannot move a trained network.
        #expect(Pipeline.overrides.first { $0.name == "network-place" }?.trainingOnly == true)
        try pipeline.apply(overrides: ["network-place": "early"])
        #expect(pipeline.stage(NetworkStage.self)?.placement == .late)

        // What the network sees: the classical stages' output rounded to 8 bits.
        let decoded = simulatedJPEG(syntheticImage(48, 40, seed: 43))
        var classical = pipeline
        classical.remove(NetworkStage.self)
        classical.remove(FlatAreaStage.self)
        #expect(pipeline.networkInput(decoded) == classical.run(decoded))
        // A network that predicts no change leaves the classical result as it is (unrounded:
        // the same pixels as without it); one that predicts +2 levels everywhere adds exactly 2
        // to the unrounded estimate before the flat-area stage.
        let zero: ([Float], Int) -> [Float] = { _, n in [Float](repeating: 0, count: n * 192) }
        let two: ([Float], Int) -> [Float] = { _, n in [Float](repeating: 2.0 / 64, count: n * 192) }
        var late = pipeline
        late.remove(FlatAreaStage.self)
        var stage = try #require(late.stage(NetworkStage.self))
        stage.residual = true
        late.insert(stage)
        #expect(late.run(decoded, context: StageContext(predict: zero)) == classical.run(decoded))
        // The classical luma already lies in its bins: projecting it again after a network
        // that changes nothing leaves it there.
        stage.projection = .luma
        var lateProjected = late
        lateProjected.insert(stage)
        #expect(lateProjected.run(decoded, context: StageContext(predict: zero)) == classical.run(decoded))
        var state = PipelineState(decoded)
        for s in classical.stages { s.apply(to: &state, context: StageContext()) }
        let expected = state.pixels().samples.map { min(max($0 + 2, 0), 255) }
        var lateState = PipelineState(decoded)
        for s in late.stages { s.apply(to: &lateState, context: StageContext(predict: two)) }
        let got = lateState.pixels().samples
        #expect(got.count == expected.count)
        #expect(zip(got, expected).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    /// A model in the first format and the same model re-written in format 2 clean to the same pixels.
    @Test func firstFormatFilesCleanAsTheirFormatTwoCopies() throws {
        let original = syntheticImage(48, 40, seed: 31)
        let decoded = simulatedJPEG(original)
        let options = CleaningOptions(residual: false, chromaGuidance: .init(iterations: 1), prior: .init(iterations: 1),
                                      lumaSmoothing: .init(iterations: 1))
        var network = Model(layerSizes: [1728, 4, 192], seed: 9)
        network.metadata = LegacyMetadata.entries(for: options)
        let legacy = try CleaningModel(network: network)
        #expect(legacy.pipeline.names == ["prior", "network", "luma_smoothing", "projection", "guided_chroma"])
        network.metadata = Pipeline.replacingRecipe(in: network.metadata, with: legacy.pipeline)
        #expect(network.metadata[LegacyMetadata.Key.window] == nil)
        let current = try CleaningModel(network: network)
        #expect(current.clean(decoded) == legacy.clean(decoded))
        #expect(current.clean(decoded) != decoded.image)
    }

    @Test func overridesChangeThePipelineAsTheOptionsSay() throws {
        let decoded = simulatedJPEG(syntheticImage(48, 40, seed: 41))
        let guided = CleaningOptions(chromaGuidance: .init(iterations: 2), lumaSmoothing: .init(iterations: 1))
        var pipeline = Pipeline(options: guided)
        #expect(pipeline.names == ["network", "luma_smoothing", "projection", "guided_chroma"])
        // --chroma-guidance 0: the chroma is projected plainly, as a recipe without guidance.
        try pipeline.apply(overrides: ["chroma-guidance": "0"])
        var plain = guided
        plain.chromaGuidance = nil
        #expect(pipeline.names == ["network", "luma_smoothing", "projection"])
        #expect(pipeline.run(decoded, context: StageContext(predict: Self.zero)) == Cleaning.clean(decoded, options: plain, predict: Self.zero))
        // And back: --chroma-guidance 3 adds it after the projection, now of the luma only.
        try pipeline.apply(overrides: ["chroma-guidance": "3"])
        #expect(pipeline.stage(ProjectionStage.self)?.components == .luma)
        #expect(pipeline.stage(GuidedChromaStage.self)?.options.iterations == 3)
        // --projection none removes every DCT-domain stage, whatever else is given.
        try pipeline.apply(overrides: ["projection": "none", "luma-smoothing": "4"])
        #expect(pipeline.names == ["network"])
        // Bad values are sentences naming the option and the range.
        #expect(throws: StageOverrideError(message: "The value '101' is invalid for '--luma-smoothing': expected an integer in 0…100.")) {
            try pipeline.apply(overrides: ["luma-smoothing": "101"])
        }
        #expect(throws: StageOverrideError(message: "The value 'half' is invalid for '--chroma-fit': expected low or full.")) {
            try pipeline.apply(overrides: ["chroma-fit": "half"])
        }
        // Training-only overrides are ignored unless training.
        try pipeline.apply(overrides: ["prior": "2"])
        #expect(pipeline.stage(PriorStage.self) == nil)
        try pipeline.apply(overrides: ["prior": "2"], trainingOnly: true)
        #expect(pipeline.stage(PriorStage.self)?.options.iterations == 2)
    }

    /// Issue 14 item 10: finite but absurd models are refused, with a sentence.
    @Test func implausibleModelsAreRefused() throws {
        func model(_ change: (inout Model) -> Void) -> Model {
            var network = Model(layerSizes: [1728, 4, 192], seed: 5)
            network.metadata = CleaningModel.metadata(for: CleaningOptions(), quality: 85, subsampling: "4:2:0")
            change(&network)
            return network
        }
        _ = try CleaningModel(network: model { _ in })
        #expect(throws: CleaningModelError.self) {
            try CleaningModel(network: model { $0.parameters = $0.parameters.map { $0 * 1e30 } })
        }
        #expect(throws: CleaningModelError.self) {
            try CleaningModel(network: model { $0.inputNormalization = Normalization(kind: .global, mean: [0], standardDeviation: [Float.leastNonzeroMagnitude])! })
        }
        for (key, value) in [("unjpeg.network.window", "256"), ("unjpeg.network.stride", "1"), ("unjpeg.network.scale", "1e-45")] {
            #expect(throws: CleaningModelError.invalidMetadata(key: key, value: value)) {
                try CleaningModel(network: model { $0.metadata[key] = value })
            }
        }
        // The first format is held to the same ranges.
        var legacy = Model(layerSizes: [1728, 4, 192], seed: 5)
        legacy.metadata = LegacyMetadata.entries(for: CleaningOptions())
        legacy.metadata[LegacyMetadata.Key.stride] = "1"
        #expect(throws: CleaningModelError.invalidMetadata(key: LegacyMetadata.Key.stride, value: "1")) { try CleaningModel(network: legacy) }
    }

    /// The README's "How a JPEG is cleaned" names the registered stages, in order.
    @Test func theReadmeListsTheStagesInOrder() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "### How a JPEG is cleaned").dropFirst().first?
            .components(separatedBy: "\n#").first)
        // Stage lines look like "2. **Network** (`network`…): …".
        let names = section.split(separator: "\n").compactMap { line -> String? in
            guard let open = line.range(of: "(`"), let close = line.range(of: "`", range: open.upperBound..<line.endIndex),
                  line.first?.isNumber == true else { return nil }
            return String(line[open.upperBound..<close.lowerBound])
        }
        #expect(names == Pipeline.registry.map { $0.name })
    }
}

/// Issue 18 item 1: stages that use threads give the same result for any thread count.
@Suite struct ThreadInvarianceTests {
    /// 96×80 (large enough that every row-parallel loop, `RowBands.minimumWork`, is split),
    /// with a flat white and a flat gray rectangle for the flat-area and white-point stages.
    static let decoded: CleanerInput = {
        var image = syntheticImage(96, 80, seed: 51)
        for y in 8..<40 {
            for x in 8..<40 { for c in 0..<3 { image.pixels[(y * 96 + x) * 3 + c] = 255 } }
            for x in 56..<88 { for c in 0..<3 { image.pixels[(y * 96 + x) * 3 + c] = 120 } }
        }
        return simulatedJPEG(image)
    }()

    static func zero(_ windows: [Float], _ count: Int) -> [Float] { [Float](repeating: 0, count: count * 192) }

    /// Every stage: the prior, luma smoothing, the luma projection, guided chroma, flat areas,
    /// the white point, the palette with its check of the bins, and the conversions and
    /// rounding between them.
    @Test func threadedStagesAreBitIdentical() throws {
        let options = CleaningOptions(chromaGuidance: .init(iterations: 2), prior: .init(iterations: 2),
                                      lumaSmoothing: .init(iterations: 2))
        var pipeline = Pipeline(options: options)
        pipeline.insert(FlatAreaStage(radius: 4))
        pipeline.insert(WhitePointStage(besideTolerance: 8))
        pipeline.insert(PaletteStage(checksBins: true))
        pipeline.insert(GamutStage())
        let decoded = Self.decoded
        let one = pipeline.run(decoded, context: StageContext(predict: Self.zero, threads: 1))
        for threads in [2, 3, 8] {
            #expect(pipeline.run(decoded, context: StageContext(predict: Self.zero, threads: threads)) == one, "\(threads) threads")
        }
        #expect(one != decoded.image)
        // The flat areas and whites were reached: the white rectangle is pure white.
        #expect(one.pixels[(20 * 96 + 20) * 3] == 255)
    }

    /// A real network: each thread runs its share of a batch's windows (120 windows: parts of
    /// 60, 40 and 17–18, not whole kernel panels), with the same outputs as one thread.
    @Test func networkBatchesSplitAmongThreadsAreBitIdentical() throws {
        var network = Model(layerSizes: [1728, 24, 192], seed: 7)
        network.metadata = CleaningModel.metadata(for: CleaningOptions(), quality: 85, subsampling: "4:2:0")
        let model = try CleaningModel(network: network)
        let one = model.clean(Self.decoded, threads: 1)
        for threads in [2, 3, 8] {
            #expect(model.clean(Self.decoded, threads: threads) == one, "\(threads) threads")
        }
        #expect(one != Self.decoded.image)
    }

    /// The projection of every component (chroma through its subsampling), without guided chroma.
    @Test func fullProjectionIsBitIdentical() throws {
        let pipeline = Pipeline(options: CleaningOptions())
        #expect(pipeline.stage(ProjectionStage.self)?.components == .all)
        let noisy: ([Float], Int) -> [Float] = { _, n in (0..<(n * 192)).map { Float(($0 * 7919) % 13) - 6 } }
        let decoded = Self.decoded
        let one = pipeline.run(decoded, context: StageContext(predict: noisy, threads: 1))
        for threads in [2, 5] {
            #expect(pipeline.run(decoded, context: StageContext(predict: noisy, threads: threads)) == one, "\(threads) threads")
        }
    }

    /// The building blocks on their own: conversions, the projection's correction, window
    /// extraction (for the network stage) and the dilation, against one thread.
    @Test func rowParallelHelpersAreBitIdentical() {
        let image = Self.decoded.image
        let float = FloatImage(image, normalization: .centred)
        let planes = ColourConversion.ycbcrPlanes(of: image)
        let grid = WindowGeometry().grid(width: image.width, height: image.height)
        var mask = [Bool](repeating: false, count: 96 * 80)
        for i in stride(from: 0, to: mask.count, by: 37) { mask[i] = true }
        for threads in [2, 3, 7] {
            #expect(FloatImage(image, normalization: .centred, threads: threads) == float)
            #expect(float.rasterImage(normalization: .centred, threads: threads) == float.rasterImage(normalization: .centred))
            #expect(ColourConversion.ycbcrPlanes(of: image, threads: threads) == planes)
            #expect(ColourConversion.ycbcrPlanes(of: FloatImage(image), threads: threads) == planes)
            #expect(ColourConversion.rgbImage(y: planes[0], cb: planes[1], cr: planes[2], threads: threads)
                    == FloatImage(planes: { let t = ColourConversion.rgbPlanes(y: planes[0], cb: planes[1], cr: planes[2]); return [t.r, t.g, t.b] }()))
            #expect(ColourConversion.rasterImage(y: planes[0], cb: planes[1], cr: planes[2], threads: threads)
                    == ColourConversion.rasterImage(y: planes[0], cb: planes[1], cr: planes[2]))
            #expect(Windows.extract(from: float, grid: grid, windows: 3..<(grid.count - 2), threads: threads)
                    == Windows.extract(from: float, grid: grid, windows: 3..<(grid.count - 2)))
            #expect(BinaryMask.dilate(mask, width: 96, height: 80, radius: 3, threads: threads)
                    == BinaryMask.dilate(mask, width: 96, height: 80, radius: 3))
            let shifted = Plane(width: 96, height: 80, samples: planes[0].samples.map { $0 + 9 })
            #expect(DCTProjection.project(shifted, onto: Self.decoded.components[0], reference: planes[0], threads: threads)
                    == DCTProjection.project(shifted, onto: Self.decoded.components[0], reference: planes[0]))
        }
    }
}
