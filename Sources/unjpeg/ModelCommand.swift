import Cleaner
import Net

/// `unjpeg model`: what a model file holds and how it is applied — or a copy of it applied
/// differently (its pipeline changed by the same stage options `clean` takes), written in the
/// current recipe format.
enum ModelCommand: Command {
    static let spec = CommandSpec(
        path: "model",
        abstract: "Show a model's network and pipeline, or write a copy with its stages changed.",
        discussion: """
        Without -o, prints the network's layer sizes and the pipeline's stages with their settings.
        With -o, writes the model with the stage options given (the options clean takes, e.g.
        --flat-area 8 --white-point 1.5) made part of its recipe; the network is unchanged.
        """,
        positionals: [PositionalSpec(name: "model", help: "The model file ('-' for standard input).", variadic: false, optional: false)],
        options: [.value("output", short: "o", "path", help: "Where to write the changed model.")]
            + ModelOptions.overrides.map { .value($0.name, $0.valueName, help: $0.help) }
            + [.flag("float32", help: "Store the weights as Float32 when writing (default: as the input file stores them).")])

    static func run(_ arguments: ParsedArguments) throws {
        let path = arguments.positionals[0]
        let bytes = try FileIO.read(path)
        var network: Model
        var model: CleaningModel
        do {
            network = try ModelFile.deserialize(bytes)
            model = try CleaningModel(network: network)
        } catch { throw RuntimeError("\(ImageFile.displayName(path)): \(error)") }
        do { try model.pipeline.apply(overrides: ModelOptions.values(arguments, ModelOptions.overrides)) }
        catch { throw UsageError(error.message, command: spec) }
        guard let output = arguments.value("output") else {
            var text = "\(ImageFile.displayName(path)): network \(network.layerSizes.map(String.init).joined(separator: "→")), recipe format \(network.metadata[Pipeline.versionKey] ?? "1")\n"
            if let coverage = model.coverage { text += "  trained on: \(coverage.description)\n" }
            for stage in model.pipeline.stages {
                let entries = stage.metadata().sorted { $0.key < $1.key }.map { "\($0.key.split(separator: ".").last!)=\($0.value)" }
                text += "  \(type(of: stage).name)" + (entries.isEmpty ? "" : ": " + entries.joined(separator: ", ")) + "\n"
            }
            Terminal.print(text, terminator: "")
            return
        }
        try FileIO.checkOutput(output, inputs: [path])
        network.metadata = Pipeline.replacingRecipe(in: network.metadata, with: model.pipeline)
        let precision: ModelFile.WeightPrecision = arguments.flag("float32") ? .float32 : (ModelFile.precision(of: bytes) ?? .float16)
        try FileIO.write(ModelFile.serialize(network, precision: precision), to: output)
    }
}
