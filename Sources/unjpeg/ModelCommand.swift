import Cleaner
import Net

/// `unjpeg model`: what a model file holds and how it is applied — or a copy of it applied
/// differently (its pipeline changed by the same stage options `clean` takes), written in the
/// current recipe format, or several models joined into one family file.
enum ModelCommand: Command {
    static let spec = CommandSpec(
        path: "model",
        abstract: "Show a model's networks and pipelines, write a copy with its stages changed, or join models into a family.",
        discussion: """
        Without -o, prints each network's layer sizes, what it was trained on and its pipeline's
        stages with their settings. With -o, writes the model with the stage options given (the
        options clean takes, e.g. --flat-area 8 --white-point 1.5) made part of its recipe; the
        networks are unchanged. Given several model files, -o writes them as one family: clean
        gives each JPEG to the network trained on its chroma sampling and nearest to its quality
        (the earliest on a tie), so every network must say what it was trained on.
        """,
        positionals: [PositionalSpec(name: "model", help: "The model files ('-' for standard input); several make a family.", variadic: true, optional: false)],
        options: [.value("output", short: "o", "path", help: "Where to write the changed model or the family.")]
            + ModelOptions.overrides.map { .value($0.name, $0.valueName, help: $0.help) }
            + [.flag("float32", help: "Store the weights as Float32 when writing (default: as each input file stores them).")])

    static func run(_ arguments: ParsedArguments) throws {
        let paths = arguments.positionals
        if paths.filter({ $0 == "-" }).count > 1 {
            throw UsageError("Standard input ('-') can be read once; give it at most once.", command: spec)
        }
        var networks: [Model] = [], precisions: [ModelFile.WeightPrecision] = []
        for path in paths {
            let bytes = try FileIO.read(path)
            do {
                for member in try ModelFile.members(bytes) {
                    networks.append(member.model)
                    precisions.append(member.precision)
                }
            } catch { throw RuntimeError("\(ImageFile.displayName(path)): \(error)") }
            guard networks.count <= ModelFile.maximumFamilySize else {
                throw RuntimeError("\(ImageFile.displayName(path)): with it the family has \(networks.count) networks; a model file holds at most \(ModelFile.maximumFamilySize).")
            }
        }
        let name = paths.map(ImageFile.displayName).joined(separator: " + ")
        var family: ModelFamily
        do { family = try ModelFamily(networks: networks) } catch { throw RuntimeError("\(name): \(error)") }
        do { try family.apply(overrides: ModelOptions.values(arguments, ModelOptions.overrides)) }
        catch { throw UsageError(error.message, command: spec) }
        guard let output = arguments.value("output") else {
            var text = ""
            for (index, (network, model)) in zip(networks, family.members).enumerated() {
                text += networks.count == 1 ? "\(name): " : "\(name), network \(index + 1) of \(networks.count): "
                text += "network \(network.layerSizes.map(String.init).joined(separator: "→")), recipe format \(network.metadata[Pipeline.versionKey] ?? "1")\n"
                if let coverage = model.coverage { text += "  trained on: \(coverage.description)\n" }
                for stage in model.pipeline.stages {
                    let entries = stage.metadata().sorted { $0.key < $1.key }.map { "\($0.key.split(separator: ".").last!)=\($0.value)" }
                    text += "  \(type(of: stage).name)" + (entries.isEmpty ? "" : ": " + entries.joined(separator: ", ")) + "\n"
                }
            }
            Terminal.print(text, terminator: "")
            return
        }
        try FileIO.checkOutput(output, inputs: paths)
        for (index, model) in family.members.enumerated() {
            networks[index].metadata = Pipeline.replacingRecipe(in: networks[index].metadata, with: model.pipeline)
        }
        if arguments.flag("float32") { precisions = precisions.map { _ in .float32 } }
        try FileIO.write(ModelFile.serializeFamily(Array(zip(networks, precisions))), to: output)
    }
}
