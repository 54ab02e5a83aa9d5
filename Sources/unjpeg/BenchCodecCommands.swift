import JPEGCodec
import PNGReader
import PNGWriter

/// Options shared by the codec benchmarks.
enum BenchCodec {
    static let options: [OptionSpec] = [
        .value("trials", "n", help: "Trials; the best is reported.", default: "5"),
        .value("min-time", "s", help: "Minimum seconds per trial.", default: "0.3"),
        .flag("json", help: "Print one JSON object per line instead of a table."),
    ]

    static func settings(_ arguments: ParsedArguments, spec: CommandSpec) throws -> (trials: Int, minTime: Double, printer: BenchPrinter) {
        (try arguments.int("trials", default: 5, in: 1...1000, command: spec),
         try arguments.double("min-time", default: 0.3, in: 0...600, command: spec),
         BenchPrinter(json: arguments.flag("json")))
    }

    /// ``Bench/measure(trials:minTime:_:)`` of a codec call on `file`; a failure names the file.
    static func measure(_ file: String, trials: Int, minTime: Double,
                        _ body: () throws -> Void) throws -> [Bench.Sample] {
        do { return try Bench.measure(trials: trials, minTime: minTime, body) }
        catch { throw RuntimeError("\(file): \(error)") }
    }

    static func row(file: String, what: String, megapixels: Double, samples: [Bench.Sample],
                    extra: [(String, Any)] = []) -> BenchRow {
        let (best, median) = Bench.bestAndMedian(samples)
        return BenchRow(fields: [("file", file), ("what", what), ("megapixels", megapixels),
                                 ("mp_per_s", megapixels / best.wall),
                                 ("mp_per_s_median", megapixels / median),
                                 ("mp_per_cpu_s", megapixels / best.cpu)] + extra)
    }
}

/// `unjpeg bench decode`.
enum BenchDecodeCommand: Command {
    static let spec = CommandSpec(
        path: "bench decode", abstract: "Measure JPEG decoding speed (megapixels per second).",
        discussion: "Decodes each file in memory to RGB (or gray) pixels, as Pillow's Image.open(f).convert(\"RGB\") does; compare with the reference script jpeg_bench.py.",
        positionals: [PositionalSpec(name: "files", help: "JPEG files.", variadic: true, optional: false)],
        options: BenchCodec.options)

    static func run(_ arguments: ParsedArguments) throws {
        var (trials, minTime, printer) = try BenchCodec.settings(arguments, spec: spec)
        for path in arguments.positionals {
            let bytes = try FileIO.read(path)
            let info: JPEGInfo
            do { info = try JPEGDecoder.inspect(bytes) } catch { throw RuntimeError("\(path): \(error)") }
            let megapixels = Double(info.width * info.height) / 1e6
            let samples = try BenchCodec.measure(path, trials: trials, minTime: minTime) {
                _ = try JPEGDecoder.decode(bytes)
            }
            printer.emit(BenchCodec.row(file: path, what: info.isProgressive ? "decode progressive" : "decode baseline",
                                        megapixels: megapixels, samples: samples))
        }
    }
}

/// `unjpeg bench encode`.
enum BenchEncodeCommand: Command {
    static let spec = CommandSpec(
        path: "bench encode", abstract: "Measure JPEG encoding speed (megapixels per second).",
        discussion: "Encodes each image in memory at the given quality and subsampling, with standard and with optimal Huffman tables; compare with the reference script jpeg_bench.py.",
        positionals: [PositionalSpec(name: "files", help: "Images (PNG, JPEG, PPM).", variadic: true, optional: false)],
        options: [
            .value("quality", "q", help: "Quality 1…100.", default: "85"),
            .value("subsampling", "s", help: "4:4:4, 4:2:2 or 4:2:0.", default: "4:2:0"),
        ] + BenchCodec.options)

    static func run(_ arguments: ParsedArguments) throws {
        var (trials, minTime, printer) = try BenchCodec.settings(arguments, spec: spec)
        var options = EncoderOptions()
        options.quality = try arguments.int("quality", default: 85, in: 1...100, command: spec)
        options.subsampling = try CompressCommand.subsampling(arguments.value("subsampling"))
        for path in arguments.positionals {
            let image = try ImageFile.load(path, maxPixels: 1 << 40).image
            let megapixels = Double(image.width * image.height) / 1e6
            for optimize in [false, true] {
                options.optimizeHuffman = optimize
                var size = 0
                let samples = try BenchCodec.measure(path, trials: trials, minTime: minTime) {
                    size = try JPEGEncoder.encode(image, options: options).count
                }
                printer.emit(BenchCodec.row(file: path, what: optimize ? "encode optimize" : "encode",
                                            megapixels: megapixels, samples: samples, extra: [("bytes", size)]))
            }
        }
    }
}

/// `unjpeg bench png`.
enum BenchPNGCommand: Command {
    static let spec = CommandSpec(
        path: "bench png", abstract: "Measure PNG encoding (per level) and decoding speed, and the file size.",
        discussion: "Compare with the reference script png_bench.py on the same file (zlib levels 6 and 1). The encoder's bands run on each of --threads (the bytes are the same for any count; the default level is also timed with more threads).",
        positionals: [PositionalSpec(name: "files", help: "Images (PNG, JPEG, PPM).", variadic: true, optional: false)],
        options: [.value("threads", "n", help: "Comma-separated thread counts for the default level.", default: "1")]
            + BenchCodec.options)

    static func run(_ arguments: ParsedArguments) throws {
        var (trials, minTime, printer) = try BenchCodec.settings(arguments, spec: spec)
        let threadList = try BenchNet.intList(arguments.value("threads") ?? "1", option: "threads", range: 1...256, spec: spec)
        for path in arguments.positionals {
            let image = try ImageFile.load(path, maxPixels: 1 << 40).image
            let megapixels = Double(image.width * image.height) / 1e6
            let format: PNGPixelFormat = image.channels == 1 ? .gray8 : .rgb8
            var encoded: [UInt8] = []
            let runs = CompressionLevel.allCases.map { ($0, 1) }
                + threadList.filter { $0 != 1 }.map { (CompressionLevel.default, $0) }
            for (level, threads) in runs {
                let encoder = PNGEncoder(level: level)
                let runner = ImageFile.bandRunner(threads: threads)
                let samples = try BenchCodec.measure(path, trials: trials, minTime: minTime) {
                    encoded = try encoder.encode(image.pixels, width: image.width, height: image.height, format: format,
                                                 runBands: runner)
                }
                printer.emit(BenchCodec.row(file: path, what: "encode \(level)", megapixels: megapixels,
                                            samples: samples, extra: [("threads", threads), ("bytes", encoded.count)]))
            }
            let samples = try BenchCodec.measure(path, trials: trials, minTime: minTime) {
                _ = try PNGDecoder().decode(encoded)
            }
            printer.emit(BenchCodec.row(file: path, what: "decode", megapixels: megapixels, samples: samples,
                                        extra: [("bytes", encoded.count)]))
        }
    }
}
