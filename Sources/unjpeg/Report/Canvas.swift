import JPEGCodec

/// An RGB picture being composed for the report: filled, pasted into (with integer
/// nearest-neighbour zoom) and written on with ``BitmapFont``.
struct Canvas {
    typealias Colour = (r: UInt8, g: UInt8, b: UInt8)
    static let background: Colour = (0xD8, 0xD8, 0xD8)
    static let ink: Colour = (0x20, 0x20, 0x20)

    let width: Int, height: Int
    private(set) var pixels: [UInt8]

    init(width: Int, height: Int, fill: Colour = Canvas.background) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            pixels[3 * i] = fill.r; pixels[3 * i + 1] = fill.g; pixels[3 * i + 2] = fill.b
        }
    }

    var image: RasterImage { RasterImage(width: width, height: height, channels: 3, pixels: pixels) }

    /// Sets one pixel; outside the canvas nothing happens.
    mutating func set(_ x: Int, _ y: Int, _ colour: Colour) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = colour.r; pixels[i + 1] = colour.g; pixels[i + 2] = colour.b
    }

    /// Copies the `w`×`h` region of `source` at (`sx`, `sy`) to (`x`, `y`), each source pixel
    /// becoming a `zoom`×`zoom` square (gray sources are drawn as gray RGB).
    mutating func paste(_ source: RasterImage, sx: Int = 0, sy: Int = 0, w: Int? = nil, h: Int? = nil,
                        at x: Int, _ y: Int, zoom: Int = 1) {
        let w = w ?? source.width, h = h ?? source.height, c = source.channels
        for row in 0..<(h * zoom) {
            let ty = y + row
            guard ty >= 0, ty < height else { continue }
            let srcRow = (sy + row / zoom) * source.width
            for column in 0..<(w * zoom) {
                let tx = x + column
                guard tx >= 0, tx < width else { continue }
                let s = (srcRow + sx + column / zoom) * c
                let t = (ty * width + tx) * 3
                if c == 1 {
                    let v = source.pixels[s]
                    pixels[t] = v; pixels[t + 1] = v; pixels[t + 2] = v
                } else {
                    pixels[t] = source.pixels[s]; pixels[t + 1] = source.pixels[s + 1]; pixels[t + 2] = source.pixels[s + 2]
                }
            }
        }
    }

    /// Writes one line of `text` with its top-left corner at (`x`, `y`).
    mutating func text(_ text: String, at x: Int, _ y: Int, scale: Int = 1, colour: Colour = Canvas.ink) {
        var left = x
        for character in text {
            let rows = BitmapFont.glyphs[character] ?? BitmapFont.missing
            for (row, bits) in rows.enumerated() {
                for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> column) != 0 {
                    for dy in 0..<scale {
                        for dx in 0..<scale { set(left + column * scale + dx, y + row * scale + dy, colour) }
                    }
                }
            }
            left += BitmapFont.advance * scale
        }
    }
}
