import JPEGCodec

/// Window extraction with mirrored borders.
///
/// A window is `windowSize · windowSize · channels` floats, row-major and
/// channel-interleaved (HWC), in the scale of the image it was cut from. Model outputs use
/// the same layout with the output size.
enum Windows {
    /// Half-sample symmetric mirroring (numpy's `"symmetric"` mode: … c b a | a b c … ),
    /// extended periodically with period `2·count`, so every integer maps inside
    /// `0..<count` (`count` ≥ 1), however far outside it lies.
    @inlinable
    static func mirror(_ i: Int, count n: Int) -> Int {
        let period = 2 * n
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }

    /// Writes windows `range` of `grid` (cut from `image`, which must be the grid's size)
    /// into `destination`, one after another, `windowSize² · channels` floats each. Each
    /// window is its own slice of the destination, so the windows are split among `threads`.
    static func extract(from image: FloatImage, grid: WindowGrid, windows range: Range<Int>,
                        into destination: UnsafeMutableBufferPointer<Float>, threads: Int = 1) {
        extract(from: image, grid: grid, windows: Array(range), into: destination, threads: threads)
    }

    /// Writes the windows `indices` of `grid` (any order) into `destination`, one after
    /// another, as ``extract(from:grid:windows:into:threads:)`` does for a range.
    static func extract(from image: FloatImage, grid: WindowGrid, windows indices: [Int],
                        into destination: UnsafeMutableBufferPointer<Float>, threads: Int = 1) {
        precondition(image.width == grid.width && image.height == grid.height,
                     "image and grid differ in size")
        let s = grid.geometry.windowSize, per = s * s * image.channels
        precondition(indices.allSatisfy { $0 >= 0 && $0 < grid.count } &&
                     destination.count >= indices.count * per, "destination too small")
        let out = SharedOutput(destination)
        indices.withUnsafeBufferPointer { list in
            let windows = SharedInput(list)
            RowBands.run(list.count, samplesPerRow: per, threads: threads) { part in
                for n in part {
                    let (ox, oy) = grid.origin(ofWindow: windows.base[n])
                    extractSquare(from: image, x: ox, y: oy, size: s,
                                  into: UnsafeMutableBufferPointer(start: out.base + n * per, count: per))
                }
            }
        }
    }

    /// For every window of `grid` cut from `image` (the grid's size, 1 or 3 channels): its
    /// colour when all its samples (mirrored ones included) are that one colour, packed as
    /// `r << 16 | g << 8 | b` (gray: the value), or nil. Windows are split among `threads`.
    static func uniformColours(of image: RasterImage, grid: WindowGrid, threads: Int = 1) -> [UInt32?] {
        precondition(image.width == grid.width && image.height == grid.height, "image and grid differ in size")
        precondition(image.channels == 1 || image.channels == 3, "1 or 3 channels")
        let s = grid.geometry.windowSize, c = image.channels, w = image.width, h = image.height
        let rowBytes = s * c, stride = w * c
        var keys = [UInt32?](repeating: nil, count: grid.count)
        image.pixels.withUnsafeBufferPointer { pixels in
            keys.withUnsafeMutableBufferPointer { out in
                let px = SharedInput(pixels), dst = SharedOutput(out)
                RowBands.run(grid.count, samplesPerRow: s * s * c, threads: threads) { part in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: s) { cols in
                        for n in part {
                            let (ox, oy) = grid.origin(ofWindow: n)
                            let first: UnsafePointer<UInt8>
                            var uniform = true
                            if ox >= 0 && oy >= 0 && ox + s <= w && oy + s <= h {
                                // Inside: the first row is one colour when it equals itself shifted
                                // by one pixel, and every other row equals the first, compared
                                // 8 bytes at a time; most windows of a photograph differ within
                                // their first 8 bytes, so the test stops there.
                                first = px.base + (oy * w + ox) * c
                                uniform = ContentHash.equal(first + c, first, rows: 1, rowBytes: rowBytes - c, stride: 0)
                                for r in 1..<s where uniform {
                                    uniform = ContentHash.equal(first + r * stride, first, rows: 1, rowBytes: rowBytes, stride: 0)
                                }
                            } else {
                                // On a border: every (mirrored) sample.
                                for k in 0..<s { cols[k] = mirror(ox + k, count: w) * c }
                                first = px.base + mirror(oy, count: h) * w * c + cols[0]
                                rows: for r in 0..<s {
                                    let row = px.base + mirror(oy + r, count: h) * w * c
                                    for k in 0..<s {
                                        let p = row + cols[k]
                                        for ch in 0..<c where p[ch] != first[ch] { uniform = false; break rows }
                                    }
                                }
                            }
                            guard uniform else { continue }
                            dst.base[n] = c == 3 ? UInt32(first[0]) << 16 | UInt32(first[1]) << 8 | UInt32(first[2])
                                                 : UInt32(first[0])
                        }
                    }
                }
            }
        }
        return keys
    }

    /// Writes the `size × size` square whose top-left corner is (`x`, `y`) (anywhere, even
    /// outside the image: samples are mirrored) into `destination` (`size² · channels`
    /// floats, HWC).
    static func extractSquare(from image: FloatImage, x: Int, y: Int, size s: Int,
                                     into destination: UnsafeMutableBufferPointer<Float>) {
        let c = image.channels, w = image.width, h = image.height
        precondition(destination.count >= s * s * c, "destination too small")
        image.samples.withUnsafeBufferPointer { src in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: s) { cols in
                for k in 0..<s { cols[k] = mirror(x + k, count: w) * c }
                var out = 0
                let inside = x >= 0 && x + s <= w
                for r in 0..<s {
                    let row = mirror(y + r, count: h) * w * c
                    if inside {
                        // The whole row lies in the image: one contiguous copy.
                        (destination.baseAddress! + out).update(from: src.baseAddress! + row + x * c, count: s * c)
                        out += s * c
                        continue
                    }
                    for k in 0..<s {
                        let p = row + cols[k]
                        for ch in 0..<c { destination[out + ch] = src[p + ch] }
                        out += c
                    }
                }
            }
        }
    }

    /// Windows `range` of `grid` as one array (`range.count · windowSize² · channels`).
    static func extract(from image: FloatImage, grid: WindowGrid,
                        windows range: Range<Int>, threads: Int = 1) -> [Float] {
        extract(from: image, grid: grid, windows: Array(range), threads: threads)
    }

    /// Windows `indices` of `grid` as one array (`indices.count · windowSize² · channels`).
    static func extract(from image: FloatImage, grid: WindowGrid, windows indices: [Int], threads: Int = 1) -> [Float] {
        let per = grid.geometry.windowSize * grid.geometry.windowSize * image.channels
        return [Float](unsafeUninitializedCapacity: indices.count * per) { buffer, count in
            extract(from: image, grid: grid, windows: indices, into: buffer, threads: threads)
            count = indices.count * per
        }
    }

    /// A separable tent weight for averaging overlapping outputs: `w(i) = min(i + 1, size − i)`
    /// along each axis, outer product, `size²` values (all > 0), peak in the middle.
    static func tentWeights(size: Int) -> [Float] {
        let t = (0..<size).map { Float(min($0 + 1, size - $0)) }
        return t.flatMap { a in t.map { a * $0 } }
    }
}
