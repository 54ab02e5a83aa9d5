import JPEGCodec

extension Windows {
    /// For each window of `windows` (indices into `grid`, in increasing order), the position in
    /// `windows` of the first one whose samples are the same bytes: its own position when no
    /// earlier one is. Only windows wholly inside the image are compared (one on a border,
    /// whose samples are partly mirrored, is always its own first).
    ///
    /// Why: a screenshot repeats itself — a window on a long straight edge across a flat area
    /// is the same as its neighbours along the edge, and buttons, rules and list rows recur on
    /// the block grid. On the 50 real screenshots of `Scripts/build_screenshot_sets.py` a
    /// quarter of all windows repeat an earlier window that is not of one colour. A model's
    /// output depends only on its window, so each content needs one prediction.
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
                    dst.base[n] = hash(px.base + (oy * w + ox) * c, rows: s, rowBytes: rowBytes, stride: w * c) | 1
                }
            }
        }}}
        var first = Array(0..<windows.count)
        var byHash: [UInt64: [Int]] = [:]
        image.pixels.withUnsafeBufferPointer { px in
            func start(_ n: Int) -> UnsafePointer<UInt8> {
                let (ox, oy) = grid.origin(ofWindow: windows[n])
                return px.baseAddress! + (oy * w + ox) * c
            }
            for n in windows.indices where hashes[n] != 0 {
                let candidates = byHash[hashes[n], default: []]
                let a = start(n)
                if let match = candidates.first(where: { m in
                    let b = start(m)
                    return (0..<s).allSatisfy { r in
                        (0..<rowBytes).allSatisfy { a[r * w * c + $0] == b[r * w * c + $0] }
                    }
                }) {
                    first[n] = match
                } else {
                    byHash[hashes[n], default: []].append(n)
                }
            }
        }
        return first
    }

    /// A 64-bit hash of `rows` rows of `rowBytes` bytes, `stride` bytes apart (FNV-1a over
    /// 8-byte words, then a final mix); equal bytes give equal hashes.
    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, rows: Int, rowBytes: Int, stride: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let words = rowBytes / 8
        for r in 0..<rows {
            let row = UnsafeRawPointer(start + r * stride)
            for k in 0..<words {
                h = (h ^ row.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            }
            for k in (words * 8)..<rowBytes { h = (h ^ UInt64(start[r * stride + k])) &* 0x0000_0100_0000_01b3 }
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        return h ^ (h >> 33)
    }
}
