import JPEGCodec

/// The first model-file recipe format (before ``Pipeline``'s list of stages): loose `unjpeg.*`
/// keys that describe one fixed recipe through ``CleaningOptions``. Files in this format (the
/// bundled models among them) load to exactly the pipeline they were applied with, checked by
/// the golden-output test; new files are written in format 2 (``Pipeline/metadata()``).
enum LegacyMetadata {
    /// The keys of the first format.
    public enum Key {
        public static let window = "unjpeg.window"
        public static let core = "unjpeg.core"
        public static let stride = "unjpeg.stride"
        public static let output = "unjpeg.output"
        public static let residual = "unjpeg.residual"
        public static let offset = "unjpeg.normalization.offset"
        public static let scale = "unjpeg.normalization.scale"
        public static let projection = "unjpeg.projection"
        public static let chromaGuidance = "unjpeg.chroma_guidance.iterations"
        /// Rounds of the guided-chroma prior the network sees (0 or absent: the plain decode).
        public static let priorChromaGuidance = "unjpeg.prior.chroma_guidance.iterations"
        /// Where the guided chroma fits its model: `low` or `full` (absent: `full`, the first
        /// version). The prior's own entry (`unjpeg.prior.chroma_guidance.fit`) falls back to this one.
        public static let chromaGuidanceFit = "unjpeg.chroma_guidance.fit"
        /// Suffixes of the guided chroma's parameters, after `unjpeg.chroma_guidance.` or
        /// `unjpeg.prior.chroma_guidance.`. Absent: the values of the file's fit as first
        /// released (full: r 3, ε 1; low: r 1, ε 1; no confidence weighting).
        public static let guidanceParameters = ["radius", "epsilon", "confidence"]
        public static let lumaSmoothing = "unjpeg.luma_smoothing.iterations"
        public static let lumaSmoothingThreshold = "unjpeg.luma_smoothing.threshold"
        public static let lumaSmoothingThresholdDecay = "unjpeg.luma_smoothing.threshold_decay"
    }

    /// The first format's entries for `options` (kept to test that such files still load).
    public static func entries(for options: CleaningOptions) -> [String: String] {
        let projection: String
        switch options.projection {
        case .none: projection = "none"
        case .luma: projection = "luma"
        case .all: projection = "all"
        }
        var entries = [
            Key.window: String(options.geometry.windowSize), Key.core: String(options.geometry.coreSize),
            Key.stride: String(options.geometry.stride),
            Key.output: options.output == .centralBlock ? "central" : "full",
            Key.residual: options.residual ? "yes" : "no",
            Key.offset: String(options.normalization.offset), Key.scale: String(options.normalization.scale),
            Key.projection: projection,
            Key.chromaGuidance: String(options.chromaGuidance?.iterations ?? 0),
            Key.priorChromaGuidance: String(options.prior?.iterations ?? 0),
            Key.lumaSmoothing: String(options.lumaSmoothing?.iterations ?? 0),
        ]
        if let o = options.lumaSmoothing {
            entries[Key.lumaSmoothingThreshold] = String(o.threshold)
            entries[Key.lumaSmoothingThresholdDecay] = String(o.thresholdDecay)
        }
        for (prefix, guidance) in [("unjpeg.chroma_guidance", options.chromaGuidance), ("unjpeg.prior.chroma_guidance", options.prior)] {
            guard let o = guidance else { continue }
            entries[prefix + ".fit"] = o.lowResolutionFit ? "low" : "full"
            entries[prefix + ".radius"] = String(o.radius)
            entries[prefix + ".epsilon"] = String(o.epsilon)
            entries[prefix + ".confidence"] = String(o.confidence ?? 0)
        }
        return entries
    }

    /// Reads the first format, refusing impossible or implausible values (see
    /// ``NetworkStage/init(metadata:)`` for the network's ranges), naming the file's own keys.
    public static func options(from meta: [String: String]) throws(CleaningModelError) -> CleaningOptions {
        func int(_ key: String, _ range: ClosedRange<Int>) throws(CleaningModelError) -> Int {
            guard let text = meta[key], let value = Int(text), range.contains(value) else {
                throw .invalidMetadata(key: key, value: meta[key])
            }
            return value
        }
        func float(_ key: String, _ range: ClosedRange<Float>) throws(CleaningModelError) -> Float {
            guard let text = meta[key], let value = Float(text), value.isFinite, range.contains(value) else {
                throw .invalidMetadata(key: key, value: meta[key])
            }
            return value
        }
        let window = try int(Key.window, 8...64)
        let core = try int(Key.core, 1...window)
        let stride = try int(Key.stride, max(1, core / 4)...core)
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
        return CleaningOptions(geometry: WindowGeometry(windowSize: window, coreSize: core, stride: stride), output: output,
                               normalization: SampleNormalization(offset: try float(Key.offset, 0...255),
                                                                  scale: try float(Key.scale, 1.0 / 1024...1)),
                               residual: residualText == "yes", projection: projection,
                               chromaGuidance: post, prior: priorOptions,
                               lumaSmoothing: smoothing > 0 ? smoothingOptions : nil)
    }
}
