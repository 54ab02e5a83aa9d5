import Foundation
import Cleaner
import JPEGCodec

/// `unjpeg clean`: JPEG in, cleaned PNG out — one file, several, or folders.
enum CleanCommand: Command {
    static let spec = CommandSpec(
        path: "clean",
        abstract: "Remove JPEG artifacts and write lossless PNGs.",
        discussion: """
        With one input, -o names the output ('-' writes PNG to standard output; an input of '-'
        reads standard input). With several inputs or a folder (its .jpg/.jpeg files), each
        output is named after its input plus --suffix, in --out-dir or beside the input. An
        existing input is never overwritten. A file that cannot be cleaned is reported and the
        others go on; the exit status is then 1.
        """,
        positionals: [PositionalSpec(name: "inputs", help: "JPEG files or folders ('-' for standard input).", variadic: true, optional: false)],
        options: [
            .value("output", short: "o", "path", help: "The output for a single input ('-' for standard output)."),
            .value("out-dir", "folder", help: "Where outputs go for several inputs (created if missing)."),
            .value("suffix", "text", help: "Added to each input's name for its output.", default: ".clean"),
            .value("model", "path", help: "The model file (default: the bundled model)."),
            .value("projection", "mode", help: "DCT-domain projection: none, luma or all (default: the model's)."),
            .value("chroma-guidance", "n", help: "Rounds of luma-guided chroma refinement, 0 for none (default: the model's)."),
            .value("chroma-fit", "where", help: "Where the guided chroma fits its model: low (chroma resolution) or full (default: the model's)."),
            .value("luma-smoothing", "n", help: "Rounds of DCT-domain luma smoothing inside the quantization bins, 0 for none (default: the model's)."),
            .value("luma-threshold", "t", help: "Pixel differences above t quantization steps count as edges in the luma smoothing (default: the model's)."),
            .flag("no-network", help: "Skip the network: only the classical steps (prior, luma smoothing, projection, guided chroma); fast, weaker."),
            .value("threads", "n", help: "Threads for the network (default: the cores available)."),
            .flag("no-orientation", help: "Do not apply the EXIF orientation to the output."),
            CommonOptions.strict,
            CommonOptions.maxPixels,
        ])

    static func projection(_ text: String?) throws -> ProjectionMode? {
        switch text {
        case nil: return nil
        case "none": return ProjectionMode.none
        case "luma": return .luma
        case "all": return .all
        default: throw UsageError("The value '\(text!)' is invalid for '--projection': expected none, luma or all.", command: spec)
        }
    }

    /// Expands folders to their JPEG files (sorted), keeps files and '-' as given.
    static func expandInputs(_ inputs: [String]) throws -> [String] {
        var files: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            if input != "-", FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: input).sorted()
                files += names.filter { ["jpg", "jpeg"].contains(($0 as NSString).pathExtension.lowercased()) }
                    .map { (input as NSString).appendingPathComponent($0) }
            } else {
                files.append(input)
            }
        }
        return files
    }

    static func outputPath(for input: String, outDir: String?, suffix: String) -> String {
        let base = ((input as NSString).lastPathComponent as NSString).deletingPathExtension + suffix + ".png"
        let folder = outDir ?? (input as NSString).deletingLastPathComponent
        return folder.isEmpty ? base : (folder as NSString).appendingPathComponent(base)
    }

    static func run(_ arguments: ParsedArguments) throws {
        let inputs = try expandInputs(arguments.positionals)
        guard !inputs.isEmpty else { throw RuntimeError("No JPEG files found in \(arguments.positionals.joined(separator: ", ")).") }
        let output = arguments.value("output")
        if output != nil && (inputs.count > 1 || arguments.value("out-dir") != nil) {
            throw UsageError("-o names one output; with several inputs use --out-dir and --suffix.", command: spec)
        }
        if inputs.contains("-") && inputs.count > 1 {
            throw UsageError("'-' (standard input) can only be the single input.", command: spec)
        }
        let suffix = arguments.value("suffix") ?? ".clean"
        let outDir = arguments.value("out-dir")
        if let outDir { try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true) }
        let maxPixels = try CommonOptions.maxPixels(arguments, command: spec)
        let threads = try arguments.int("threads", default: ProcessInfo.processInfo.activeProcessorCount, in: 1...256, command: spec)
        var model = try ModelLocator.load(arguments.value("model"))
        if let mode = try projection(arguments.value("projection")) { model.options.projection = mode }
        try applyChromaOptions(arguments, to: &model, command: spec)
        try applyLumaSmoothing(arguments, to: &model, command: spec)
        if arguments.flag("no-network") { model.usesNetwork = false }
        let progress = ProgressBar(label: "clean", total: inputs.count, enabled: Terminal.stderrIsTerminal && inputs.count > 1)
        var failures = 0
        for (index, input) in inputs.enumerated() {
            let target = output ?? (input == "-" ? "-" : outputPath(for: input, outDir: outDir, suffix: suffix))
            do {
                try FileIO.refuseOverwritingInputs(output: target, inputs: inputs)
                let loaded = try ImageFile.load(input, maxPixels: maxPixels, strict: arguments.flag("strict"))
                guard let jpeg = loaded.jpeg else {
                    throw RuntimeError("\(input): not a JPEG file; clean takes JPEGs (use 'unjpeg decode' to convert other images).")
                }
                var cleaned = model.clean(CleanerInput(jpeg), threads: threads)
                if !arguments.flag("no-orientation") { cleaned = cleaned.applyingOrientation(jpeg.orientation) }
                let bytes = try ImageFile.encode(cleaned, format: .png, iccProfile: loaded.iccProfile)
                try FileIO.writeAtomically(bytes, to: target)
            } catch {
                progress.finish()
                Terminal.writeError("Error: \(error)\n")
                failures += 1
            }
            progress.update(index + 1, detail: failures > 0 ? "\(failures) failed" : "")
        }
        progress.finish()
        if failures > 0 {
            if inputs.count > 1 { Terminal.writeError("\(failures) of \(inputs.count) files could not be cleaned.\n") }
            throw ExitQuietly(status: 1)
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
