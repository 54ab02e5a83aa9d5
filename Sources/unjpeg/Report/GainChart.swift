/// The report's inline SVG bar chart of the PSNR gain per image: one horizontal bar per image
/// from a zero line, green to the right for a gain and red to the left for a loss, so an image
/// that got worse stands out. Each bar links to the image's crops.
struct GainChart {
    /// (name, gain in dB, anchor of the image's section)
    var bars: [(name: String, gain: Double, anchor: String)]

    static let labelWidth = 220.0, barWidth = 420.0, valueWidth = 70.0, rowHeight = 18.0

    func svg() -> String {
        let gains = bars.map { $0.gain.isFinite ? $0.gain : 0 }
        let high = max(gains.max() ?? 0, 0), low = min(gains.min() ?? 0, 0)
        let span = max(high - low, 0.05)
        let zero = Self.labelWidth + Self.valueWidth + Self.barWidth * (-low / span)
        let width = Self.labelWidth + 2 * Self.valueWidth + Self.barWidth
        let height = Self.rowHeight * Double(bars.count) + 24
        func f(_ v: Double) -> String { NumberFormat.c("%.1f", v) }
        var out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\""
            + " viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"PSNR gain per image\">\n"
        for (index, bar) in bars.enumerated() {
            let gain = gains[index]
            let y = Double(index) * Self.rowHeight
            let length = Self.barWidth * abs(gain) / span
            let x = gain >= 0 ? zero : zero - length
            let colour = gain >= 0 ? "#2e7d32" : "#c62828"
            let value = NumberFormat.c("%+.2f", gain)
            let valueX = gain >= 0 ? x + length + 4 : x - 4
            let anchor = gain >= 0 ? "start" : "end"
            var name = bar.name
            if name.count > 32 { name = String(name.prefix(31)) + "…" }
            out += "<a href=\"#\(HTMLText.escape(bar.anchor))\"><g class=\"bar\">"
                + "<title>\(HTMLText.escape(bar.name)): \(value) dB</title>"
                + "<text x=\"\(f(Self.labelWidth - 6))\" y=\"\(f(y + 13))\" text-anchor=\"end\">\(HTMLText.escape(name))</text>"
                + "<rect x=\"\(f(x))\" y=\"\(f(y + 3))\" width=\"\(f(max(length, 1)))\" height=\"\(f(Self.rowHeight - 6))\" fill=\"\(colour)\"/>"
                + "<text x=\"\(f(valueX))\" y=\"\(f(y + 13))\" text-anchor=\"\(anchor)\" fill=\"\(colour)\">\(value)</text>"
                + "</g></a>\n"
        }
        let bottom = Self.rowHeight * Double(bars.count)
        out += "<line x1=\"\(f(zero))\" y1=\"0\" x2=\"\(f(zero))\" y2=\"\(f(bottom + 4))\" stroke=\"#555\"/>\n"
        out += "<text x=\"\(f(zero))\" y=\"\(f(bottom + 18))\" text-anchor=\"middle\" class=\"axis\">0 dB (the JPEG)</text>\n"
        return out + "</svg>"
    }
}
