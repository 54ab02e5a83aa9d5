import Cleaner

/// The options of `clean` and `eval` that choose a model and how it is applied: one list of
/// specs and one parser, so both commands take the same overrides in the same way.
enum ModelOptions {
    static let specs: [OptionSpec] = [
            .value("model", "path", help: "The model file (default: the bundled model)."),
            .value("projection", "mode", help: "DCT-domain projection: none, luma or all (default: the model's)."),
            .value("chroma-guidance", "n", help: "Rounds of luma-guided chroma refinement, 0 for none (default: the model's)."),
            .value("chroma-fit", "where", help: "Where the guided chroma fits its model: low (chroma resolution) or full (default: the model's)."),
            .value("luma-smoothing", "n", help: "Rounds of DCT-domain luma smoothing inside the quantization bins, 0 for none (default: the model's)."),
            .value("luma-threshold", "t", help: "Pixel differences above t quantization steps count as edges in the luma smoothing (default: the model's)."),
            .flag("no-network", help: "Skip the network: only the classical steps (prior, luma smoothing, projection, guided chroma); fast, weaker."),
    ]

    /// The model of `--model` (or the bundled one) with the other options applied.
    static func load(_ arguments: ParsedArguments, command spec: CommandSpec) throws -> CleaningModel {
        var model = try ModelLocator.load(arguments.value("model"))
        if let mode = try projection(arguments.value("projection"), command: spec) { model.options.projection = mode }
        try applyChromaOptions(arguments, to: &model, command: spec)
        try applyLumaSmoothing(arguments, to: &model, command: spec)
        if arguments.flag("no-network") { model.usesNetwork = false }
        return model
    }

    /// The `--projection` value, or nil when the option is absent.
    static func projection(_ text: String?, command spec: CommandSpec) throws -> ProjectionMode? {
        switch text {
        case nil: return nil
        case "none": return ProjectionMode.none
        case "luma": return .luma
        case "all": return .all
        default: throw UsageError("The value '\(text!)' is invalid for '--projection': expected none, luma or all.", command: spec)
        }
    }

    /// Applies `--chroma-guidance` and `--chroma-fit` to a model's options (the prior a network
    /// was trained on is never changed: the network needs exactly that input).
    static func applyChromaOptions(_ arguments: ParsedArguments, to model: inout CleaningModel, command spec: CommandSpec) throws {
        // Start from the model's own refinement (or its prior's, or the defaults) and change
        // only what the options name.
        var options = model.options.chromaGuidance ?? model.options.prior ?? GuidedChroma.Options()
        if let fit = arguments.value("chroma-fit") {
            guard fit == "low" || fit == "full" else {
                throw UsageError("The value '\(fit)' is invalid for '--chroma-fit': expected low or full.", command: spec)
            }
            if (fit == "low") != options.lowResolutionFit {
                options = fit == "low" ? GuidedChroma.Options(iterations: options.iterations)
                                       : GuidedChroma.fullResolutionOptions(iterations: options.iterations)
            }
        }
        var rounds = model.options.chromaGuidance?.iterations ?? 0
        if let text = arguments.value("chroma-guidance") {
            guard let value = Int(text), (0...100).contains(value) else {
                throw UsageError("The value '\(text)' is invalid for '--chroma-guidance': expected an integer in 0…100.", command: spec)
            }
            rounds = value
        }
        options.iterations = max(rounds, 1)
        model.options.chromaGuidance = rounds == 0 ? nil : options
    }

    /// Applies `--luma-smoothing` (rounds of ``QuantSmooth``, 0 = off) and `--luma-threshold`
    /// (its edge threshold in quantization steps) to a model's options, keeping the model's
    /// other smoothing parameters.
    static func applyLumaSmoothing(_ arguments: ParsedArguments, to model: inout CleaningModel, command spec: CommandSpec) throws {
        var options = model.options.lumaSmoothing ?? QuantSmooth.Options()
        var rounds = model.options.lumaSmoothing?.iterations ?? 0
        if let text = arguments.value("luma-smoothing") {
            guard let value = Int(text), (0...100).contains(value) else {
                throw UsageError("The value '\(text)' is invalid for '--luma-smoothing': expected an integer in 0…100.", command: spec)
            }
            rounds = value
        }
        if let text = arguments.value("luma-threshold") {
            guard let value = Float(text), value.isFinite, value > 0, value <= 64 else {
                throw UsageError("The value '\(text)' is invalid for '--luma-threshold': expected a number above 0 and at most 64.", command: spec)
            }
            options.threshold = value
        }
        options.iterations = max(rounds, 1)
        model.options.lumaSmoothing = rounds == 0 ? nil : options
    }
}
