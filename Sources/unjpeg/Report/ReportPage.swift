#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The HTML of `eval --report`: one self-contained page (inline CSS, an inline sorting
/// script, an inline SVG chart; the crop strips are PNG files beside it, referred to by
/// relative paths), so it opens from disk in any browser without a network.
struct ReportPage {
    let settings: EvalReport.Settings
    let entries: [EvalReport.Entry]
    let summaries: [EvalCommand.Result]

    /// Column headings, explanations and number formats by the keys of ``EvalCommand/row(_:)``.
    static let columns: [String: (heading: String, help: String, format: String)] = [
        "image": ("image", "The image's name; click to see its crops.", ""),
        "psnr_jpeg_db": ("PSNR JPEG", "RGB PSNR of the plain decode, dB.", "%.2f"),
        "psnr_clean_db": ("PSNR cleaned", "RGB PSNR of the cleaned image, dB.", "%.2f"),
        "gain_db": ("gain dB", "PSNR cleaned − PSNR JPEG.", "%+.2f"),
        "ssim_jpeg": ("SSIM JPEG", "SSIM on luma of the plain decode.", "%.4f"),
        "ssim_clean": ("SSIM cleaned", "SSIM on luma of the cleaned image.", "%.4f"),
        "white_off_jpeg_pct": ("white off JPEG %", "Share of pure-white pixels that are not exactly white in the decode.", "%.2f"),
        "white_off_clean_pct": ("white off cleaned %", "Share of pure-white pixels that are not exactly white after cleaning.", "%.2f"),
        "flat_kept_jpeg": ("flat kept JPEG", "Of the equal neighbour pairs of the original, the share still equal in the decode.", "%.4f"),
        "flat_kept_clean": ("flat kept cleaned", "Of the equal neighbour pairs of the original, the share still equal after cleaning.", "%.4f"),
        "far_kept_jpeg": ("far kept JPEG", "As flat kept, only pairs at least 9 px from any unequal pair (decode).", "%.4f"),
        "far_kept_clean": ("far kept cleaned", "As flat kept, only pairs at least 9 px from any unequal pair (cleaned).", "%.4f"),
        "png_ratio": ("PNG ratio", "PNG size of the cleaned image over the original's.", "%.3f"),
        "s_per_mp": ("s/MP", "Wall-clock seconds of cleaning per megapixel.", "%.2f"),
        "cpu_s": ("CPU s", "CPU seconds of cleaning (all threads); for a group, the total.", "%.2f"),
    ]

    /// The table's fields of one result: `eval`'s row plus the CPU time.
    static func fields(_ result: EvalCommand.Result) -> [(String, Any)] {
        EvalCommand.row(result).fields + [("cpu_s", result.cpuSeconds)]
    }

    static func anchor(_ index: Int) -> String { "image-\(index + 1)" }

    /// `value` as table text, and as the number the sorting script compares (nil: no value).
    static func cell(_ key: String, _ value: Any) -> (text: String, number: Double?) {
        switch value {
        case let d as Double where d.isFinite:
            let format = columns[key]?.format ?? ""
            return (format.isEmpty ? BenchPrinter.format(d) : NumberFormat.c(format, d), d)
        case let d as Double: return (d > 0 ? "∞" : "-", d > 0 ? 1e300 : nil)
        case let i as Int: return (String(i), Double(i))
        case is JSONNull: return ("-", nil)
        default: return (HTMLText.escape("\(value)"), nil)
        }
    }

    func html() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>unjpeg eval report</title>
        <style>\(Self.style)</style>
        </head>
        <body>
        <h1>unjpeg eval</h1>

        """
        out += "<p class=\"settings\">\(entries.count) image\(entries.count == 1 ? "" : "s") from <code>\(HTMLText.escape(settings.images))</code>"
            + " · compressed like Pillow at quality \(settings.quality), \(HTMLText.escape(settings.subsampling))"
            + " · model <code>\(HTMLText.escape(settings.model ?? "bundled"))</code>\(settings.usesNetwork ? "" : " without the network")</p>\n"
        out += "<nav><a href=\"#gains\">gain chart</a> · <a href=\"#table\">table</a> · <a href=\"#crops\">crops</a></nav>\n"
        out += "<h2 id=\"gains\">PSNR gain per image</h2>\n"
        out += GainChart(bars: entries.enumerated().map { index, entry in
            (entry.result.name, entry.result.psnrClean - entry.result.psnrDecode, Self.anchor(index))
        }).svg() + "\n"
        out += table()
        out += "<h2 id=\"crops\">Crops</h2>\n<p class=\"note\">Each strip: the same crop of the original, the JPEG decode and the cleaned"
            + " image, then |error| × 4 (per channel, black where exact) for the JPEG and for the cleaned image;"
            + " magnified by an integer factor, nearest neighbour.</p>\n"
        for (index, entry) in entries.enumerated() { out += section(index, entry) }
        out += "<script>\(Self.script)</script>\n</body>\n</html>\n"
        return out
    }

    private func table() -> String {
        guard let first = entries.first.map({ Self.fields($0.result) }) ?? summaries.first.map(Self.fields) else {
            return "<h2 id=\"table\">Results</h2>\n<p>No images.</p>\n"
        }
        var out = "<h2 id=\"table\">Results</h2>\n<p class=\"note\">Click a heading to sort the images by it (again to reverse).</p>\n"
        out += "<table class=\"results\">\n<thead><tr>"
        for (key, _) in first {
            let column = Self.columns[key]
            out += "<th title=\"\(HTMLText.escape(column?.help ?? key))\">\(HTMLText.escape(column?.heading ?? key))</th>"
        }
        out += "</tr></thead>\n<tbody class=\"images\">\n"
        for (index, entry) in entries.enumerated() {
            out += row(Self.fields(entry.result), link: Self.anchor(index), rowClass: "image")
        }
        out += "</tbody>\n<tbody class=\"groups\">\n"
        for summary in summaries { out += row(Self.fields(summary), link: nil, rowClass: "group") }
        return out + "</tbody>\n</table>\n"
    }

    private func row(_ fields: [(String, Any)], link: String?, rowClass: String) -> String {
        var out = "<tr class=\"\(rowClass)\">"
        for (key, value) in fields {
            if key == "image" {
                let name = HTMLText.escape(value as? String ?? "")
                out += link.map { "<td class=\"name\"><a href=\"#\($0)\">\(name)</a></td>" } ?? "<td class=\"name\">\(name)</td>"
                continue
            }
            let (text, number) = Self.cell(key, value)
            var classes: [String] = []
            if key == "gain_db", let number { classes.append(number < 0 ? "worse" : "better") }
            let sortValue = number.map { NumberFormat.c("%.17g", $0) } ?? ""
            out += "<td data-v=\"\(sortValue)\"\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>\(text)</td>"
        }
        return out + "</tr>\n"
    }

    private func section(_ index: Int, _ entry: EvalReport.Entry) -> String {
        let r = entry.result
        let gain = r.psnrClean - r.psnrDecode
        var out = "<section class=\"image\" id=\"\(Self.anchor(index))\">\n"
        out += "<h3>\(HTMLText.escape(r.name)) <span class=\"\(gain < 0 ? "worse" : "better")\">\(NumberFormat.c("%+.2f", gain)) dB</span></h3>\n"
        out += "<p class=\"note\">\(entry.width)×\(entry.height) px · PSNR \(NumberFormat.c("%.2f", r.psnrDecode)) → "
            + "\(NumberFormat.c("%.2f", r.psnrClean)) dB · SSIM \(NumberFormat.c("%.4f", r.ssimDecode)) → \(NumberFormat.c("%.4f", r.ssimClean))</p>\n"
        for strip in entry.strips {
            let c = strip.crop
            let zoom = CropStrip.zoom(for: c.size)
            out += "<figure>\n<figcaption>\(HTMLText.escape(c.title)): \(c.size)×\(c.size) px at (\(c.x), \(c.y)), ×\(zoom) · "
                + "PSNR here \(Self.psnr(c.mseDecode)) → \(Self.psnr(c.mseClean)) dB</figcaption>\n"
            out += "<img src=\"\(HTMLText.urlPath(strip.file))\" width=\"\(strip.width)\" height=\"\(strip.height)\""
                + " alt=\"\(HTMLText.escape(r.name + ": " + c.title))\">\n</figure>\n"
        }
        return out + "</section>\n"
    }

    /// PSNR in dB of a mean squared error (8-bit samples).
    static func psnr(_ mse: Double) -> String {
        mse <= 0 ? "∞" : NumberFormat.c("%.2f", 10 * log10(255 * 255 / mse))
    }

    static let style = """

    body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fafafa; }
    h1 { margin-bottom: 0.2em; }
    code { font-size: 13px; }
    .note, .settings { color: #555; }
    table.results { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    table.results th { background: #e4e4e4; cursor: pointer; position: sticky; top: 0; padding: 4px 6px; font-weight: 600; }
    table.results th.asc::after { content: " ▲"; } table.results th.desc::after { content: " ▼"; }
    table.results td { padding: 2px 6px; text-align: right; border-bottom: 1px solid #e0e0e0; }
    table.results td.name { text-align: left; min-width: 9em; max-width: 22em; overflow-wrap: break-word; }
    table.results tbody.groups td { font-weight: 600; background: #eef3f8; }
    table.results tbody.groups tr:first-child td { border-top: 2px solid #888; }
    .worse { color: #c62828; font-weight: 600; } .better { color: #2e7d32; }
    svg.chart text { font: 12px system-ui, sans-serif; } svg.chart .axis { fill: #555; }
    svg.chart a:hover rect { opacity: 0.7; }
    section.image { margin-top: 1.5em; }
    figure { margin: 0.5em 0 1em 0; } figcaption { color: #444; margin-bottom: 2px; }
    img { image-rendering: pixelated; image-rendering: crisp-edges; display: block; max-width: none; }

    """

    /// Sorts the images' rows by the clicked column: numbers by `data-v` (no value last),
    /// names as text; a second click reverses.
    static let script = """

    document.querySelectorAll('table.results th').forEach(function (th, column) {
      th.addEventListener('click', function () {
        var body = th.closest('table').querySelector('tbody.images');
        var descending = th.classList.contains('asc');
        th.parentNode.querySelectorAll('th').forEach(function (h) { h.classList.remove('asc', 'desc'); });
        th.classList.add(descending ? 'desc' : 'asc');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column], order;
          if (x.hasAttribute('data-v')) {
            var p = x.getAttribute('data-v'), q = y.getAttribute('data-v');
            if (p === '' || q === '') return (p === '') - (q === '');
            order = parseFloat(p) - parseFloat(q);
          } else {
            order = x.textContent.localeCompare(y.textContent);
          }
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });

    """
}
