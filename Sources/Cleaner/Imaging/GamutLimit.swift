/// Keeps colours inside the RGB cube by moving only their chroma: the luma and the hue are
/// kept, and the chroma shrinks toward gray just far enough that no channel lies more than an
/// allowed margin outside 0…255.
enum GamutLimit {
    /// The largest factor `t` in 0…1 for which every channel of `y` (clamped to 0…255) plus
    /// `t` times its move `d` (an RGB triple's offsets from its luma: its chroma, ``ColourConversion/rgbMove(cb:cr:)``)
    /// lies within −margin…255 + margin.
    @inline(__always)
    static func scale(y: Float, move d: (r: Float, g: Float, b: Float), margin: Float) -> Float {
        let luma = min(max(y, 0), 255)
        var t: Float = 1
        for v in [d.r, d.g, d.b] {
            // A channel over the top moves up with the chroma (v > 0), one below 0 down (v < 0).
            if luma + v > 255 + margin { t = min(t, (255 + margin - luma) / v) }
            if luma + v < -margin { t = min(t, (-margin - luma) / v) }
        }
        return max(t, 0)
    }

    /// Shrinks the chroma of every pixel of `image` (RGB, 8-bit scale, unrounded) whose colour
    /// lies more than `margin` levels outside 0…255 toward its own luma's gray, until it lies
    /// `margin` outside. Rows split among `threads` (the result does not depend on it).
    static func apply(_ image: inout FloatImage, margin: Float, threads: Int) {
        precondition(image.channels == 3, "an RGB image")
        let w = image.width
        image.samples.withUnsafeMutableBufferPointer { buffer in
            let p = SharedOutput(buffer)
            RowBands.run(image.height, samplesPerRow: 3 * w, threads: threads) { rows in
                for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                    let r = p.base[3 * i], g = p.base[3 * i + 1], b = p.base[3 * i + 2]
                    // Most pixels lie inside: one test before any arithmetic.
                    guard min(r, g, b) < -margin || max(r, g, b) > 255 + margin else { continue }
                    let y = 0.299 * r + 0.587 * g + 0.114 * b
                    let t = scale(y: y, move: (r - y, g - y, b - y), margin: margin)
                    guard t < 1 else { continue }
                    p.base[3 * i] = y + t * (r - y)
                    p.base[3 * i + 1] = y + t * (g - y)
                    p.base[3 * i + 2] = y + t * (b - y)
                }
            }
        }
    }
}
