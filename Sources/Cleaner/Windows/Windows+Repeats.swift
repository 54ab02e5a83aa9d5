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

    /// A 64-bit hash of `rows` rows of `rowBytes` bytes, `stride` bytes apart; equal bytes give
    /// equal hashes. FNV-1a over 8-byte words in four interleaved lanes (word k of a row goes
    /// to lane k mod 4, so the lanes' multiply chains overlap), then the lanes mixed.
    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, rows: Int, rowBytes: Int, stride: Int) -> UInt64 {
        let prime: UInt64 = 0x0000_0100_0000_01b3
        var lanes = SIMD4<UInt64>(0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4, 0x9e37_79b9_7f4a_7c15, 0x7f4a_7c15_9e37_79b9)
        let words = rowBytes / 8
        for r in 0..<rows {
            let row = UnsafeRawPointer(start + r * stride)
            var k = 0
            while k + 4 <= words {
                lanes = (lanes ^ row.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<UInt64>.self)) &* prime
                k += 4
            }
            while k < words {
                lanes[k & 3] = (lanes[k & 3] ^ row.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)) &* prime
                k += 1
            }
            for b in (words * 8)..<rowBytes { lanes[0] = (lanes[0] ^ UInt64(start[r * stride + b])) &* prime }
        }
        var h = lanes[0]
        for l in 1..<4 { h = (h ^ (h >> 29) ^ lanes[l]) &* 0xbf58_476d_1ce4_e5b9 }
        return h ^ (h >> 32)
    }
}
