import Cleaner
import JPEGCodec

/// `unjpeg eval`: how much closer to the originals the cleaner gets, on a folder of clean images.
enum EvalCommand: Command {
    static let spec = CommandSpec(
        path: "eval",
        abstract: "Compress clean images as Twitter would, clean them, and report PSNR, SSIM and kept whites.",
        discussion: """
        For every PNG (or PPM) in the folder: encode it like Pillow at --quality and --subsampling, decode
        it (the plain decode), clean that, and compare both with the original: RGB PSNR (dB), SSIM on
        luma, the share of pure-white (255,255,255) pixels that do not stay exactly white, flat kept
        (of the horizontally adjacent pixel pairs equal in the original, the share still equal; "far":
        only pairs at least 9 px from any unequal pair), and the cleaned PNG's size over the
        original's. Images whose
        names start with 'screen' are summarised apart from the others (photos and art).
        """,
        options: [
            .value("images", "folder", help: "A folder of clean images.", required: true),
            .value("quality", "q", help: "JPEG quality 1…100.", default: "85"),
            .value("subsampling", "s", help: "4:4:4, 4:2:2 or 4:2:0.", default: "4:2:0"),
        ] + ModelOptions.specs + [
            .value("compare", "folder", help: "Also write side-by-side PNGs (original | JPEG | cleaned) there."),
            .value("report", "folder", help: "Also write an HTML report there (index.html: table, gain chart, zoomed crops)."),
            .value("threads", "n", help: "Threads for the network (default: the cores available)."),
            .flag("json", help: "Print one JSON object per image and per summary."),
        ])

    struct Result {
        var name: String
        var psnrDecode: Double, psnrClean: Double
        var ssimDecode: Double, ssimClean: Double
        var whiteTotal: Int, whiteKeptDecode: Int, whiteKeptClean: Int
        /// Equal neighbour pairs of the original, and far from edges (``Metrics/flatKept``), and
        /// how many of each the decode and the cleaned image keep.
        var flatPairs: Int, flatKeptDecode: Int, flatKeptClean: Int
        var farPairs: Int, farKeptDecode: Int, farKeptClean: Int
        /// PNG bytes (unjpeg's default level) of the original and of the cleaned image.
        var pngOriginal: Int, pngClean: Int
        var megapixels: Double
        var seconds: Double
        /// CPU seconds of the cleaning (all threads).
        var cpuSeconds: Double = 0
    }

    static func run(_ arguments: ParsedArguments) throws {
        let folder = try arguments.required("images", command: spec)
        let quality = try arguments.int("quality", default: 85, in: 1...100, command: spec)
        let subsampling = try CompressCommand.subsampling(arguments.value("subsampling"))
        let threads = try arguments.int("threads", default: FileSystem.processorCount, in: 1...256, command: spec)
        let model = try ModelOptions.load(arguments, command: spec)
        let compare = arguments.value("compare")
        if let compare { try FileSystem.createDirectories(compare) }
        let report = try arguments.value("report").map {
            try EvalReport(folder: $0, settings: EvalReport.Settings(
                images: folder, quality: quality, subsampling: arguments.value("subsampling") ?? "4:2:0",
                model: arguments.value("model"), usesNetwork: model.usesNetwork))
        }
        let names = try TrainingImages.list(folder)
        let degradation = Degradation(quality: quality, subsampling: subsampling)
        var printer = BenchPrinter(json: arguments.flag("json"))
        var results: [Result] = []
        let progress = ProgressBar(label: "eval", total: names.count)
        for (index, path) in names.enumerated() {
            let original = try TrainingImages.load(path)
            let jpegBytes = try degradation.encode(original)
            let decoded = try JPEGDecoder.decode(jpegBytes)
            let start = ContinuousClock.now, cpuStart = Bench.processCPUSeconds()
            let cleaned = model.clean(CleanerInput(decoded), threads: threads)
            let seconds = (ContinuousClock.now - start).seconds
            let cpuSeconds = Bench.processCPUSeconds() - cpuStart
            let wd = Metrics.whiteKept(original: original, result: decoded.image)
            let wc = Metrics.whiteKept(original: original, result: cleaned)
            let name = OSPath.stem(path)
            let fd = Metrics.flatKept(original: original, result: decoded.image)
            let fc = Metrics.flatKept(original: original, result: cleaned)
            let pngOriginal = try ImageFile.encode(original, format: .png).count
            let pngClean = try ImageFile.encode(cleaned, format: .png).count
            let result = Result(name: name,
                                psnrDecode: Metrics.psnr(original, decoded.image), psnrClean: Metrics.psnr(original, cleaned),
                                ssimDecode: Metrics.ssim(original, decoded.image), ssimClean: Metrics.ssim(original, cleaned),
                                whiteTotal: wd.total, whiteKeptDecode: wd.kept, whiteKeptClean: wc.kept,
                                flatPairs: fd.pairs, flatKeptDecode: fd.kept, flatKeptClean: fc.kept,
                                farPairs: fd.farPairs, farKeptDecode: fd.farKept, farKeptClean: fc.farKept,
                                pngOriginal: pngOriginal, pngClean: pngClean,
                                megapixels: Double(original.width * original.height) / 1e6, seconds: seconds,
                                cpuSeconds: cpuSeconds)
            results.append(result)
            progress.finish()
            printer.emit(row(result))
            progress.update(index + 1)
            if let compare {
                let sheet = ComparisonSheet.make(original: original, decoded: decoded.image, cleaned: cleaned)
                try FileIO.write(try ImageFile.encode(sheet, format: .png),
                                 to: OSPath.join(compare, name + ".compare.png"))
            }
            try report?.add(result, original: original, decoded: decoded.image, cleaned: cleaned)
        }
        progress.finish()
        let summaries = summaries(results)
        for summary in summaries { printer.emit(row(summary)) }
        if let report {
            try report.finish(summaries: summaries)
            Terminal.writeError("report: \(OSPath.join(report.folder, "index.html"))\n")
        }
        if !results.isEmpty {
            let worst = results.min { $0.psnrClean - $0.psnrDecode < $1.psnrClean - $1.psnrDecode }!
            Terminal.writeError("worst image: \(worst.name) (\(NumberFormat.c("%+.2f", worst.psnrClean - worst.psnrDecode)) dB)\n")
        }
    }

    /// The means of all images, of photos and art, and of screenshots (groups with members).
    static func summaries(_ results: [Result]) -> [Result] {
        let groups: [(String, [Result])] = [
            ("mean, all", results),
            ("mean, photos and art", results.filter { !$0.name.hasPrefix("screen") }),
            ("mean, screenshots", results.filter { $0.name.hasPrefix("screen") }),
        ]
        return groups.filter { !$0.1.isEmpty }.map { label, members in
            let n = Double(members.count)
            let mean = Result(name: label,
                              psnrDecode: members.map(\.psnrDecode).reduce(0, +) / n,
                              psnrClean: members.map(\.psnrClean).reduce(0, +) / n,
                              ssimDecode: members.map(\.ssimDecode).reduce(0, +) / n,
                              ssimClean: members.map(\.ssimClean).reduce(0, +) / n,
                              whiteTotal: members.map(\.whiteTotal).reduce(0, +),
                              whiteKeptDecode: members.map(\.whiteKeptDecode).reduce(0, +),
                              whiteKeptClean: members.map(\.whiteKeptClean).reduce(0, +),
                              flatPairs: members.map(\.flatPairs).reduce(0, +),
                              flatKeptDecode: members.map(\.flatKeptDecode).reduce(0, +),
                              flatKeptClean: members.map(\.flatKeptClean).reduce(0, +),
                              farPairs: members.map(\.farPairs).reduce(0, +),
                              farKeptDecode: members.map(\.farKeptDecode).reduce(0, +),
                              farKeptClean: members.map(\.farKeptClean).reduce(0, +),
                              pngOriginal: members.map(\.pngOriginal).reduce(0, +),
                              pngClean: members.map(\.pngClean).reduce(0, +),
                              megapixels: members.map(\.megapixels).reduce(0, +),
                              seconds: members.map(\.seconds).reduce(0, +),
                              cpuSeconds: members.map(\.cpuSeconds).reduce(0, +))
            return mean
        }
    }

    static func row(_ r: Result) -> BenchRow {
        func share(_ kept: Int, _ total: Int) -> Any { total == 0 ? JSONNull() : Double(kept) / Double(total) as Any }
        func offWhite(_ kept: Int) -> Any { r.whiteTotal == 0 ? JSONNull() : 100 * Double(r.whiteTotal - kept) / Double(r.whiteTotal) as Any }
        return BenchRow(fields: [
            ("image", r.name),
            ("psnr_jpeg_db", r.psnrDecode), ("psnr_clean_db", r.psnrClean),
            ("gain_db", r.psnrClean - r.psnrDecode),
            ("ssim_jpeg", r.ssimDecode), ("ssim_clean", r.ssimClean),
            ("white_off_jpeg_pct", offWhite(r.whiteKeptDecode)), ("white_off_clean_pct", offWhite(r.whiteKeptClean)),
            ("flat_kept_jpeg", share(r.flatKeptDecode, r.flatPairs)), ("flat_kept_clean", share(r.flatKeptClean, r.flatPairs)),
            ("far_kept_jpeg", share(r.farKeptDecode, r.farPairs)), ("far_kept_clean", share(r.farKeptClean, r.farPairs)),
            ("png_ratio", Double(r.pngClean) / Double(max(r.pngOriginal, 1))),
            ("s_per_mp", r.seconds / max(r.megapixels, 1e-9)),
        ])
    }
}
