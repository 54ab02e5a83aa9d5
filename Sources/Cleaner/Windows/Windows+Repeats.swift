import JPEGCodec

extension Windows {
    /// For each window of `windows` (indices into `grid`, in increasing order), the position in
    /// `windows` of the first one whose samples are the same bytes: its own position when no
    /// earlier one is. Only windows wholly inside the image are compared (one on a border,
    /// whose samples are partly mirrored, is always its own first).
    ///
    /// Why: a screenshot repeats itself — a window on a long straight edge across a flat area
    /// is the same as its neighbours along the edge, and buttons, rules and list rows recur on
    /// the block grid. In the network's input for 10 of the real screenshots of
    /// `Scripts/build_screenshot_sets.py`, 30 % of the windows not of one colour repeat an
    /// earlier one. A model's output depends only on its window, so each content needs one
    /// prediction.
    ///
    /// Windows are hashed on `threads` threads and grouped in order on the caller, each hash
    /// match checked byte for byte, so the result does not depend on the thread count.
    static func firstRepeats(of image: RasterImage, grid: WindowGrid, windows: [Int], threads: Int = 1) -> [Int] {
        precondition(image.width == grid.width && image.height == grid.height, "image and grid differ in size")
        let s = grid.geometry.windowSize, c = image.channels, w = image.width, h = image.height
        let rowBytes = s * c
        // 0 marks a window on a border: never grouped.
        var hashes = [UInt64].unfilled(windows.count)
        image.pixels.withUnsafeBufferPointer { pixels in
        windows.withUnsafeBufferPointer { list in
        hashes.withUnsafeMutableBufferPointer { out in
            let px = SharedInput(pixels), index = SharedInput(list), dst = SharedOutput(out)
            RowBands.run(list.count, samplesPerRow: s * rowBytes, threads: threads) { part in
                for n in part {
                    let (ox, oy) = grid.origin(ofWindow: index.base[n])
                    guard ox >= 0, oy >= 0, ox + s <= w, oy + s <= h else { dst.base[n] = 0; continue }
                    dst.base[n] = ContentHash.of(px.base + (oy * w + ox) * c, rows: s, rowBytes: rowBytes, stride: w * c)
                }
            }
        }}}
        return image.pixels.withUnsafeBufferPointer { px in
            func start(_ n: Int) -> UnsafePointer<UInt8> {
                let (ox, oy) = grid.origin(ofWindow: windows[n])
                return px.baseAddress! + (oy * w + ox) * c
            }
            return ContentHash.firstOccurrences(hashes) { a, b in
                ContentHash.equal(start(a), start(b), rows: s, rowBytes: rowBytes, stride: w * c)
            }
        }
    }
}
