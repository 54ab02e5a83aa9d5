import JPEGCodec

/// Boolean masks over an image's pixel grid (row-major, `width × height`).
enum BinaryMask {
    /// The pixels of `image` that differ from a neighbour (left, right, above or below) in
    /// any channel; rows split among `threads` (each row writes only its own flags).
    static func edges(of image: RasterImage, threads: Int = 1) -> [Bool] {
        edges(keys: pixelKeys(of: image, threads: threads), width: image.width, height: image.height, threads: threads)
    }

    /// The same from the image's ``pixelKeys(of:threads:)``.
    static func edges(keys: [UInt32], width w: Int, height h: Int, threads: Int = 1) -> [Bool] {
        precondition(keys.count == w * h, "one key per pixel")
        guard w > 0, h > 0 else { return [] }
        var edge = [Bool](repeating: false, count: w * h)
        keys.withUnsafeBufferPointer { k in
            edge.withUnsafeMutableBufferPointer { e in
                let key = SharedInput(k), out = SharedOutput(e)
                RowBands.run(h, samplesPerRow: w, threads: threads) { rows in
                    for y in rows {
                        let row = key.base + y * w, dst = out.base + y * w
                        // Above and below (a missing row compares equal: the row itself).
                        let up = y > 0 ? row - w : row, down = y + 1 < h ? row + w : row
                        for x in 0..<w { dst[x] = row[x] != up[x] || row[x] != down[x] }
                        if w > 1 {
                            for x in 0..<(w - 1) where row[x] != row[x + 1] {
                                dst[x] = true
                                dst[x + 1] = true
                            }
                        }
                    }
                }
            }
        }
        return edge
    }

    /// Each pixel's channels (at most 4) packed into one number, so a neighbour test is one
    /// compare; rows split among `threads`.
    static func pixelKeys(of image: RasterImage, threads: Int = 1) -> [UInt32] {
        let w = image.width, h = image.height, c = image.channels
        precondition(c <= 4, "at most 4 channels")
        var keys = [UInt32](repeating: 0, count: w * h)
        image.pixels.withUnsafeBufferPointer { px in
            keys.withUnsafeMutableBufferPointer { k in
                let p = SharedInput(px), out = SharedOutput(k)
                RowBands.run(h, samplesPerRow: w * c, threads: threads) { rows in
                    for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                        var key: UInt32 = 0
                        for ch in 0..<c { key = key << 8 | UInt32(p.base[i * c + ch]) }
                        out.base[i] = key
                    }
                }
            }
        }
        return keys
    }

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
                // Down the columns, but row by row (each column's latest and next true row
                // kept in a vector): whole rows stay in the cache.
                RowBands.run(w, samplesPerRow: h, threads: threads) { columns in
                    let first = columns.lowerBound, n = columns.count
                    // Row numbers as Int32 (an image has fewer than 2³¹ rows; the radius is
                    // clamped to the height), so a vector holds twice as many columns.
                    let r32 = Int32(min(r, h)), far = Int32.max / 2
                    withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { mark in
                        for i in 0..<n { mark[i] = -r32 - 1 }   // the latest true at or above y
                        for y in 0..<h {
                            let line = input.base + y * w + first, d = dst.base + y * w + first, y32 = Int32(y)
                            for i in 0..<n {
                                if line[i] { mark[i] = y32 }
                                d[i] = y32 - mark[i] <= r32
                            }
                        }
                        for i in 0..<n { mark[i] = far }   // the next true at or below y
                        for y in stride(from: h - 1, through: 0, by: -1) {
                            let line = input.base + y * w + first, d = dst.base + y * w + first, y32 = Int32(y)
                            for i in 0..<n {
                                if line[i] { mark[i] = y32 }
                                if mark[i] - y32 <= r32 { d[i] = true }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
