import JPEGCodec

/// Luma smoothing inside the quantization bins (``QuantSmooth``, after jpeg-quantsmooth): each
/// luma DCT coefficient is moved, inside the interval the file proves it lies in, to the value
/// that best flattens the small pixel differences it controls (differences above `threshold`
/// quantization steps count as real edges). Only for a luma at full resolution with coefficients.
public struct LumaSmoothingStage: CleaningStage, Equatable {
    public static let name = "luma_smoothing"
    public static let summary = "Luma smoothing: each luma DCT coefficient moved, inside the interval the file proves it lies in, to the value that best flattens the small differences it controls."

    public var options: QuantSmooth.Options

    public init(options: QuantSmooth.Options) { self.options = options }

    /// Each round reads the neighbouring blocks: 8 pixels and the block alignment.
    public var halo: Int { options.iterations * 8 }

    public func apply(to state: inout PipelineState, context: StageContext) {
        guard state.hasFullResolutionLuma else { return }
        var planes = state.takePlanes()
        planes[0] = QuantSmooth.smooth(planes[0], coefficients: state.input.components[0], options: options,
                                       threads: context.threads)
        state.setPlanes(planes)
    }

    static let prefix = "unjpeg.luma_smoothing."

    public func metadata() -> [String: String] { options.metadata(prefix: Self.prefix) }

    /// Rounds 1…100, threshold 0 < t ≤ 64 quantization steps, decay 0 < d ≤ 1.
    public init(metadata meta: [String: String]) throws(CleaningModelError) {
        options = try QuantSmooth.Options(metadata: meta, prefix: Self.prefix)
    }

    public static var overrides: [StageOverride] {
        [
            StageOverride(name: "luma-smoothing", valueName: "n",
                          help: "Rounds of DCT-domain luma smoothing inside the quantization bins, 0 for none (0…100).") { pipeline, text throws(StageOverrideError) in
                let rounds = try StageOverride.integer(text, "luma-smoothing", in: 0...100)
                if rounds == 0 { pipeline.remove(LumaSmoothingStage.self); return }
                var stage = pipeline.stage(LumaSmoothingStage.self) ?? LumaSmoothingStage(options: QuantSmooth.Options())
                stage.options.iterations = rounds
                pipeline.insert(stage)
            },
            StageOverride(name: "luma-threshold", valueName: "t",
                          help: "Pixel differences above t quantization steps count as edges in the luma smoothing (above 0, at most 64).") { pipeline, text throws(StageOverrideError) in
                let threshold = try StageOverride.number(text, "luma-threshold", in: 0...64, lowerOpen: true)
                guard var stage = pipeline.stage(LumaSmoothingStage.self) else { return }
                stage.options.threshold = threshold
                pipeline.insert(stage)
            },
        ]
    }
}

extension QuantSmooth.Options {
    /// The options' entries in a model file, under `prefix` (the stage's): rounds, threshold,
    /// threshold decay.
    func metadata(prefix p: String) -> [String: String] {
        [p + "iterations": String(iterations), p + "threshold": String(threshold), p + "threshold_decay": String(thresholdDecay)]
    }

    /// Reads the entries ``metadata(prefix:)`` writes: rounds 1…100, threshold 0 < t ≤ 64
    /// quantization steps, decay 0 < d ≤ 1; an entry missing or outside its range is refused,
    /// naming it.
    init(metadata meta: [String: String], prefix p: String) throws(CleaningModelError) {
        guard let roundsText = meta[p + "iterations"], let rounds = Int(roundsText), (1...100).contains(rounds) else {
            throw .invalidMetadata(key: p + "iterations", value: meta[p + "iterations"])
        }
        guard let tText = meta[p + "threshold"], let t = Float(tText), t.isFinite, t > 0, t <= 64 else {
            throw .invalidMetadata(key: p + "threshold", value: meta[p + "threshold"])
        }
        guard let dText = meta[p + "threshold_decay"], let d = Float(dText), d.isFinite, d > 0, d <= 1 else {
            throw .invalidMetadata(key: p + "threshold_decay", value: meta[p + "threshold_decay"])
        }
        self.init(iterations: rounds, threshold: t, thresholdDecay: d)
    }
}
