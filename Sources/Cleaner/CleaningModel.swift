import JPEGCodec
import Linalg
import Net

/// Errors of ``CleaningModel``: a network whose file does not describe how to clean with it.
public enum CleaningModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A metadata entry is missing or holds an impossible value.
    case invalidMetadata(key: String, value: String?)
    /// The network's input or output size does not match its window description.
    case shapeMismatch(expected: Int, found: Int, what: String)

    /// A sentence for a user.
    public var description: String {
        switch self {
        case let .invalidMetadata(key, value):
            return "The model's metadata entry '\(key)' is \(value.map { "'\($0)', which is invalid" } ?? "missing"); this file was not made for cleaning JPEGs."
        case let .shapeMismatch(expected, found, what):
            return "The model's \(what) size is \(found) but its window description needs \(expected)."
        }
    }
}

/// A trained network together with how it is applied to images: the window geometry,
/// scales and projection, read from (and written to) the model file's metadata under
/// keys `unjpeg.*`, so a model file is self-describing.
public struct CleaningModel: Sendable {
    /// The network: windows of `windowSize² · 3` samples in, `outputSize² · 3` out.
    public var network: Model
    /// How the network is applied.
    public var options: CleaningOptions
    /// False: ``clean(_:threads:)`` skips the network and applies only the classical steps
    /// (prior, luma smoothing, projection, guided chroma) — a fast, weaker cleaner, and a measure of what the
    /// network adds.
    public var usesNetwork = true

    /// Metadata keys written by ``metadata(for:quality:subsampling:)``.
    public enum Key {
        public static let window = "unjpeg.window"
        public static let core = "unjpeg.core"
        public static let stride = "unjpeg.stride"
        public static let output = "unjpeg.output"
        public static let residual = "unjpeg.residual"
        public static let offset = "unjpeg.normalization.offset"
        public static let scale = "unjpeg.normalization.scale"
        public static let projection = "unjpeg.projection"
        public static let quality = "unjpeg.jpeg.quality"
        public static let subsampling = "unjpeg.jpeg.subsampling"
        public static let chromaGuidance = "unjpeg.chroma_guidance.iterations"
        /// Rounds of the guided-chroma prior the network sees (0 or absent: the plain decode).
        public static let priorChromaGuidance = "unjpeg.prior.chroma_guidance.iterations"
        /// Where the guided chroma fits its model: `low` (at the chroma's resolution, the
        /// default since the second model) or `full` (absent: `full`, the first version).
        /// The prior's own entry (`unjpeg.prior.chroma_guidance.fit`) falls back to this one.
        public static let chromaGuidanceFit = "unjpeg.chroma_guidance.fit"
        /// Suffixes of the guided chroma's parameters, after `unjpeg.chroma_guidance.` (the
        /// refinement after the network) or `unjpeg.prior.chroma_guidance.` (the prior):
        /// `radius` (0…64), `epsilon` (0 < ε ≤ 10⁶), `confidence` (0…10⁶, 0: none). Absent: the values of the file's fit as
        /// first released (full: r 3, ε 1; low: r 1, ε 1; no confidence weighting).
        public static let guidanceParameters = ["radius", "epsilon", "confidence"]
        /// Rounds of ``QuantSmooth`` on the luma before its projection (0 or absent: off).
        public static let lumaSmoothing = "unjpeg.luma_smoothing.iterations"
        /// ``QuantSmooth/Options/threshold`` in quantization steps (0 < t ≤ 64; absent: 2).
        public static let lumaSmoothingThreshold = "unjpeg.luma_smoothing.threshold"
        /// Factor on the luma smoothing's threshold from one round to the next (absent: 1).
        public static let lumaSmoothingThresholdDecay = "unjpeg.luma_smoothing.threshold_decay"
    }

    /// The metadata entries that describe `options` (plus what the model was trained for).
    public static func metadata(for options: CleaningOptions, quality: Int, subsampling: String) -> [String: String] {
        let projection: String
        switch options.projection {
        case .none: projection = "none"
        case .luma: projection = "luma"
        case .all: projection = "all"
        }
        return [
            Key.window: String(options.geometry.windowSize), Key.core: String(options.geometry.coreSize),
            Key.stride: String(options.geometry.stride),
            Key.output: options.output == .centralBlock ? "central" : "full",
            Key.residual: options.residual ? "yes" : "no",
            Key.offset: String(options.normalization.offset), Key.scale: String(options.normalization.scale),
            Key.projection: projection, Key.quality: String(quality), Key.subsampling: subsampling,
            Key.chromaGuidance: String(options.chromaGuidance?.iterations ?? 0),
            Key.priorChromaGuidance: String(options.prior?.iterations ?? 0),
        ].merging(lumaSmoothingMetadata(options.lumaSmoothing)) { a, _ in a }
         .merging(guidanceMetadata("unjpeg.chroma_guidance", options.chromaGuidance)) { a, _ in a }
         .merging(guidanceMetadata("unjpeg.prior.chroma_guidance", options.prior)) { a, _ in a }
    }

    /// The luma smoothing entries: its rounds (0 for nil) and, when on, its parameters.
    public static func lumaSmoothingMetadata(_ options: QuantSmooth.Options?) -> [String: String] {
        var entries = [Key.lumaSmoothing: String(options?.iterations ?? 0)]
        if let o = options {
            entries[Key.lumaSmoothingThreshold] = String(o.threshold)
            entries[Key.lumaSmoothingThresholdDecay] = String(o.thresholdDecay)
        }
        return entries
    }

    /// The fit and parameters of `options` under `prefix` (nothing for nil).
    public static func guidanceMetadata(_ prefix: String, _ options: GuidedChroma.Options?) -> [String: String] {
        guard let o = options else { return [:] }
        return [prefix + ".fit": o.lowResolutionFit ? "low" : "full", prefix + ".radius": String(o.radius),
                prefix + ".epsilon": String(o.epsilon), prefix + ".confidence": String(o.confidence ?? 0)]
    }

    /// Reads the cleaning options from `network.metadata` and checks them against its shape.
    public init(network: Model) throws(CleaningModelError) {
        let meta = network.metadata
        func int(_ key: String, _ range: ClosedRange<Int>) throws(CleaningModelError) -> Int {
            guard let text = meta[key], let value = Int(text), range.contains(value) else {
                throw .invalidMetadata(key: key, value: meta[key])
            }
            return value
        }
        func float(_ key: String) throws(CleaningModelError) -> Float {
            guard let text = meta[key], let value = Float(text), value.isFinite, value != 0 || key == Key.offset else {
                throw .invalidMetadata(key: key, value: meta[key])
            }
            return value
        }
        let window = try int(Key.window, 1...256)
        let core = try int(Key.core, 1...window)
        let stride = try int(Key.stride, 1...core)
        guard (window - core) % 2 == 0 else { throw .invalidMetadata(key: Key.core, value: meta[Key.core]) }
        let output: WindowOutput
        switch meta[Key.output] {
        case "central": output = .centralBlock
        case "full": output = .fullWindow
        default: throw .invalidMetadata(key: Key.output, value: meta[Key.output])
        }
        guard let residualText = meta[Key.residual], ["yes", "no"].contains(residualText) else {
            throw .invalidMetadata(key: Key.residual, value: meta[Key.residual])
        }
        let projection: ProjectionMode
        switch meta[Key.projection] ?? "all" {
        case "none": projection = .none
        case "luma": projection = .luma
        case "all": projection = .all
        default: throw .invalidMetadata(key: Key.projection, value: meta[Key.projection])
        }
        let geometry = WindowGeometry(windowSize: window, coreSize: core, stride: stride)
        let guidance = meta[Key.chromaGuidance] == nil ? 0 : try int(Key.chromaGuidance, 0...100)
        let prior = meta[Key.priorChromaGuidance] == nil ? 0 : try int(Key.priorChromaGuidance, 0...100)
        // The guided chroma's parameters under `prefix`, with the first releases' defaults.
        func guidanceOptions(_ prefix: String, rounds: Int, fallbackFit: String?) throws(CleaningModelError) -> GuidedChroma.Options? {
            guard rounds > 0 else { return nil }
            let fitKey = prefix + ".fit"
            let fit = meta[fitKey] ?? fallbackFit ?? "full"
            guard fit == "low" || fit == "full" else { throw .invalidMetadata(key: meta[fitKey] == nil ? Key.chromaGuidanceFit : fitKey, value: fit) }
            var o = fit == "low" ? GuidedChroma.Options(radius: 1, epsilon: 1, iterations: rounds, lowResolutionFit: true, confidence: nil)
                                 : GuidedChroma.fullResolutionOptions(iterations: rounds)
            if meta[prefix + ".radius"] != nil { o.radius = try int(prefix + ".radius", 0...64) }
            if let text = meta[prefix + ".epsilon"] {
                guard let e = Float(text), e.isFinite, e > 0, e <= 1_000_000 else { throw .invalidMetadata(key: prefix + ".epsilon", value: text) }
                o.epsilon = e
            }
            if let text = meta[prefix + ".confidence"] {
                guard let c = Float(text), c.isFinite, c >= 0, c <= 1_000_000 else { throw .invalidMetadata(key: prefix + ".confidence", value: text) }
                o.confidence = c > 0 ? c : nil
            }
            return o
        }
        let post = try guidanceOptions("unjpeg.chroma_guidance", rounds: guidance, fallbackFit: nil)
        let priorOptions = try guidanceOptions("unjpeg.prior.chroma_guidance", rounds: prior, fallbackFit: meta[Key.chromaGuidanceFit])
        let smoothing = meta[Key.lumaSmoothing] == nil ? 0 : try int(Key.lumaSmoothing, 0...100)
        var smoothingOptions = QuantSmooth.Options(iterations: max(smoothing, 1))
        if let text = meta[Key.lumaSmoothingThreshold] {
            guard let t = Float(text), t.isFinite, t > 0, t <= 64 else { throw .invalidMetadata(key: Key.lumaSmoothingThreshold, value: text) }
            smoothingOptions.threshold = t
        }
        // Files from before the decay existed smoothed every round with the same threshold.
        smoothingOptions.thresholdDecay = 1
        if let text = meta[Key.lumaSmoothingThresholdDecay] {
            guard let d = Float(text), d.isFinite, d > 0, d <= 1 else { throw .invalidMetadata(key: Key.lumaSmoothingThresholdDecay, value: text) }
            smoothingOptions.thresholdDecay = d
        }
        let options = CleaningOptions(geometry: geometry, output: output,
                                      normalization: SampleNormalization(offset: try float(Key.offset), scale: try float(Key.scale)),
                                      residual: residualText == "yes", projection: projection,
                                      chromaGuidance: post, prior: priorOptions,
                                      lumaSmoothing: smoothing > 0 ? smoothingOptions : nil)
        let outSide = output.size(for: geometry)
        guard network.inputSize == window * window * 3 else {
            throw .shapeMismatch(expected: window * window * 3, found: network.inputSize, what: "input")
        }
        guard network.outputSize == outSide * outSide * 3 else {
            throw .shapeMismatch(expected: outSide * outSide * 3, found: network.outputSize, what: "output")
        }
        self.network = network
        self.options = options
    }

    /// Cleans a decode: windows through the network in batches, overlap averaging, then the
    /// DCT-domain projection onto the file's coefficients. Gray images go through the
    /// network as R = G = B and come back as the mean of the three predictions.
    /// - Parameter threads: threads for the matrix products (≥ 1).
    public func clean(_ input: CleanerInput, threads: Int = 1) -> RasterImage {
        let options = self.options
        if !usesNetwork {
            return Cleaning.classical(input, options: options)
        }
        let workspace = ModelWorkspace(model: network, batchCapacity: options.batchSize)
        let network = self.network
        let predict: ([Float], Int) -> [Float] = { windows, count in
            var outputs = [Float](repeating: 0, count: count * network.outputSize)
            windows.withUnsafeBufferPointer { x in
                outputs.withUnsafeMutableBufferPointer { y in
                    network.forward(batch: x.baseAddress!, count: count, into: y.baseAddress!,
                                    workspace: workspace, threads: threads)
                }
            }
            return outputs
        }
        guard input.image.channels == 1 else {
            return Cleaning.clean(input, options: options, predict: predict)
        }
        // Gray: run as RGB, average the three predictions back to one channel.
        let gray = input.image
        var rgb = [UInt8](repeating: 0, count: gray.pixels.count * 3)
        for i in gray.pixels.indices { rgb[3 * i] = gray.pixels[i]; rgb[3 * i + 1] = gray.pixels[i]; rgb[3 * i + 2] = gray.pixels[i] }
        let colour = RasterImage(width: gray.width, height: gray.height, channels: 3, pixels: rgb)
        let predicted = Cleaning.predictImage(colour, options: options, predict: predict)
        var samples = [Float](repeating: 0, count: gray.pixels.count)
        for i in samples.indices {
            samples[i] = (predicted.samples[3 * i] + predicted.samples[3 * i + 1] + predicted.samples[3 * i + 2]) / 3
        }
        let prediction = FloatImage(width: gray.width, height: gray.height, channels: 1, samples: samples)
        return Cleaning.project(prediction, decoded: input, mode: options.projection,
                                keepDecodeFeasible: options.keepDecodeFeasible,
                                chromaGuidance: options.chromaGuidance, slack: options.binSlack,
                                lumaSmoothing: options.lumaSmoothing)
    }
}
