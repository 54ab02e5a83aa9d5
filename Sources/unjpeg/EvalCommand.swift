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
            .value("quality", "q", help: "JPEG quality 1…100, or a comma-separated list for a grid (50,75,85,95).", default: "85"),
            .value("subsampling", "s", help: "4:4:4, 4:2:2 or 4:2:0, or a comma-separated list.", default: "4:2:0"),
            .flag("double", help: "Also evaluate every point as a re-encode: a first JPEG at --first-quality, decoded and cropped by (3, 5) px (so the grids do not line up), then the final encode."),
            .value("first-quality", "q", help: "Quality of the first encode with --double.", default: "90"),
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

    /// One point of the evaluation grid.
    struct GridPoint {
        var quality: Int
        var subsampling: String
        /// The image was a JPEG at `firstQuality`, shifted by (3, 5) px, before the final encode.
        var double: Bool
    }

    /// The points of `--quality` × `--subsampling` (× single/double with `--double`).
    static func grid(_ arguments: ParsedArguments) throws -> [GridPoint] {
        let qualities = try (arguments.value("quality") ?? "85").split(separator: ",", omittingEmptySubsequences: false).map { text -> Int in
            guard let q = Int(text), (1...100).contains(q) else {
                throw UsageError("The value '\(text)' is invalid for '--quality': expected integers in 1…100, comma-separated.", command: spec)
            }
            return q
        }
        let samplings = try (arguments.value("subsampling") ?? "4:2:0").split(separator: ",", omittingEmptySubsequences: false).map { text -> String in
            _ = try CompressCommand.subsampling(String(text))
            return String(text)
        }
        guard !qualities.isEmpty, !samplings.isEmpty else {
            throw UsageError("--quality and --subsampling need at least one value each.", command: spec)
        }
        let doubles = arguments.flag("double") ? [false, true] : [false]
        return qualities.flatMap { q in samplings.flatMap { s in doubles.map { GridPoint(quality: q, subsampling: s, double: $0) } } }
    }

    /// The JPEG of `original` at `point`, and the original it is compared with. A double JPEG
    /// is a first JPEG of the original at `firstQuality` 4:2:0, decoded and cropped by (3, 5) px,
    /// so the final encode's grid is shifted against the first's; it is compared with the
    /// original cropped the same way.
    static func degrade(_ original: RasterImage, at point: GridPoint, firstQuality: Int) throws -> (RasterImage, [UInt8]) {
        let final = Degradation(quality: point.quality, subsampling: try CompressCommand.subsampling(point.subsampling))
        guard point.double, original.width > 16, original.height > 16 else { return (original, try final.encode(original)) }
        let first = Degradation(quality: firstQuality, subsampling: .yuv420)
        let upload = try JPEGDecoder.decode(try first.encode(original)).image
            .cropped(x: 3, y: 5, width: original.width - 3, height: original.height - 5)
        let shifted = original.cropped(x: 3, y: 5, width: original.width - 3, height: original.height - 5)
        return (shifted, try final.encode(upload))
    }

    static func run(_ arguments: ParsedArguments) throws {
        let folder = try arguments.required("images", command: spec)
        let points = try grid(arguments)
        let firstQuality = try arguments.int("first-quality", default: 90, in: 1...100, command: spec)
        let threads = try arguments.int("threads", default: FileSystem.processorCount, in: 1...256, command: spec)
        let model = try ModelOptions.load(arguments, command: spec)
        let single = points.count == 1
        if !single && (arguments.value("compare") != nil || arguments.value("report") != nil) {
            throw UsageError("--compare and --report take one quality and subsampling, not a grid.", command: spec)
        }
        let compare = arguments.value("compare")
        if let compare { try FileSystem.createDirectories(compare) }
        let report = try arguments.value("report").map {
            try EvalReport(folder: $0, settings: EvalReport.Settings(
                images: folder, quality: points[0].quality, subsampling: points[0].subsampling,
                model: arguments.value("model"), usesNetwork: model.usesNetwork))
        }
        let names = try TrainingImages.list(folder)
        var printer = BenchPrinter(json: arguments.flag("json"))
        var gridRows: [BenchRow] = []
        // The originals' PNG sizes, the same at every quality (once per image, and per crop for --double).
        var originalPNGBytes: [String: Int] = [:]
        let progress = ProgressBar(label: "eval", total: names.count * points.count)
        var done = 0
        for point in points {
            var results: [Result] = []
            for path in names {
                let loaded = try TrainingImages.load(path)
                let (original, jpegBytes) = try degrade(loaded, at: point, firstQuality: firstQuality)
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
                let key = "\(point.double) \(path)"
                let pngOriginal = try originalPNGBytes[key] ?? ImageFile.encode(original, format: .png).count
                originalPNGBytes[key] = pngOriginal
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
                done += 1
                progress.finish()
                if single || arguments.flag("json") { printer.emit(gridRow(row(result), point, single: single)) }
                progress.update(done)
                if let compare {
                    let sheet = ComparisonSheet.make(original: original, decoded: decoded.image, cleaned: cleaned)
                    try FileIO.write(try ImageFile.encode(sheet, format: .png),
                                     to: OSPath.join(compare, name + ".compare.png"))
                }
                try report?.add(result, original: original, decoded: decoded.image, cleaned: cleaned)
            }
            progress.finish()
            let summaries = summaries(results)
            let worse = results.filter { $0.psnrClean < $0.psnrDecode }.count
            for summary in summaries {
                var r = gridRow(row(summary), point, single: single)
                if !single { r.fields.append(("worse", summary.name == "mean, all" ? worse : 0)) }
                if single || arguments.flag("json") { printer.emit(r) } else { gridRows.append(r) }
            }
            if let report {
                try report.finish(summaries: summaries)
                Terminal.writeError("report: \(OSPath.join(report.folder, "index.html"))\n")
            }
            if let worst = results.min(by: { $0.psnrClean - $0.psnrDecode < $1.psnrClean - $1.psnrDecode }) {
                let at = single ? "" : " at q\(point.quality) \(point.subsampling)\(point.double ? " double" : "")"
                Terminal.writeError("worst image\(at): \(worst.name) (\(NumberFormat.c("%+.2f", worst.psnrClean - worst.psnrDecode)) dB)\n")
            }
        }
        // A grid: one table of the group means, a row per point and group.
        for r in gridRows { printer.emit(r) }
    }

    /// `row` with the grid point's columns in front (nothing added for a single point).
    static func gridRow(_ row: BenchRow, _ point: GridPoint, single: Bool) -> BenchRow {
        guard !single else { return row }
        var r = row
        let columns: [(String, Any)] = [("quality", point.quality), ("subsampling", point.subsampling),
                                        ("double", point.double)]
        r.fields.insert(contentsOf: columns, at: 0)
        return r
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
