import JPEGCodec

/// Guided chroma: the subsampled Cb and Cr are rebuilt at full resolution as a local linear
/// function of the (cleaned) luma, `chroma ≈ a·luma + b`, fitted on the chroma's own grid, and
/// alternated with the chroma's projection onto its quantization bins (``GuidedChroma``).
/// When the chroma cannot be guided (not three components, or Cb and Cr sampled differently),
/// the chroma is only projected.
public struct GuidedChromaStage: CleaningStage, Equatable {
    public static let name = "guided_chroma"
    public static let summary = "Guided chroma: the 4:2:0 colour rebuilt at full resolution as a local linear function of the luma, fitted on the chroma's grid, alternated with the chroma's projection."

    public var options: GuidedChroma.Options
    /// Widen the bins to hold the plain decode (see ``ProjectionStage/keepDecodeFeasible``).
    public var keepDecodeFeasible: Bool
    /// Bin slack of the fallback projection (when the chroma cannot be guided).
    public var fallbackSlack: Float

    public init(options: GuidedChroma.Options, keepDecodeFeasible: Bool = true, fallbackSlack: Float = 0) {
        self.options = options
        self.keepDecodeFeasible = keepDecodeFeasible
        self.fallbackSlack = fallbackSlack
    }

    /// Each round: a guided filter of radius r at the chroma's resolution (2r + 2 pixels at
    /// full resolution for 4:2:0, with the upsampling) and a projection on 16-pixel MCUs.
    static func reach(of options: GuidedChroma.Options) -> Int {
        options.iterations * (2 * options.radius + 2 + 16)
    }

    public var halo: Int { Self.reach(of: options) }

    public func apply(to state: inout PipelineState, context: StageContext) {
        guard state.hasUsableCoefficients, state.channels == 3 else { return }
        var planes = state.takePlanes()
        let lowReference = keepDecodeFeasible ? state.lowReferences() : nil
        Self.refineChroma(&planes, input: state.input, factors: state.factors, lowReference: lowReference,
                          options: options, fallbackSlack: fallbackSlack, threads: context.threads)
        state.setPlanes(planes)
    }

    /// Refines `planes[1]`, `planes[2]` guided by `planes[0]`, or only projects them when they
    /// cannot be guided. `lowReference`: the decode's chroma reduced for the bins
    /// (``PipelineState/lowReferences()``), to keep it feasible.
    static func refineChroma(_ planes: inout [Plane], input: CleanerInput, factors: [(x: Int, y: Int)?],
                             lowReference: [Plane?]?, options: GuidedChroma.Options, fallbackSlack: Float,
                             threads: Int = 1) {
        let comps = input.components
        if let f1 = factors[1], let f2 = factors[2], f1 == f2 {
            let refined = GuidedChroma.refine(
                y: planes[0], cb: planes[1].take(), cr: planes[2].take(), cbCoefficients: comps[1], crCoefficients: comps[2],
                factorX: f1.x, factorY: f1.y, lowReference: Self.pair(lowReference), options: options,
                threads: threads)
            planes[1] = refined.cb
            planes[2] = refined.cr
            return
        }
        for i in 1...2 {
            guard let f = factors[i] else { continue }
            planes[i] = DCTProjection.project(planes[i].take(), onto: comps[i], factorX: f.x, factorY: f.y,
                                              lowReference: lowReference?[i] ?? nil, slack: fallbackSlack, threads: threads)
        }
    }

    /// The reduced Cb and Cr references as a pair, when there are both.
    static func pair(_ low: [Plane?]?) -> (cb: Plane, cr: Plane)? {
        guard let low, low.count == 3, let cb = low[1], let cr = low[2] else { return nil }
        return (cb, cr)
    }

    static let prefix = "unjpeg.guided_chroma."

    public func metadata() -> [String: String] {
        Self.entries(prefix: Self.prefix, options)
    }

    public init(metadata: [String: String]) throws(CleaningModelError) {
        self.init(options: try Self.options(prefix: Self.prefix, metadata: metadata))
    }

    /// The entries of guided-chroma `options` under `prefix`.
    static func entries(prefix: String, _ o: GuidedChroma.Options) -> [String: String] {
        [prefix + "iterations": String(o.iterations), prefix + "fit": o.lowResolutionFit ? "low" : "full",
         prefix + "radius": String(o.radius), prefix + "epsilon": String(o.epsilon),
         prefix + "confidence": String(o.confidence ?? 0)]
            .merging(o.slack < 0 ? [prefix + "bin_shrink": String(-o.slack)] : [:]) { a, _ in a }
            .merging(o.fallback.map { [prefix + "fallback": String($0)] } ?? [:]) { a, _ in a }
            .merging(o.agreement.map { [prefix + "agreement": String($0)] } ?? [:]) { a, _ in a }
    }

    /// Guided-chroma options read from the entries under `prefix`: every entry is required
    /// and must be plausible (rounds 1…100, radius 0…64, 0 < ε ≤ 10⁶, confidence 0…10⁶), except
    /// `bin_shrink` (0…64 coefficient units; absent in models before it: 0), `fallback`
    /// (0 < τ ≤ 10⁶, 8-bit scale squared; absent: none) and `agreement` (0 < σ ≤ 10⁶, 8-bit
    /// levels; absent: none).
    static func options(prefix: String, metadata meta: [String: String]) throws(CleaningModelError) -> GuidedChroma.Options {
        func value(_ key: String) throws(CleaningModelError) -> String {
            guard let text = meta[prefix + key] else { throw .invalidMetadata(key: prefix + key, value: nil) }
            return text
        }
        let roundsText = try value("iterations"), fit = try value("fit")
        guard let rounds = Int(roundsText), (1...100).contains(rounds) else { throw .invalidMetadata(key: prefix + "iterations", value: roundsText) }
        guard fit == "low" || fit == "full" else { throw .invalidMetadata(key: prefix + "fit", value: fit) }
        let radiusText = try value("radius"), epsilonText = try value("epsilon"), confidenceText = try value("confidence")
        guard let radius = Int(radiusText), (0...64).contains(radius) else { throw .invalidMetadata(key: prefix + "radius", value: radiusText) }
        guard let epsilon = Float(epsilonText), epsilon.isFinite, epsilon > 0, epsilon <= 1_000_000 else {
            throw .invalidMetadata(key: prefix + "epsilon", value: epsilonText)
        }
        guard let confidence = Float(confidenceText), confidence.isFinite, confidence >= 0, confidence <= 1_000_000 else {
            throw .invalidMetadata(key: prefix + "confidence", value: confidenceText)
        }
        /// An optional entry: nil when absent, else a number in `range`.
        func optional(_ key: String, _ range: ClosedRange<Float>) throws(CleaningModelError) -> Float? {
            guard let text = meta[prefix + key] else { return nil }
            guard let v = Float(text), v.isFinite, range.contains(v) else { throw .invalidMetadata(key: prefix + key, value: text) }
            return v
        }
        let shrink = try optional("bin_shrink", 0...64) ?? 0
        // τ and σ are positive (none is an absent entry).
        let fallback = try optional("fallback", Float.leastNonzeroMagnitude...1_000_000)
        let agreement = try optional("agreement", Float.leastNonzeroMagnitude...1_000_000)
        return GuidedChroma.Options(radius: radius, epsilon: epsilon, iterations: rounds, slack: -shrink,
                                    lowResolutionFit: fit == "low", confidence: confidence > 0 ? confidence : nil,
                                    fallback: fallback, agreement: agreement)
    }

    /// An override that sets a guided-chroma weight of `S`'s options (`confidence`,
    /// `fallback`): a number 0…10⁶, 0 for none; a pipeline without the stage is left alone.
    static func optionalWeight<S: CleaningStage>(_ name: String, valueName: String, of _: S.Type,
                                                 _ options: WritableKeyPath<S, GuidedChroma.Options> & Sendable,
                                                 _ field: WritableKeyPath<GuidedChroma.Options, Float?> & Sendable,
                                                 help: String, trainingOnly: Bool = false) -> StageOverride {
        StageOverride(name: name, valueName: valueName, help: help, trainingOnly: trainingOnly) { pipeline, text throws(StageOverrideError) in
            let value = try StageOverride.number(text, name, in: 0...1_000_000)
            guard var stage = pipeline.stage(S.self) else { return }
            stage[keyPath: options][keyPath: field] = value > 0 ? value : nil
            pipeline.insert(stage)
        }
    }

    public static var overrides: [StageOverride] {
        [
            StageOverride(name: "chroma-guidance", valueName: "n",
                          help: "Rounds of luma-guided chroma refinement after the network, 0 for none (0…100).") { pipeline, text throws(StageOverrideError) in
                let rounds = try StageOverride.integer(text, "chroma-guidance", in: 0...100)
                if rounds == 0 {
                    if pipeline.remove(GuidedChromaStage.self), var projection = pipeline.stage(ProjectionStage.self) {
                        projection.components = .all   // the chroma is then projected plainly
                        pipeline.insert(projection)
                    }
                    return
                }
                if var stage = pipeline.stage(GuidedChromaStage.self) {
                    stage.options.iterations = rounds
                    pipeline.insert(stage)
                    return
                }
                // Guidance needs the chroma's projection to be its own: only with a full projection.
                guard var projection = pipeline.stage(ProjectionStage.self), projection.components == .all else { return }
                var options = pipeline.stage(PriorStage.self)?.options ?? GuidedChroma.Options()
                options.iterations = rounds
                projection.components = .luma
                pipeline.insert(projection)
                pipeline.insert(GuidedChromaStage(options: options))
            },
            StageOverride(name: "chroma-shrink", valueName: "s",
                          help: "Narrow the chroma's quantization bins by s coefficient units on each side in the guided chroma's projection (a prior towards the bin centres), 0 for exact bins (0…64).") { pipeline, text throws(StageOverrideError) in
                let s = try StageOverride.number(text, "chroma-shrink", in: 0...64)
                guard var stage = pipeline.stage(GuidedChromaStage.self) else { return }
                stage.options.slack = -s
                pipeline.insert(stage)
            },
            optionalWeight("chroma-fallback", valueName: "t", of: GuidedChromaStage.self, \.options, \.fallback,
                           help: "Let the guided chroma fall back toward the network's colour where its linear model fits badly: a sample keeps t / (t + the fit's residual variance) of the guided colour, 0 for never (0…10⁶, 8-bit levels squared)."),
            optionalWeight("chroma-agreement", valueName: "s", of: GuidedChromaStage.self, \.options, \.agreement,
                           help: "Upsample the guided chroma's model edge-aware: a neighbouring sample's model counts less the further its colour at the pixel's luma lies from the pixel's own model's, by 1 / (1 + (difference / s)²); 0 for the plain triangle filter (0…10⁶, 8-bit levels)."),
            StageOverride(name: "chroma-fit", valueName: "where",
                          help: "Where the guided chroma fits its model: low (chroma resolution) or full.") { pipeline, text throws(StageOverrideError) in
                let fit = try StageOverride.choice(text, "chroma-fit", ["low", "full"])
                guard var stage = pipeline.stage(GuidedChromaStage.self) else { return }
                if (fit == "low") != stage.options.lowResolutionFit {
                    let rounds = stage.options.iterations
                    stage.options = fit == "low" ? GuidedChroma.Options(iterations: rounds)
                                                 : GuidedChroma.fullResolutionOptions(iterations: rounds)
                }
                pipeline.insert(stage)
            },
        ]
    }
}
