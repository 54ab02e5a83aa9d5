import JPEGCodec

/// The DCT-domain projection: every block's coefficients are clipped back into the file's
/// quantization bins, so the output is an image that could have produced this JPEG. Chroma is
/// projected through its subsampling (see ``DCTProjection``).
public struct ProjectionStage: CleaningStage, Equatable {
    public static let name = "projection"
    public static let summary = "Projection: every block's coefficients clipped back into the file's quantization bins, so the output could have produced this JPEG."

    /// Which components this stage projects.
    public enum Components: String, Sendable {
        /// The luma (component 0) only: the chroma is left to a later stage (guided chroma) or as estimated.
        case luma
        /// Every component.
        case all
    }

    public var components: Components
    /// Widen each bin to contain the plain decode's own coefficient, so an unchanged estimate
    /// comes back as the plain decode exactly.
    public var keepDecodeFeasible: Bool
    /// Bin slack in coefficient units (see ``DCTProjection``).
    public var slack: Float

    public init(components: Components, keepDecodeFeasible: Bool = true, slack: Float = 0) {
        self.components = components
        self.keepDecodeFeasible = keepDecodeFeasible
        self.slack = slack
    }

    /// Block-local: no context beyond the MCU grid.
    public var halo: Int { 0 }

    public func apply(to state: inout PipelineState, context: StageContext) {
        guard state.hasUsableCoefficients else { return }
        var planes = state.takePlanes()
        let factors = state.factors
        let count = components == .luma ? 1 : planes.count
        // The decode, to keep it feasible: the luma at full resolution, the chroma reduced.
        let luma = keepDecodeFeasible ? state.referenceLuma() : nil
        let low = keepDecodeFeasible && count > 1 ? state.lowReferences() : nil
        for i in 0..<count {
            guard let f = factors[i] else { continue }
            planes[i] = DCTProjection.project(planes[i].take(), onto: state.input.components[i], factorX: f.x, factorY: f.y,
                                              reference: i == 0 ? luma : nil, lowReference: i == 0 ? nil : low?[i] ?? nil,
                                              slack: slack, threads: context.threads)
        }
        state.setPlanes(planes)
    }

    static let key = "unjpeg.projection.components"

    public func metadata() -> [String: String] { [Self.key: components.rawValue] }

    public init(metadata: [String: String]) throws(CleaningModelError) {
        guard let text = metadata[Self.key], let components = Components(rawValue: text) else {
            throw .invalidMetadata(key: Self.key, value: metadata[Self.key])
        }
        self.init(components: components)
    }

    public static var overrides: [StageOverride] {
        [
            StageOverride(name: "projection", valueName: "mode",
                          help: "DCT-domain steps: none (no projection, smoothing or guided chroma), luma (the luma's projection and smoothing only) or all.",
                          order: 1) { pipeline, text throws(StageOverrideError) in
                let mode = try StageOverride.choice(text, "projection", ["none", "luma", "all"])
                switch mode {
                case "none":
                    pipeline.remove(ProjectionStage.self)
                    pipeline.remove(LumaSmoothingStage.self)
                    pipeline.remove(ChromaSmoothingStage.self)
                    pipeline.remove(GuidedChromaStage.self)
                case "luma":
                    pipeline.remove(ChromaSmoothingStage.self)
                    pipeline.remove(GuidedChromaStage.self)
                    pipeline.insert(ProjectionStage(components: .luma))
                default:
                    let guided = pipeline.stage(GuidedChromaStage.self) != nil
                    pipeline.insert(ProjectionStage(components: guided ? .luma : .all))
                }
            },
        ]
    }
}
