/// Keeps colours inside the RGB cube by moving only their chroma: the luma and the hue are
/// kept, and the chroma shrinks toward gray just far enough that no channel lies more than an
/// allowed margin outside 0…255.
enum GamutLimit {
    /// The largest factor `t` in 0…1 for which every channel of the colour (`y` clamped to
    /// 0…255, chroma `t·cb`, `t·cr`, centred on 0) lies within −margin…255 + margin.
    @inline(__always)
    static func scale(y: Float, cb: Float, cr: Float, margin: Float) -> Float {
        let luma = min(max(y, 0), 255)
        let move = ColourConversion.rgbMove(cb: cb, cr: cr)
        var t: Float = 1
        for d in [move.r, move.g, move.b] {
            // A channel over the top moves up with the chroma (d > 0), one below 0 down (d < 0).
            if luma + d > 255 + margin { t = min(t, (255 + margin - luma) / d) }
            if luma + d < -margin { t = min(t, (-margin - luma) / d) }
        }
        return max(t, 0)
    }

    /// Shrinks the chroma planes (`cb`, `cr`, 8-bit scale centred on 128) toward gray wherever
    /// the colour with luma `y` lies more than `margin` levels outside RGB, until it lies
    /// `margin` outside. Rows split among `threads` (the result does not depend on it).
    static func apply(y: Plane, cb: inout Plane, cr: inout Plane, margin: Float, threads: Int) {
        let w = y.width, h = y.height
        precondition(cb.width == w && cb.height == h && cr.width == w && cr.height == h, "planes differ in size")
        y.samples.withUnsafeBufferPointer { yb in
        cb.samples.withUnsafeMutableBufferPointer { cbb in cr.samples.withUnsafeMutableBufferPointer { crb in
            let y = SharedInput(yb), cb = SharedOutput(cbb), cr = SharedOutput(crb)
            RowBands.run(h, samplesPerRow: w, threads: threads) { rows in
                for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                    let c = cb.base[i] - 128, d = cr.base[i] - 128
                    let t = scale(y: y.base[i], cb: c, cr: d, margin: margin)
                    guard t < 1 else { continue }
                    cb.base[i] = 128 + t * c
                    cr.base[i] = 128 + t * d
                }
            }
        }}}
    }
}
