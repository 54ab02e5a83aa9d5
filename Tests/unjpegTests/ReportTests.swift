import Testing
import Foundation
import JPEGCodec
@testable import unjpeg

/// `unjpeg eval --report`: the page's structure, run through the real binary on names that
/// need escaping, and the pieces it is made of.
@Suite struct ReportTests {
    /// The values of `attribute="…"` in `html`, in order.
    static func attributeValues(_ attribute: String, in html: String) -> [String] {
        var values: [String] = []
        var rest = Substring(html)
        while let start = rest.range(of: " \(attribute)=\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            values.append(String(rest[..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return values
    }

    static func count(_ needle: String, in html: String) -> Int {
        html.components(separatedBy: needle).count - 1
    }

    @Test func reportPageHasEveryImageAndEveryCropFileExists() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let images = folder.appendingPathComponent("imgs")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        _ = try SafetyTests.makeJPEG("plain", in: images, width: 64, height: 40)
        _ = try SafetyTests.makeModel(in: folder)
        // A name with every HTML special character, one with a byte that is not UTF-8, and
        // a screenshot (its own group).
        let run = try CLI.shell("""
            cp imgs/plain.jpg "imgs/a<b>&\\"q'.jpg" && cp imgs/plain.jpg $'imgs/c\\xff.jpg' && cp imgs/plain.jpg imgs/screen_x.jpg
            "$UNJPEG" eval --images imgs --model tiny.unjm --threads 1 --report out --compare cmp
            """, in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("report: out/index.html"))
        let out = folder.appendingPathComponent("out")
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))

        // Every image has its row (and its bar, and its section), and the groups theirs.
        #expect(Self.count("<tr class=\"image\">", in: html) == 4)
        #expect(Self.count("<g class=\"bar\">", in: html) == 4)
        #expect(Self.count("<section class=\"image\"", in: html) == 4)
        #expect(Self.count("<tr class=\"group\">", in: html) == 3)
        for name in ["plain", "screen_x", "a&lt;b&gt;&amp;&quot;q&#39;", "c\u{FFFD}"] {
            #expect(html.contains(">\(name)</a></td>"), "row of \(name)")
        }
        // No name is written unescaped, and nothing is loaded from elsewhere.
        #expect(!html.contains("a<b>"))
        #expect(!html.contains("src=\"http") && !html.contains("<script src") && !html.contains("<link"))

        // Every crop file referenced exists, is a PNG, and lies inside the report's folder;
        // every file written is referenced.
        let sources = Self.attributeValues("src", in: html)
        #expect(sources.count >= 8)
        for source in sources {
            #expect(!source.hasPrefix("/") && !source.contains(".."), "\(source)")
            let path = out.appendingPathComponent(source.removingPercentEncoding ?? source).path
            let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
            #expect(Array(bytes.prefix(8)) == SafetyTests.pngSignature, "\(source)")
        }
        let written = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("crops").path)
        #expect(Set(written.map { "crops/" + $0 }) == Set(sources))
        // Every link inside the page has its target.
        for href in Self.attributeValues("href", in: html) {
            #expect(href.hasPrefix("#"), "\(href)")
            #expect(html.contains("id=\"\(href.dropFirst())\""), "\(href)")
        }
        // --compare: one sheet per image, names as on disk.
        #expect(try SafetyTests.names(folder.appendingPathComponent("cmp")).count == 4)
    }

    @Test func namesAreEscapedForHTMLAndURLs() {
        #expect(HTMLText.escape("a<b>&\"c'd") == "a&lt;b&gt;&amp;&quot;c&#39;d")
        #expect(HTMLText.escape(OSPath.decode([0x78, 0xFF, 0x01])) == "x\u{FFFD}\u{FFFD}")
        #expect(HTMLText.urlPath("crops/a b%#?.png") == "crops/a%20b%25%23%3F.png")
        #expect(HTMLText.urlPath(OSPath.decode([0xC3, 0xA9, 0xFF])) == "%C3%A9%FF")
        #expect(HTMLText.slug(OSPath.decode(Array("ab<\u{E9}".utf8) + [0xFF])) == "ab____")
    }

    @Test func cropsFindTheErrorsAndStripsAreLabelled() {
        // A flat gray image; the "decode" is off by 10 in the top-left, the "cleaned" by 20
        // at the bottom right.
        let w = 64, h = 48
        let original = RasterImage(width: w, height: h, channels: 3, pixels: [UInt8](repeating: 128, count: w * h * 3))
        var decoded = original, cleaned = original
        for y in 0..<8 { for x in 0..<8 { for k in 0..<3 { decoded.pixels[(y * w + x) * 3 + k] = 138 } } }
        for y in 40..<48 { for x in 56..<64 { for k in 0..<3 { cleaned.pixels[(y * w + x) * 3 + k] = 148 } } }
        let crops = CropFinder(original: original, decoded: decoded, cleaned: cleaned).crops(size: 16)
        #expect(crops.map(\.kind) == [.worst, .gain])
        #expect(crops[0].x == 48 && crops[0].y == 32 && crops[0].mseDecode == 0)
        #expect(crops[1].x == 0 && crops[1].y == 0 && crops[1].mseClean == 0)
        let strip = CropStrip.make(original: original, decoded: decoded, cleaned: cleaned, crop: crops[0])
        let zoom = CropStrip.zoom(for: 16)
        #expect(zoom == 8 && strip.width == CropStrip.gap + 5 * (16 * zoom + CropStrip.gap))
        // The labels put ink on the gray above the panels.
        let labelRows = strip.pixels[0..<(strip.width * 3 * 24)]
        #expect(labelRows.contains(Canvas.ink.r))
        #expect(BitmapFont.wrap("|error|×4 cleaned", maxWidth: 100, scale: 2) == ["|error|×4", "cleaned"])
        for character in "ABCXYZabcxyz0123456789|× " { #expect(BitmapFont.glyphs[character] != nil) }
    }

    @Test func aWorseImageHasARedBarLeftOfZero() {
        let svg = GainChart(bars: [("good", 2.0, "image-1"), ("bad<", -0.5, "image-2")]).svg()
        let bars = svg.components(separatedBy: "<g class=\"bar\">").dropFirst()
        #expect(bars.count == 2)
        #expect(bars.first!.contains("fill=\"#2e7d32\"") && bars.last!.contains("fill=\"#c62828\""))
        #expect(bars.last!.contains(">bad&lt;</text>") && bars.last!.contains(">-0.50</text>"))
        // The red bar ends at the zero line; the green one starts there.
        let rects = ReportTests.attributeValues("x", in: svg.replacingOccurrences(of: "<text x=", with: "<text tx="))
        let widths = ReportTests.attributeValues("width", in: svg).dropFirst().map { Double($0)! }
        let zero = Double(rects[0])!
        #expect(abs(Double(rects[1])! + widths[1] - zero) < 0.2)
        #expect(widths[0] > 3 * widths[1])
    }
}
