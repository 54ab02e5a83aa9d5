import JPEGCodec

/// One labelled strip of the report: the same crop of the original, the JPEG decode and the
/// cleaned image, then the absolute error of the JPEG and of the cleaned image times 4 (per
/// channel, black where exact), each magnified by an integer zoom with nearest neighbour.
enum CropStrip {
    static let labels = ["original", "JPEG", "cleaned", "|error|×4 JPEG", "|error|×4 cleaned"]
    static let gap = 8, labelScale = 2, errorGain = 4

    /// The zoom for a crop of side `size`: panels about 192 px wide, 1…8×.
    static func zoom(for size: Int) -> Int { max(1, min(8, 192 / max(size, 1))) }

    static func make(original: RasterImage, decoded: RasterImage, cleaned: RasterImage,
                     crop: CropFinder.Crop) -> RasterImage {
        let zoom = zoom(for: crop.size), panel = crop.size * zoom
        let wrapped = labels.map { BitmapFont.wrap($0, maxWidth: panel, scale: labelScale) }
        let lineHeight = BitmapFont.height(scale: labelScale) + 3
        let labelHeight = (wrapped.map(\.count).max() ?? 1) * lineHeight
        let width = gap + labels.count * (panel + gap)
        let height = gap + labelHeight + gap / 2 + panel + gap
        var canvas = Canvas(width: width, height: height)
        let panels = [cropOf(original, crop), cropOf(decoded, crop), cropOf(cleaned, crop),
                      errorMap(original, decoded, crop), errorMap(original, cleaned, crop)]
        for (index, picture) in panels.enumerated() {
            let left = gap + index * (panel + gap)
            for (line, text) in wrapped[index].enumerated() {
                canvas.text(text, at: left, gap + line * lineHeight, scale: labelScale)
            }
            canvas.paste(picture, at: left, gap + labelHeight + gap / 2, zoom: zoom)
        }
        return canvas.image
    }

    /// The crop's pixels of `image` as RGB.
    static func cropOf(_ image: RasterImage, _ crop: CropFinder.Crop) -> RasterImage {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(crop.size * crop.size * 3)
        for y in crop.y..<(crop.y + crop.size) {
            for x in crop.x..<(crop.x + crop.size) {
                for k in 0..<3 { pixels.append(CropFinder.sample(image, x, y, k)) }
            }
        }
        return RasterImage(width: crop.size, height: crop.size, channels: 3, pixels: pixels)
    }

    /// |`result` − `original`| × ``errorGain`` per channel over the crop, clipped at 255.
    static func errorMap(_ original: RasterImage, _ result: RasterImage, _ crop: CropFinder.Crop) -> RasterImage {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(crop.size * crop.size * 3)
        for y in crop.y..<(crop.y + crop.size) {
            for x in crop.x..<(crop.x + crop.size) {
                for k in 0..<3 {
                    let d = abs(Int(CropFinder.sample(result, x, y, k)) - Int(CropFinder.sample(original, x, y, k)))
                    pixels.append(UInt8(min(255, d * errorGain)))
                }
            }
        }
        return RasterImage(width: crop.size, height: crop.size, channels: 3, pixels: pixels)
    }
}
