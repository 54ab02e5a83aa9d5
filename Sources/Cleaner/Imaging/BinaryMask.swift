/// Boolean masks over an image's pixel grid (row-major, `width × height`).
enum BinaryMask {
    /// `mask` dilated by `radius` in chessboard distance: true where any true lies within
    /// `radius` pixels in both directions. Separable running windows, O(width · height): rows
    /// (split among `threads`), then columns (split among `threads`); the result does not
    /// depend on the thread count.
    static func dilate(_ mask: [Bool], width w: Int, height h: Int, radius r: Int, threads: Int = 1) -> [Bool] {
        precondition(mask.count == w * h && r >= 0, "a width × height mask and a radius ≥ 0")
        var rows = [Bool](repeating: false, count: w * h)
        mask.withUnsafeBufferPointer { m in
            rows.withUnsafeMutableBufferPointer { o in
                let input = SharedInput(m), out = SharedOutput(o)
                RowBands.run(h, samplesPerRow: w, threads: threads) { band in
                    for y in band {
                        let line = input.base + y * w, dst = out.base + y * w
                        var last = -r - 1   // the latest true at or left of x
                        for x in 0..<w { if line[x] { last = x }; dst[x] = x - last <= r }
                        var next = Int.max / 2
                        for x in stride(from: w - 1, through: 0, by: -1) {
                            if line[x] { next = x }
                            if next - x <= r { dst[x] = true }
                        }
                    }
                }
            }
        }
        var out = [Bool](repeating: false, count: w * h)
        rows.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in
                let input = SharedInput(m), dst = SharedOutput(o)
                RowBands.run(w, samplesPerRow: h, threads: threads) { columns in
                    for x in columns {
                        var last = -r - 1
                        for y in 0..<h { if input.base[y * w + x] { last = y }; dst.base[y * w + x] = y - last <= r }
                        var next = Int.max / 2
                        for y in stride(from: h - 1, through: 0, by: -1) {
                            if input.base[y * w + x] { next = y }
                            if next - y <= r { dst.base[y * w + x] = true }
                        }
                    }
                }
            }
        }
        return out
    }
}
