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
        ] + ModelOptions.specs + [
            .value("threads", "n", help: "Threads for the network (default: the cores available)."),
            .flag("no-orientation", help: "Do not apply the EXIF orientation to the output."),
            CommonOptions.strict,
            CommonOptions.maxPixels,
        ])

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
        let model = try ModelOptions.load(arguments, command: spec)
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
}
