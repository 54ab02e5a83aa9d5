import Cleaner
import JPEGCodec

/// `unjpeg bench clean`: CPU-seconds per megapixel of the whole cleaning pipeline.
enum BenchCleanCommand: Command {
    static let spec = CommandSpec(
        path: "bench clean",
        abstract: "Measure cleaning cost (CPU-seconds per megapixel) with a model.",
        discussion: "Each JPEG is decoded once; the timed part is the model's pipeline (every stage). Then one row per thread count gives the seconds per megapixel of one run of the pipeline and the PNG encoding of its result, and each one's share of that time (rounding: the estimate to 8 bits; png: the PNG file).",
        positionals: [PositionalSpec(name: "files", help: "JPEG files.", variadic: true, optional: false)],
        options: [
            .value("threads", "n", help: "Comma-separated thread counts.", default: "1,2"),
        ] + ModelOptions.specs + BenchCodec.options)

    static func run(_ arguments: ParsedArguments) throws {
        var (trials, minTime, printer) = try BenchCodec.settings(arguments, spec: spec)
        let model = try ModelOptions.load(arguments, command: spec)
        let threadList = try BenchNet.intList(arguments.value("threads") ?? "1,2", option: "threads", range: 1...256, spec: spec)
        Allocator.reuseLargeBlocks()   // as `clean` does
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
            // Each stage's share of one run per thread count, the PNG encoding of the result
            // among them (the file `clean` writes): where the time goes, and what does not scale.
            for threads in threadList {
                var times: [(String, Double)] = []
                let cleaned = model.clean(input, threads: threads) { name, time in times.append((name, time.seconds)) }
                let encodeStart = ContinuousClock.now
                _ = try ImageFile.encode(cleaned, format: .png, threads: threads)
                times.append(("png", (ContinuousClock.now - encodeStart).seconds))
                let total = times.map(\.1).reduce(0, +)
                var fields: [(String, Any)] = [("file", path), ("what", "stage shares, \(threads) thread\(threads == 1 ? "" : "s")"),
                                               ("s_per_mp", total / megapixels)]
                fields += times.map { ("\($0.0)_pct", 100 * $0.1 / max(total, 1e-12)) }
                printer.emit(BenchRow(fields: fields))
            }
        }
    }
}
