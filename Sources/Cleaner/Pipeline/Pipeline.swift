import JPEGCodec

/// The cleaning recipe: an ordered list of stages run on a ``PipelineState``.
///
/// A model file holds its network and the pipeline it is meant to be applied with
/// (``metadata()``; read back by ``init(metadata:)``), so `clean`, `eval`, `--no-network`,
/// gray images and the training prior all run the same code. Stages keep the canonical order
/// of ``registry``; ``insert(_:)`` puts a stage at its place (or replaces one of its type).
public struct Pipeline: Sendable {
    /// Every stage type, in the canonical order a pipeline runs them. Adding a stage is one
    /// new file in `Stages/` and one line here.
    public static let registry: [any CleaningStage.Type] = [
        PriorStage.self,
        NetworkStage.self,
        LumaSmoothingStage.self,
        ProjectionStage.self,
        ChromaSmoothingStage.self,
        GuidedChromaStage.self,
        FlatAreaStage.self,
        WhitePointStage.self,
        PaletteStage.self,
        GamutStage.self,
    ]

    /// The stages, in registry order, at most one of each type.
    public private(set) var stages: [any CleaningStage]

    /// A pipeline of `stages` (sorted into registry order; a later stage of a type replaces an earlier one).
    public init(_ stages: [any CleaningStage] = []) {
        self.stages = []
        for stage in stages { insert(stage) }
    }

    /// The position of a stage type in ``registry``, times two.
    static func rank(_ type: any CleaningStage.Type) -> Int {
        2 * (registry.firstIndex { $0.name == type.name } ?? registry.count)
    }

    /// The position of a stage in the pipeline's order: its type's, except a late network,
    /// which runs just after the guided chroma (``NetworkStage/Placement``).
    static func rank(of stage: any CleaningStage) -> Int {
        if let network = stage as? NetworkStage, network.placement == .late { return rank(GuidedChromaStage.self) + 1 }
        return rank(Swift.type(of: stage))
    }

    /// The stage of type `type`, if the pipeline has one.
    public func stage<S: CleaningStage>(_ type: S.Type) -> S? {
        stages.lazy.compactMap { $0 as? S }.first
    }

    /// Puts `stage` at its place in the canonical order, replacing a stage of its type.
    public mutating func insert(_ stage: any CleaningStage) {
        let type = Swift.type(of: stage)
        stages.removeAll { Swift.type(of: $0).name == type.name }
        let rank = Self.rank(of: stage)
        let index = stages.firstIndex { Self.rank(of: $0) > rank } ?? stages.count
        stages.insert(stage, at: index)
    }

    /// Removes the stage of type `type`; whether there was one.
    @discardableResult
    public mutating func remove<S: CleaningStage>(_ type: S.Type) -> Bool {
        guard let index = stages.firstIndex(where: { $0 is S }) else { return false }
        stages.remove(at: index)
        return true
    }

    /// The names of the stages, in order.
    public var names: [String] { stages.map { Swift.type(of: $0).name } }

    /// The largest halo of any stage (pixels of context a band needs; see ``CleaningStage/halo``).
    public var halo: Int { stages.map(\.halo).max() ?? 0 }

    /// Runs every stage on `input` and returns the estimate rounded to 8 bits.
    public func run(_ input: CleanerInput, context: StageContext = StageContext()) -> RasterImage {
        var state = PipelineState(input, threads: context.threads)
        guard let onStage = context.onStage else {
            for stage in stages { stage.apply(to: &state, context: context) }
            return state.rasterImage()
        }
        let clock = ContinuousClock()
        for stage in stages {
            let start = clock.now
            stage.apply(to: &state, context: context)
            onStage(Swift.type(of: stage).name, clock.now - start)
        }
        let start = clock.now
        let image = state.rasterImage()
        onStage("rounding", clock.now - start)
        return image
    }

    /// Runs the stages before the network (the prior; for a late network, also the classical
    /// stages up to the guided chroma) and returns what the network sees: the estimate rounded
    /// to 8 bits.
    public func networkInput(_ input: CleanerInput) -> RasterImage {
        var state = PipelineState(input)
        for stage in stages {
            if stage is NetworkStage { break }
            stage.apply(to: &state, context: StageContext())
        }
        return state.rasterImage()
    }

    // MARK: Model files

    /// The metadata key holding the stage names, in order (comma-separated).
    public static let stagesKey = "unjpeg.pipeline"
    /// The metadata key of the recipe format: "2" since the pipeline of stages (absent: the
    /// first format, loose keys read by ``LegacyMetadata``).
    public static let versionKey = "unjpeg.pipeline.version"

    /// The entries that describe this pipeline in a model file.
    public func metadata() -> [String: String] {
        var entries = [Self.versionKey: "2", Self.stagesKey: names.joined(separator: ",")]
        for stage in stages { entries.merge(stage.metadata()) { _, new in new } }
        return entries
    }

    /// `metadata` with its recipe (format 2 entries, or the first format's keys) replaced by
    /// `pipeline`'s; what the model was trained for and on (`unjpeg.jpeg.*`,
    /// `unjpeg.training.*`) and foreign keys stay.
    public static func replacingRecipe(in metadata: [String: String], with pipeline: Pipeline) -> [String: String] {
        let kept = metadata.filter { key, _ in
            !key.hasPrefix("unjpeg.") || key.hasPrefix("unjpeg.jpeg.") || key.hasPrefix("unjpeg.training.")
        }
        return kept.merging(pipeline.metadata()) { _, new in new }
    }

    /// Reads a pipeline from a model file's metadata: the list of stages (format 2), or the
    /// first format's loose keys (files made before the stages existed), which give exactly
    /// the pipeline they were applied with then.
    public init(metadata: [String: String]) throws(CleaningModelError) {
        guard let version = metadata[Self.versionKey] else {
            self.init(options: try LegacyMetadata.options(from: metadata))
            return
        }
        guard version == "2" else { throw .unsupportedPipelineVersion(version) }
        guard let list = metadata[Self.stagesKey] else { throw .invalidMetadata(key: Self.stagesKey, value: nil) }
        var stages: [any CleaningStage] = []
        for name in list.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard let type = Self.registry.first(where: { $0.name == name }), !stages.contains(where: { Swift.type(of: $0).name == name }) else {
                throw .invalidMetadata(key: Self.stagesKey, value: list)
            }
            stages.append(try type.init(metadata: metadata))
        }
        guard stages.map(Self.rank(of:)) == stages.map(Self.rank(of:)).sorted() else {
            throw .invalidMetadata(key: Self.stagesKey, value: list)
        }
        self.init(stages)
    }

    /// The standard recipe described by `options`: the prior (if any), the network, then —
    /// unless the projection is `.none` — luma smoothing (if any), the projection, and the
    /// guided chroma (if any, and only with a full projection: it projects the chroma itself).
    public init(options: CleaningOptions) {
        var stages: [any CleaningStage] = []
        if let prior = options.prior { stages.append(PriorStage(options: prior)) }
        stages.append(NetworkStage(geometry: options.geometry, output: options.output, normalization: options.normalization,
                                   residual: options.residual, weights: options.weights, batchSize: options.batchSize))
        if options.projection != .none {
            if let smoothing = options.lumaSmoothing { stages.append(LumaSmoothingStage(options: smoothing)) }
            let guided = options.chromaGuidance != nil && options.projection == .all
            stages.append(ProjectionStage(components: guided || options.projection == .luma ? .luma : .all,
                                          keepDecodeFeasible: options.keepDecodeFeasible, slack: options.binSlack))
            if guided, let guidance = options.chromaGuidance {
                stages.append(GuidedChromaStage(options: guidance, keepDecodeFeasible: options.keepDecodeFeasible,
                                                fallbackSlack: options.binSlack))
            }
        }
        self.init(stages)
    }

    // MARK: Overrides

    /// Every stage's command-line overrides, in the order they are applied.
    public static var overrides: [StageOverride] {
        registry.flatMap { $0.overrides }.enumerated()
            .sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
    }

    /// Applies the overrides given in `values` (option name → value), in their order.
    public mutating func apply(overrides values: [String: String], trainingOnly: Bool = false) throws(StageOverrideError) {
        for override in Self.overrides where trainingOnly || !override.trainingOnly {
            if let value = values[override.name] { try override.apply(&self, value) }
        }
    }
}
