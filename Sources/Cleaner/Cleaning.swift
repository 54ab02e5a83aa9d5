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
    /// Windows per call of the predictor.
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
                residual: Bool = true, batchSize: Int = 256, projection: ProjectionMode = .all,
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

/// The cleaning pipeline around any window model: decode → windows → model in batches →
/// overlap averaging → DCT-domain projection per component → 8-bit image.
public enum Cleaning {
    /// Cleans a decoded JPEG with `predict`.
    ///
    /// - Parameters:
    ///   - decoded: the plain decode and (optionally) the file's coefficients.
    ///   - options: window shape, scales, projection.
    ///   - predict: the model. It receives `count` windows one after another
    ///     (`windowSize² · channels` floats each, HWC, `normalize(decode)`) and returns
    ///     `count` outputs (`outputSize² · channels` floats each, HWC), in the scale
    ///     `options.residual` says.
    /// - Returns: the cleaned image, same size and channels as `decoded.image`.
    public static func clean(_ decoded: CleanerInput, options: CleaningOptions = .init(),
                             predict: ([Float], Int) throws -> [Float]) rethrows -> RasterImage {
        let base = networkInput(decoded, options: options)
        let prediction = try predictImage(base, options: options, predict: predict)
        return project(prediction, decoded: decoded, mode: options.projection,
                       keepDecodeFeasible: options.keepDecodeFeasible,
                       chromaGuidance: options.chromaGuidance, slack: options.binSlack,
                       lumaSmoothing: options.lumaSmoothing)
    }

    /// The classical steps of ``clean(_:options:predict:)`` without a network: the prior (if
    /// any), then the luma smoothing, projection and guided chroma of `options`, as if the network had
    /// returned its input unchanged.
    public static func classical(_ decoded: CleanerInput, options: CleaningOptions) -> RasterImage {
        let base = networkInput(decoded, options: options)
        return project(FloatImage(base, normalization: .identity), decoded: decoded, mode: options.projection,
                       keepDecodeFeasible: options.keepDecodeFeasible,
                       chromaGuidance: options.chromaGuidance, slack: options.binSlack,
                       lumaSmoothing: options.lumaSmoothing)
    }

    /// What the network sees: the prior of `options`, or the plain decode without one.
    static func networkInput(_ decoded: CleanerInput, options: CleaningOptions) -> RasterImage {
        options.prior.map { prior(decoded, chromaGuidance: $0) } ?? decoded.image
    }

    /// The classical prior a model with ``CleaningOptions/prior`` sees instead of the plain
    /// decode: Cb and Cr refined by `chromaGuidance` rounds of ``GuidedChroma`` guided by the
    /// plain luma (which stays as decoded), rounded to 8 bits. Images without usable colour
    /// coefficients (gray, Adobe RGB, damaged files) come back as decoded.
    public static func prior(_ decoded: CleanerInput, chromaGuidance: GuidedChroma.Options) -> RasterImage {
        guard decoded.image.channels == 3, decoded.components.count == 3 else { return decoded.image }
        // The plain luma is a fixed point of its own projection (its bins are widened to hold
        // it), so only the chroma is worked on.
        return project(FloatImage(decoded.image, normalization: .identity),
                       decoded: decoded, mode: .all, keepDecodeFeasible: true, chromaGuidance: chromaGuidance,
                       projectsLuma: false)
    }

    /// The model's averaged prediction of the clean image on the 8-bit scale, unrounded but
    /// clipped to 0…255 (steps 1–3 of ``clean(_:options:predict:)``).
    public static func predictImage(_ image: RasterImage, options: CleaningOptions,
                                    predict: ([Float], Int) throws -> [Float]) rethrows -> FloatImage {
        let norm = options.normalization
        let input = FloatImage(image, normalization: norm)
        let grid = options.geometry.grid(width: image.width, height: image.height)
        let o = options.output.size(for: options.geometry)
        let perOutput = o * o * image.channels
        var acc = OverlapAccumulator(grid: grid, channels: image.channels, output: options.output,
                                     weights: options.weights)
        var first = 0
        while first < grid.count {
            let n = min(options.batchSize, grid.count - first)
            let windows = Windows.extract(from: input, grid: grid, windows: first..<(first + n))
            let outputs = try predict(windows, n)
            precondition(outputs.count == n * perOutput, "the predictor returned the wrong number of values")
            acc.add(outputs, firstWindow: first, count: n)
            first += n
        }
        var result = acc.result()
        let inv = 1 / norm.scale
        if options.residual {
            // clean = degraded + residual / scale
            image.pixels.withUnsafeBufferPointer { px in
                result.samples.withUnsafeMutableBufferPointer { r in
                    for i in 0..<r.count { r[i] = Float(px[i]) + r[i] * inv }
                }
            }
        } else {
            for i in result.samples.indices { result.samples[i] = norm.denormalize(result.samples[i]) }
        }
        // A clean image lies in 0…255: clip before the projection, so that a prediction past
        // 255 in flat white (which the bounded training loss allows) projects from 255, the
        // original's own value, instead of being pulled back into the bins from beyond it.
        for i in result.samples.indices { result.samples[i] = min(max(result.samples[i], 0), 255) }
        return result
    }

    /// Projects an 8-bit-scale prediction (gray, or RGB converted to YCbCr) onto the
    /// quantization bins of `decoded.components` and returns it rounded and clamped to 8
    /// bits. Components whose subsampling ratio is not a whole number (or missing
    /// coefficients) are left as predicted. With `chromaGuidance` (colour images in mode
    /// `.all`), Cb and Cr go through ``GuidedChroma/refine(y:cb:cr:cbCoefficients:crCoefficients:factorX:factorY:reference:options:)``
    /// guided by the projected luma. `projectsLuma: false` leaves the luma as predicted (for a
    /// prediction whose luma is already consistent with the file, such as the plain decode). With `lumaSmoothing`, the luma (when it has coefficients
    /// and is not subsampled) first goes through ``QuantSmooth/smooth(_:coefficients:options:)``.
    public static func project(_ prediction: FloatImage, decoded: CleanerInput,
                               mode: ProjectionMode, keepDecodeFeasible: Bool = true,
                               chromaGuidance: GuidedChroma.Options? = nil,
                               slack: Float = 0, lumaSmoothing: QuantSmooth.Options? = nil,
                               projectsLuma: Bool = true) -> RasterImage {
        precondition(prediction.width == decoded.image.width && prediction.height == decoded.image.height &&
                     prediction.channels == decoded.image.channels, "prediction and decode differ in shape")
        let comps = decoded.components
        guard mode != .none, !comps.isEmpty, comps.count == prediction.channels else {
            return prediction.rasterImage()
        }
        let planes = prediction.planes()
        var work = planes.count == 3
            ? { let t = ColourConversion.ycbcrPlanes(r: planes[0], g: planes[1], b: planes[2]); return [t.y, t.cb, t.cr] }()
            : planes
        let reference = keepDecodeFeasible ? ColourConversion.ycbcrPlanes(of: decoded.image) : []
        let maxH = comps.map(\.horizontalSampling).max()!, maxV = comps.map(\.verticalSampling).max()!
        let count = mode == .luma ? 1 : comps.count
        // The subsampling factors of each usable component (nil: leave it as predicted).
        let factors: [(Int, Int)?] = comps.map { c in
            guard maxH % c.horizontalSampling == 0, maxV % c.verticalSampling == 0 else { return nil }
            let fx = maxH / c.horizontalSampling, fy = maxV / c.verticalSampling
            let cw = (prediction.width + fx - 1) / fx, ch = (prediction.height + fy - 1) / fy
            guard c.blocksWide * 8 >= cw, c.blocksHigh * 8 >= ch else { return nil }
            return (fx, fy)
        }
        let guided = chromaGuidance != nil && mode == .all && work.count == 3 &&
            factors[1] != nil && factors[2] != nil && factors[1]! == factors[2]!
        if let smoothing = lumaSmoothing, let (fx, fy) = factors[0], fx == 1, fy == 1 {
            work[0] = QuantSmooth.smooth(work[0], coefficients: comps[0], options: smoothing)
        }
        for i in 0..<(guided ? 1 : count) where i > 0 || projectsLuma {
            guard let (fx, fy) = factors[i] else { continue }
            work[i] = DCTProjection.project(work[i], onto: comps[i], factorX: fx, factorY: fy,
                                            reference: keepDecodeFeasible ? reference[i] : nil,
                                            slack: slack)
        }
        if guided, let options = chromaGuidance, let (fx, fy) = factors[1] {
            let refined = GuidedChroma.refine(
                y: work[0], cb: work[1], cr: work[2], cbCoefficients: comps[1], crCoefficients: comps[2],
                factorX: fx, factorY: fy,
                reference: keepDecodeFeasible ? (reference[1], reference[2]) : nil, options: options)
            work[1] = refined.cb
            work[2] = refined.cr
        }
        if work.count == 3 {
            return ColourConversion.rasterImage(y: work[0], cb: work[1], cr: work[2])
        }
        return ColourConversion.rasterImage(channels: work)
    }
}
