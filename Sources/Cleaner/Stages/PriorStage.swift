import JPEGCodec

/// The guided-chroma prior: before the network, Cb and Cr are refined by rounds of
/// ``GuidedChroma`` guided by the plain luma (which stays as decoded), and the result is rounded
/// to 8 bits — the input the network was trained on. A model must be applied with the prior it
/// was trained on, so the prior's options are set by `unjpeg train` only. Images without
/// usable colour coefficients (gray, Adobe RGB, damaged files) pass through unchanged.
public struct PriorStage: CleaningStage, Equatable {
    public static let name = "prior"
    public static let summary = "Guided-chroma prior: the decode's colour refined from its luma and rounded to 8 bits, the input the network was trained on (set by training only)."

    /// The guided chroma's options (rounds, radius, fit, confidence).
    public var options: GuidedChroma.Options

    public init(options: GuidedChroma.Options) { self.options = options }

    public var halo: Int { GuidedChromaStage.reach(of: options) }

    public func apply(to state: inout PipelineState, context: StageContext) {
        let input = state.input
        guard input.image.channels == 3, input.components.count == 3 else { return }
        // The plain luma is a fixed point of its own projection (its bins are widened to hold
        // it), so only the chroma is worked on.
        // While the estimate is the plain decode, its planes are the reference's.
        var planes = state.reference()
        GuidedChromaStage.refineChroma(&planes, input: input, factors: state.factors, lowReference: state.lowReferences(),
                                       options: options, fallbackSlack: 0, threads: context.threads)
        state.setPixels(ColourConversion.rasterImage(y: planes[0], cb: planes[1], cr: planes[2], threads: context.threads))
    }

    static let prefix = "unjpeg.prior."

    public func metadata() -> [String: String] {
        GuidedChromaStage.entries(prefix: Self.prefix, options)
    }

    public init(metadata: [String: String]) throws(CleaningModelError) {
        options = try GuidedChromaStage.options(prefix: Self.prefix, metadata: metadata)
    }

    public static var overrides: [StageOverride] {
        [
            StageOverride(name: "prior", valueName: "n",
                          help: "Rounds of luma-guided chroma the network's input gets first, 0 for the plain decode (0…100).",
                          trainingOnly: true) { pipeline, text throws(StageOverrideError) in
                let rounds = try StageOverride.integer(text, "prior", in: 0...100)
                if rounds == 0 { pipeline.remove(PriorStage.self); return }
                var stage = pipeline.stage(PriorStage.self) ?? PriorStage(options: GuidedChroma.Options())
                stage.options.iterations = rounds
                pipeline.insert(stage)
            },
            StageOverride(name: "prior-radius", valueName: "r",
                          help: "Window radius of the prior's guided chroma, in chroma samples (0…64).",
                          trainingOnly: true) { pipeline, text throws(StageOverrideError) in
                let radius = try StageOverride.integer(text, "prior-radius", in: 0...64)
                guard var stage = pipeline.stage(PriorStage.self) else { return }
                stage.options.radius = radius
                pipeline.insert(stage)
            },
            GuidedChromaStage.optionalWeight("prior-confidence", valueName: "c", of: PriorStage.self, \.options, \.confidence,
                                             help: "Confidence weighting of the prior's guided chroma, 0 for none (0…10⁶).",
                                             trainingOnly: true),
            GuidedChromaStage.optionalWeight("prior-fallback", valueName: "t", of: PriorStage.self, \.options, \.fallback,
                                             help: "Let the prior's guided chroma fall back toward the decode's colour where its linear model fits badly (as --chroma-fallback), 0 for never (0…10⁶).",
                                             trainingOnly: true),
            GuidedChromaStage.optionalWeight("prior-agreement", valueName: "s", of: PriorStage.self, \.options, \.agreement,
                                             help: "Upsample the prior's guided-chroma model edge-aware (as --chroma-agreement), 0 for the plain triangle filter (0…10⁶).",
                                             trainingOnly: true),
        ]
    }
}
