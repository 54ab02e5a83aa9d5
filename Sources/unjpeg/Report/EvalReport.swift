import JPEGCodec

/// `eval --report DIR`: collects the run image by image — the metrics, and the crop strips
/// written at once as PNGs into `DIR/crops/` (so no image is kept in memory) — and at the end
/// writes `DIR/index.html` (``ReportPage``), which refers to the strips by relative paths.
final class EvalReport {
    /// What the run was: shown at the top of the page.
    struct Settings {
        var images: String
        var quality: Int
        var subsampling: String
        var model: String?
        var usesNetwork: Bool
    }

    /// One image of the run: its metrics and its strips (paths relative to the page).
    struct Entry {
        var result: EvalCommand.Result
        var width: Int, height: Int
        var strips: [(crop: CropFinder.Crop, file: String, width: Int, height: Int)]
    }

    static let cropSize = 48
    static let cropsFolder = "crops"

    let folder: String
    let settings: Settings
    private(set) var entries: [Entry] = []

    /// Creates `folder` and `folder/crops` and checks the page can be written there.
    init(folder: String, settings: Settings) throws {
        self.folder = folder
        self.settings = settings
        try FileSystem.createDirectories(OSPath.join(folder, Self.cropsFolder))
        try FileIO.checkOutput(OSPath.join(folder, "index.html"), binary: false)
    }

    /// Adds one image: finds its crops and writes their strips.
    func add(_ result: EvalCommand.Result, original: RasterImage, decoded: RasterImage, cleaned: RasterImage) throws {
        let finder = CropFinder(original: original, decoded: decoded, cleaned: cleaned)
        let number = entries.count + 1
        let prefix = (number < 10 ? "00" : number < 100 ? "0" : "") + String(number)
        var strips: [(crop: CropFinder.Crop, file: String, width: Int, height: Int)] = []
        for crop in finder.crops(size: Self.cropSize) {
            let strip = CropStrip.make(original: original, decoded: decoded, cleaned: cleaned, crop: crop)
            let file = Self.cropsFolder + "/" + prefix + "-" + HTMLText.slug(result.name) + "." + crop.kind.rawValue + ".png"
            try FileIO.write(try ImageFile.encode(strip, format: .png), to: OSPath.join(folder, file))
            strips.append((crop, file, strip.width, strip.height))
        }
        entries.append(Entry(result: result, width: original.width, height: original.height, strips: strips))
    }

    /// Writes `index.html` with the per-image rows and the `summaries` (group means).
    func finish(summaries: [EvalCommand.Result]) throws {
        let page = ReportPage(settings: settings, entries: entries, summaries: summaries).html()
        try FileIO.write(Array(page.utf8), to: OSPath.join(folder, "index.html"))
    }
}
