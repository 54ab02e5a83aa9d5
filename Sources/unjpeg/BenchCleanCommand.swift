import Cleaner
import JPEGCodec

/// `unjpeg bench clean`: CPU-seconds per megapixel of the whole cleaning pipeline.
enum BenchCleanCommand: Command {
    static let spec = CommandSpec(
        path: "bench clean",
        abstract: "Measure cleaning cost (CPU-seconds per megapixel) with a model.",
        discussion: "Each JPEG is decoded once; the timed part is the model's pipeline (every stage). A second row per file gives each stage's share of one single-threaded run, with the PNG encoding of the result beside it.",
        positionals: [PositionalSpec(name: "files", help: "JPEG files.", variadic: true, optional: false)],
        options: [
            .value("threads", "n", help: "Comma-separated thread counts.", default: "1,2"),
        ] + ModelOptions.specs + BenchCodec.options)

    static func run(_ arguments: ParsedArguments) throws {
        var (trials, minTime, printer) = try BenchCodec.settings(arguments, spec: spec)
        let model = try ModelOptions.load(arguments, command: spec)
        let threadList = try BenchNet.intList(arguments.value("threads") ?? "1,2", option: "threads", range: 1...256, spec: spec)
        for path in arguments.positionals {
            guard let jpeg = try ImageFile.load(path, maxPixels: 1 << 40).jpeg else {
                throw RuntimeError("\(path): not a JPEG file.")
            }
            let input = CleanerInput(jpeg)
            let megapixels = Double(jpeg.image.width * jpeg.image.height) / 1e6
            for threads in threadList {
                let samples = Bench.measure(trials: trials, minTime: minTime) {
                    _ = model.clean(input, threads: threads)
                }
                let (best, _) = Bench.bestAndMedian(samples)
                var row = BenchCodec.row(file: path, what: "clean", megapixels: megapixels, samples: samples,
                                         extra: [("threads", threads)])
                row.fields.append(("cpu_s_per_mp", best.cpu / megapixels))
                printer.emit(row)
            }
            // Each stage's share of one single-threaded run, and the PNG encoding after it.
            var shares: [(String, Double)] = []
            let cleaned = model.clean(input, threads: 1) { name, time in shares.append((name, time.seconds)) }
            let encodeStart = ContinuousClock.now
            _ = try ImageFile.encode(cleaned, format: .png)
            let png = (ContinuousClock.now - encodeStart).seconds
            let total = shares.map(\.1).reduce(0, +)
            var fields: [(String, Any)] = [("file", path), ("what", "stage shares, 1 thread"),
                                           ("pipeline_s_per_mp", total / megapixels)]
            fields += shares.map { ("\($0.0)_pct", 100 * $0.1 / max(total, 1e-12)) }
            fields.append(("png_s_per_mp", png / megapixels))
            printer.emit(BenchRow(fields: fields))
        }
    }
}
