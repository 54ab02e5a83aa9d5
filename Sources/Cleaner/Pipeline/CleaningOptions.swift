import JPEGCodec

/// Which components the projection is applied to.
public enum ProjectionMode: Equatable, Sendable {
    /// No projection.
    case none
    /// Luma (component 0) only.
    case luma
    /// Every component, chroma through its subsampling.
    case all
}

/// How a model is applied to an image.
public struct CleaningOptions: Equatable, Sendable {
    /// Window shape and grid; must match the model (24/8/8 by default).
    public var geometry: WindowGeometry
    /// What the model returns per window.
    public var output: WindowOutput
    /// Per-position weights for averaging overlapping outputs (output size², positive),
    /// or nil for a plain mean.
    public var weights: [Float]?
    /// The scale of model inputs and outputs (must match training).
    public var normalization: SampleNormalization
    /// True when the model outputs the residual `(clean − degraded) · scale`; false when it
    /// outputs `normalize(clean)`.
    public var residual: Bool
    /// Windows per call of the predictor (``NetworkStage/defaultBatchSize`` unless set).
    public var batchSize: Int
    /// Which components are projected onto their quantization bins.
    public var projection: ProjectionMode
    /// Widen each bin to contain the plain decode's own coefficient (see
    /// ``DCTProjection/project(_:onto:factorX:factorY:reference:slack:)``), so an unchanged
    /// prediction comes back as the plain decode exactly.
    public var keepDecodeFeasible: Bool
    /// When set (and the image is YCbCr with `projection == .all`), the chroma is refined
    /// by ``GuidedChroma`` (guided by the projected luma) instead of only being projected.
    /// An unchanged prediction then no longer comes back as the plain decode.
    public var chromaGuidance: GuidedChroma.Options?
    /// Bin slack for the projection, in coefficient units (see
    /// ``DCTProjection/project(_:onto:factorX:factorY:reference:slack:)``).
    public var binSlack: Float
    /// When set, the network does not see the plain decode but a classical prior: the plain
    /// decode with its chroma refined by ``GuidedChroma`` (guided by the plain luma), rounded to
    /// 8 bits (``Cleaning/prior(_:chromaGuidance:)``). The network then learns what the prior
    /// leaves; a model must be applied with the prior it was trained on.
    public var prior: GuidedChroma.Options?
    /// When set, the luma (component 0, at full resolution with coefficients) is first smoothed
    /// inside its quantization bins by ``QuantSmooth`` before its projection, and the guided
    /// chroma is then guided by the smoothed luma. Only with a projection (not `.none`).
    public var lumaSmoothing: QuantSmooth.Options?

    /// Options; the defaults are the Burger et al. recipe with a residual output.
    public init(geometry: WindowGeometry = WindowGeometry(), output: WindowOutput = .centralBlock,
                weights: [Float]? = nil, normalization: SampleNormalization = .centred,
                residual: Bool = true, batchSize: Int = NetworkStage.defaultBatchSize,
                projection: ProjectionMode = .all,
                keepDecodeFeasible: Bool = true, chromaGuidance: GuidedChroma.Options? = nil,
                binSlack: Float = 0, prior: GuidedChroma.Options? = nil,
                lumaSmoothing: QuantSmooth.Options? = nil) {
        precondition(batchSize >= 1, "batchSize must be ≥ 1")
        self.geometry = geometry
        self.output = output
        self.weights = weights
        self.normalization = normalization
        self.residual = residual
        self.batchSize = batchSize
        self.projection = projection
        self.keepDecodeFeasible = keepDecodeFeasible
        self.chromaGuidance = chromaGuidance
        self.binSlack = binSlack
        self.prior = prior
        self.lumaSmoothing = lumaSmoothing
    }
}

/// The standard recipe (``CleaningOptions``) run through a ``Pipeline``, for callers that
/// bring their own window model (tests, experiments): one implementation of every step.
public enum Cleaning {
    /// Cleans a decoded JPEG with `predict`: the pipeline of `options` with `predict` as the
    /// network.
    ///
    /// - Parameters:
    ///   - decoded: the plain decode and (optionally) the file's coefficients.
    ///   - options: window shape, scales, projection, the classical stages.
    ///   - predict: the model. It receives `count` windows one after another
    ///     (`windowSize² · channels` floats each, HWC, `normalize(decode)`) and returns
    ///     `count` outputs (`outputSize² · channels` floats each, HWC), in the scale
    ///     `options.residual` says.
    /// - Returns: the cleaned image, same size and channels as `decoded.image`.
    public static func clean(_ decoded: CleanerInput, options: CleaningOptions = .init(),
                             predict: @escaping ([Float], Int) -> [Float]) -> RasterImage {
        Pipeline(options: options).run(decoded, context: StageContext(predict: predict))
    }

    /// The stages of `options` without a network (as if it returned its input unchanged).
    public static func classical(_ decoded: CleanerInput, options: CleaningOptions) -> RasterImage {
        Pipeline(options: options).run(decoded)
    }

    /// The classical prior a model with ``CleaningOptions/prior`` sees instead of the plain
    /// decode (``PriorStage``).
    public static func prior(_ decoded: CleanerInput, chromaGuidance: GuidedChroma.Options) -> RasterImage {
        Pipeline([PriorStage(options: chromaGuidance)]).run(decoded)
    }

    /// The model's averaged prediction of the clean image on the 8-bit scale, unrounded but
    /// clipped to 0…255 (``NetworkStage/predictImage(_:predict:)``).
    public static func predictImage(_ image: RasterImage, options: CleaningOptions,
                                    predict: ([Float], Int) -> [Float]) -> FloatImage {
        NetworkStage(geometry: options.geometry, output: options.output, normalization: options.normalization,
                     residual: options.residual, weights: options.weights, batchSize: options.batchSize)
            .predictImage(image, predict: predict)
    }

    /// Projects an 8-bit-scale prediction onto the quantization bins of `decoded.components`
    /// with the DCT-domain stages of the standard recipe (luma smoothing, projection, guided
    /// chroma) and returns it rounded and clamped to 8 bits.
    public static func project(_ prediction: FloatImage, decoded: CleanerInput,
                               mode: ProjectionMode, keepDecodeFeasible: Bool = true,
                               chromaGuidance: GuidedChroma.Options? = nil,
                               slack: Float = 0, lumaSmoothing: QuantSmooth.Options? = nil) -> RasterImage {
        var options = CleaningOptions(projection: mode, keepDecodeFeasible: keepDecodeFeasible,
                                      chromaGuidance: chromaGuidance, binSlack: slack, lumaSmoothing: lumaSmoothing)
        options.prior = nil
        var pipeline = Pipeline(options: options)
        pipeline.remove(NetworkStage.self)
        var state = PipelineState(decoded)
        state.setPixels(prediction)
        for stage in pipeline.stages { stage.apply(to: &state, context: StageContext()) }
        return state.rasterImage()
    }
}
