import Cleaner

/// The options of `clean`, `eval` and `bench clean` that choose a model and change its
/// pipeline: `--model`, `--no-network`, and one option per ``StageOverride`` the stages
/// declare (name, value, range and help come from the stage; nothing is written twice).
enum ModelOptions {
    /// The stage overrides a command accepts: all but the training-only ones.
    static var overrides: [StageOverride] { Pipeline.overrides.filter { !$0.trainingOnly } }

    static var specs: [OptionSpec] {
        [.value("model", "path", help: "The model file (default: the bundled model).")]
            + overrides.map { .value($0.name, $0.valueName, help: $0.help + " (default: the model's)") }
            + [.flag("no-network", help: "Skip the network: only the other stages (prior, luma smoothing, projection, guided chroma); fast, weaker.")]
    }

    /// The values of `overrides` given on the command line, by option name.
    static func values(_ arguments: ParsedArguments, _ overrides: [StageOverride]) -> [String: String] {
        var values: [String: String] = [:]
        for override in overrides { values[override.name] = arguments.value(override.name) }
        return values
    }

    /// The model of `--model` (or the bundled one) with the other options applied.
    static func load(_ arguments: ParsedArguments, command spec: CommandSpec) throws -> ModelFamily {
        var model = try ModelLocator.load(arguments.value("model"))
        do { try model.apply(overrides: values(arguments, overrides)) }
        catch { throw UsageError(error.message, command: spec) }
        if arguments.flag("no-network") { model.usesNetwork = false }
        return model
    }
}
