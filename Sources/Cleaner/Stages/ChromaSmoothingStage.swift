import JPEGCodec

/// Chroma smoothing inside the quantization bins: ``QuantSmooth`` on each chroma component at
/// its own resolution, as the luma smoothing does for the luma (jpeg-quantsmooth smooths every
/// component so).
///
/// The estimate's Cb and Cr are box-averaged through the subsampling onto the component's
/// grid, smoothed inside the file's bins there, and the change is added back at full
/// resolution (each sample's change replicated over the pixels it covers), so the detail
/// within a sample that the earlier stages rebuilt from the luma stays. The guided chroma
/// after it starts from the smoothed colour.
///
/// Why: at the chroma's resolution a flat colour area of a screenshot is an area of exactly
/// flat samples in the original; fitting chroma to luma (the guided chroma) leaves its
/// ringing where the luma is flat too, while smoothing inside the bins removes it (at q95 on
/// `$DATA/valid`'s screenshots the chroma error on the chroma's grid was 2–6× jpeg-quantsmooth's).
public struct ChromaSmoothingStage: CleaningStage, Equatable {
    public static let name = "chroma_smoothing"
    public static let summary = "Chroma smoothing: Cb and Cr smoothed inside their quantization bins on their own grid, the change added back at full resolution."

    public var options: QuantSmooth.Options

    /// The default, one round with edges at half a quantization step, is the best measured
    /// (`Notes/experiments.md`, fifth round): the luma's threshold of 2 steps flattens real
    /// colour edges at q50–75, where chroma steps are coarse.
    public init(options: QuantSmooth.Options = QuantSmooth.Options(iterations: 1, threshold: 0.5)) { self.options = options }

    /// Each round reads the neighbouring blocks of the chroma's grid: 8 samples, twice that
    /// in pixels for subsampled chroma.
    public var halo: Int { options.iterations * 16 }

    public func apply(to state: inout PipelineState, context: StageContext) {
        guard state.hasUsableCoefficients, state.channels == 3 else { return }
        let factors = state.factors
        var planes = state.takePlanes()
        for i in 1..<3 {
            guard let f = factors[i] else { continue }
            let low = Resampling.boxDownsample(planes[i], factorX: f.x, factorY: f.y, threads: context.threads)
            var smoothed = QuantSmooth.smooth(low, coefficients: state.input.components[i], options: options,
                                              threads: context.threads)
            smoothed.add(low, times: -1, threads: context.threads)
            Resampling.addReplicated(smoothed, factorX: f.x, factorY: f.y, to: &planes[i], threads: context.threads)
        }
        state.setPlanes(planes)
    }

    static let prefix = "unjpeg.chroma_smoothing."

    public func metadata() -> [String: String] { options.metadata(prefix: Self.prefix) }

    /// Rounds 1…100, threshold 0 < t ≤ 64 quantization steps, decay 0 < d ≤ 1.
    public init(metadata meta: [String: String]) throws(CleaningModelError) {
        options = try QuantSmooth.Options(metadata: meta, prefix: Self.prefix)
    }

    public static var overrides: [StageOverride] {
        [StageOverride(name: "chroma-smoothing", valueName: "n",
                       help: "Rounds of DCT-domain chroma smoothing inside the quantization bins on the chroma's own grid, 0 for none (0…100).") { pipeline, text throws(StageOverrideError) in
            let n = try StageOverride.integer(text, "chroma-smoothing", in: 0...100)
            guard n > 0 else { pipeline.remove(ChromaSmoothingStage.self); return }
            var stage = pipeline.stage(ChromaSmoothingStage.self) ?? ChromaSmoothingStage()
            stage.options.iterations = n
            pipeline.insert(stage)
        },
         StageOverride(name: "chroma-threshold", valueName: "t",
                       help: "Differences above t quantization steps count as edges in the chroma smoothing (above 0, at most 64).") { pipeline, text throws(StageOverrideError) in
            let t = try StageOverride.number(text, "chroma-threshold", in: 0...64, lowerOpen: true)
            guard var stage = pipeline.stage(ChromaSmoothingStage.self) else { return }
            stage.options.threshold = t
            pipeline.insert(stage)
        }]
    }
}
