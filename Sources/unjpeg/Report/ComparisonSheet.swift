import JPEGCodec

/// Side-by-side comparison pictures for `eval --compare`.
enum ComparisonSheet {
    static let gap = 12

    /// original | JPEG | cleaned in a row, each labelled, and below them the 64×64 region where
    /// the cleaner changed the decode most, magnified up to 4× (nearest neighbour), in the same
    /// order; panels are separated by a gray gap so white images do not run together.
    static func make(original: RasterImage, decoded: RasterImage, cleaned: RasterImage) -> RasterImage {
        let w = original.width, h = original.height, c = original.channels
        let crop = min(64, w, h), zoom = max(1, min(4, w / max(crop, 1)))
        // The crop with the largest absolute change (on a 16-px grid).
        var best = (x: 0, y: 0, score: -1)
        for y in stride(from: 0, through: h - crop, by: 16) {
            for x in stride(from: 0, through: w - crop, by: 16) {
                var score = 0
                for yy in y..<(y + crop) {
                    for i in (yy * w + x) * c..<(yy * w + x + crop) * c {
                        score += abs(Int(cleaned.pixels[i]) - Int(decoded.pixels[i]))
                    }
                }
                if score > best.score { best = (x, y, score) }
            }
        }
        let titles = ["original", "JPEG", "cleaned"]
        let zoomTitle = "×\(zoom) where cleaning changed most"
        let scale = titles.allSatisfy({ BitmapFont.width($0, scale: 2) <= w }) ? 2 : 1
        let lineHeight = BitmapFont.height(scale: scale) + 3
        let wrapped = titles.map { BitmapFont.wrap($0, maxWidth: w, scale: scale) }
        let zoomWrapped = BitmapFont.wrap(zoomTitle, maxWidth: 3 * w + 2 * gap, scale: scale)
        let labelHeight = (wrapped.map(\.count).max() ?? 1) * lineHeight
        let top = gap + labelHeight + gap / 2
        let cropTop = top + h + gap + zoomWrapped.count * lineHeight + gap / 2
        var canvas = Canvas(width: 3 * w + 4 * gap, height: cropTop + crop * zoom + gap)
        for (panel, image) in [original, decoded, cleaned].enumerated() {
            let left = gap + panel * (w + gap)
            for (line, text) in wrapped[panel].enumerated() {
                canvas.text(text, at: left, gap + line * lineHeight, scale: scale)
            }
            canvas.paste(image, at: left, top)
            canvas.paste(image, sx: best.x, sy: best.y, w: min(crop, w / zoom), h: crop, at: left, cropTop, zoom: zoom)
        }
        for (line, text) in zoomWrapped.enumerated() {
            canvas.text(text, at: gap, top + h + gap + line * lineHeight, scale: scale)
        }
        return canvas.image
    }
}
