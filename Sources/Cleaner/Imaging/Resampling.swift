/// Integer-factor resampling of planes between a full-resolution plane and a subsampled
/// JPEG component plane.
enum Resampling {
    /// Box-filter downsampling by `factorX × factorY`, as libjpeg's encoder does for
    /// subsampled chroma (`h2v2_downsample` and friends), but in `Float` without its
    /// alternating rounding bias: each output sample is the mean of a `factorX × factorY`
    /// box. The plane is read as if edge-extended (last column and row replicated) as far as
    /// the boxes reach, so the output is `⌈width/factorX⌉ × ⌈height/factorY⌉`, or
    /// `width × height` when given (at least that; e.g. a component padded to whole blocks).
    /// The extension is not copied: boxes past the edge read clamped coordinates.
    static func boxDownsample(_ plane: Plane, factorX: Int, factorY: Int,
                              width: Int? = nil, height: Int? = nil, threads: Int = 1) -> Plane {
        precondition(factorX >= 1 && factorY >= 1, "factors are ≥ 1")
        let w = plane.width, h = plane.height
        let ow = width ?? (w + factorX - 1) / factorX, oh = height ?? (h + factorY - 1) / factorY
        precondition(ow * factorX >= w && oh * factorY >= h, "the output covers the plane")
        if ow * factorX == w && oh * factorY == h && factorX == 1 && factorY == 1 { return plane }
        precondition(w > 0 && h > 0, "cannot extend an empty plane")
        var out = [Float].unfilled(ow * oh)  // every sample written below
        let scale = 1 / Float(factorX * factorY)
        // Output columns whose boxes lie inside the plane (the rest read the last column).
        let inside = min(ow, w / factorX)
        plane.samples.withUnsafeBufferPointer { srcBuffer in
            out.withUnsafeMutableBufferPointer { dstBuffer in
                let src = SharedInput(srcBuffer), dst = SharedOutput(dstBuffer)
                RowBands.run(oh, samplesPerRow: ow * factorX * factorY, threads: threads) { rows in
                    if factorX == 1 && factorY == 1 {
                        // Only the extension: rows copied, the last sample repeated.
                        for y in rows {
                            let row = src.base + min(y, h - 1) * w, out = dst.base + y * ow
                            out.update(from: row, count: w)
                            (out + w).update(repeating: row[w - 1], count: ow - w)
                        }
                        return
                    }
                    if factorX == 2 && factorY == 2 {
                        // The 4:2:0 case, unrolled: (a + b) + (c + d) in that order.
                        for y in rows {
                            let r0 = min(2 * y, h - 1) * w, r1 = min(2 * y + 1, h - 1) * w
                            let out = dst.base + y * ow
                            let top = UnsafeRawPointer(src.base + r0), bottom = UnsafeRawPointer(src.base + r1)
                            // Eight outputs at a time: even and odd lanes of 16 samples per row.
                            var x = 0
                            while x + 8 <= inside {
                                let a = top.loadUnaligned(fromByteOffset: 8 * x, as: SIMD16<Float>.self)
                                let b = bottom.loadUnaligned(fromByteOffset: 8 * x, as: SIMD16<Float>.self)
                                let s = (a.evenHalf + a.oddHalf) + (b.evenHalf + b.oddHalf)
                                UnsafeMutableRawPointer(out + x).storeBytes(of: s * scale, as: SIMD8<Float>.self)
                                x += 8
                            }
                            for x in x..<inside {
                                let s = (src.base[r0 + 2 * x] + src.base[r0 + 2 * x + 1])
                                    + (src.base[r1 + 2 * x] + src.base[r1 + 2 * x + 1])
                                out[x] = s * scale
                            }
                            for x in inside..<ow {
                                let x0 = min(2 * x, w - 1), x1 = min(2 * x + 1, w - 1)
                                out[x] = ((src.base[r0 + x0] + src.base[r0 + x1]) + (src.base[r1 + x0] + src.base[r1 + x1])) * scale
                            }
                        }
                        return
                    }
                    for y in rows {
                        for x in 0..<ow {
                            var s: Float = 0
                            for dy in 0..<factorY {
                                let row = min(y * factorY + dy, h - 1) * w
                                for dx in 0..<factorX { s += src.base[row + min(x * factorX + dx, w - 1)] }
                            }
                            dst.base[y * ow + x] = s * scale
                        }
                    }
                }
            }
        }
        return Plane(width: ow, height: oh, samples: out)
    }

    /// Adds `low`, replication-upsampled by `factorX × factorY`, to `plane` in place: the same
    /// sums as `plane.add(replicateUpsample(low, …, width: plane.width, height: plane.height), times: 1)`
    /// (each sample gets one addition of its low-resolution sample), without the full-resolution
    /// copy, which was the largest buffer alive in the guided chroma's projection and so set the
    /// process's peak memory (each of its pages faulted in anew).
    static func addReplicated(_ low: Plane, factorX: Int, factorY: Int, to plane: inout Plane, threads: Int = 1) {
        let width = plane.width, height = plane.height
        plane.samples.withUnsafeMutableBufferPointer { out in
            replicate(low, factorX: factorX, factorY: factorY, into: SharedOutput(out), width: width, height: height,
                      adding: true, threads: threads)
        }
    }

    /// Nearest-neighbour (replication) upsampling by `factorX × factorY`, cropped to
    /// `width × height` (at most the full upsampled size). It is the exact right inverse of
    /// ``boxDownsample(_:factorX:factorY:)``: box-averaging a replicated plane returns it.
    static func replicateUpsample(_ plane: Plane, factorX: Int, factorY: Int,
                                         width: Int, height: Int, threads: Int = 1) -> Plane {
        var out = [Float].unfilled(width * height)  // every sample written below
        out.withUnsafeMutableBufferPointer { out in
            replicate(plane, factorX: factorX, factorY: factorY, into: SharedOutput(out), width: width, height: height,
                      adding: false, threads: threads)
        }
        return Plane(width: width, height: height, samples: out)
    }

    /// Writes `low` replicated by `factorX × factorY` into the `width × height` plane at `dst`,
    /// or with `adding` adds it to what is there (one addition per sample).
    @inline(__always)
    private static func replicate(_ low: Plane, factorX: Int, factorY: Int, into dst: SharedOutput<Float>,
                                  width: Int, height: Int, adding: Bool, threads: Int) {
        precondition(factorX >= 1 && factorY >= 1, "factors are ≥ 1")
        precondition(width <= low.width * factorX && height <= low.height * factorY,
                     "output larger than the upsampled plane")
        let pw = low.width
        low.samples.withUnsafeBufferPointer { srcBuffer in
            let src = SharedInput(srcBuffer)
            RowBands.run(height, samplesPerRow: width, threads: threads) { rows in
                for y in rows {
                    let srow = (y / factorY) * pw, drow = y * width
                    var x = 0, sx = 0
                    if factorX == 2 {
                        // Eight samples to sixteen at a time: each in an even and an odd lane.
                        let from = UnsafeRawPointer(src.base + srow), to = UnsafeMutableRawPointer(dst.base + drow)
                        while x + 16 <= width {
                            let v = from.loadUnaligned(fromByteOffset: 4 * sx, as: SIMD8<Float>.self)
                            var pair = SIMD16<Float>()
                            pair.evenHalf = v
                            pair.oddHalf = v
                            if adding { pair += to.loadUnaligned(fromByteOffset: 4 * x, as: SIMD16<Float>.self) }
                            to.storeBytes(of: pair, toByteOffset: 4 * x, as: SIMD16<Float>.self)
                            x += 16
                            sx += 8
                        }
                    } else if factorX == 1 {
                        // Sample for sample (a loop the compiler vectorises).
                        let from = src.base + srow, to = dst.base + drow
                        if adding {
                            for i in 0..<width { to[i] += from[i] }
                        } else {
                            to.update(from: from, count: width)
                        }
                        continue
                    }
                    while x < width {
                        let v = src.base[srow + sx]
                        let end = min(x + factorX, width)
                        while x < end { dst.base[drow + x] = adding ? dst.base[drow + x] + v : v; x += 1 }
                        sx += 1
                    }
                }
            }
        }
    }
}

extension Resampling {
    /// libjpeg's "fancy" 2×2 chroma upsampling (`h2v2_fancy_upsample`) in `Float`, without
    /// its integer rounding: each output sample is the triangle-filtered mix 9/16, 3/16,
    /// 3/16, 1/16 of its nearest low-resolution sample and the neighbours towards it (edges
    /// replicated), cropped to `width × height` (at most twice the plane's size).
    static func fancyUpsample2x2(_ plane: Plane, width: Int, height: Int) -> Plane {
        precondition(width <= 2 * plane.width && height <= 2 * plane.height, "output too large")
        var out = [Float].unfilled(width * height)  // every sample written below
        plane.samples.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { d in
            let rows = FancyRows2x2(s.baseAddress!, width: plane.width, height: plane.height)
            defer { rows.deallocate() }
            for y in 0..<height { rows.row(y, into: d.baseAddress! + y * width, width: width) }
        }}
        return Plane(width: width, height: height, samples: out)
    }
}

/// ``Resampling/fancyUpsample2x2(_:width:height:)`` one output row at a time, for callers that
/// use each upsampled row at once (the guided chroma's model evaluated on its guide) instead of
/// keeping whole full-resolution planes: the same operations in the same order, so the same
/// samples, with one row of scratch.
struct FancyRows2x2 {
    let source: UnsafePointer<Float>
    let width: Int, height: Int
    /// The vertical blend of the current row: `blend[1 + x]` is column x, `blend[0]` and
    /// `blend[width + 1]` replicate the edges.
    let blend: UnsafeMutablePointer<Float>

    /// Reads the low-resolution `width × height` plane at `source` (which must outlive this value).
    init(_ source: UnsafePointer<Float>, width: Int, height: Int) {
        self.source = source
        self.width = width
        self.height = height
        blend = .allocate(capacity: width + 2)
    }

    /// Frees the scratch row.
    func deallocate() { blend.deallocate() }

    /// Writes output row `y` (`count` ≤ 2 · `width` samples) to `row`.
    func row(_ y: Int, into row: UnsafeMutablePointer<Float>, width count: Int) {
        precondition(count <= 2 * width && y < 2 * height, "output too large")
        guard count > 0 else { return }
        // Blend the nearest low-resolution row with its neighbour (3:1), then each output
        // sample mixes that blend's nearest column with its neighbour (3:1):
        // 3·(3a + c) + (3b + d) = 9a + 3b + 3c + d.
        let ly = y / 2, ny = min(max(y % 2 == 0 ? ly - 1 : ly + 1, 0), height - 1)
        let near = source + ly * width, far = source + ny * width
        let into = blend + 1
        for x in 0..<width { into[x] = 3 * near[x] + far[x] }
        blend[0] = blend[1]
        blend[width + 1] = blend[width]
        let pairs = count / 2
        // Eight pairs at a time: the even outputs mix in the left neighbour, the odd ones the
        // right (the same operations as the loop below).
        var x = 0
        let b = UnsafeRawPointer(blend), out = UnsafeMutableRawPointer(row)
        while x + 8 <= pairs {
            let centre = 3 * b.loadUnaligned(fromByteOffset: 4 * (1 + x), as: SIMD8<Float>.self)
            let left = b.loadUnaligned(fromByteOffset: 4 * x, as: SIMD8<Float>.self)
            let right = b.loadUnaligned(fromByteOffset: 4 * (2 + x), as: SIMD8<Float>.self)
            var pair = SIMD16<Float>()
            pair.evenHalf = (centre + left) / 16
            pair.oddHalf = (centre + right) / 16
            out.storeBytes(of: pair, toByteOffset: 8 * x, as: SIMD16<Float>.self)
            x += 8
        }
        for x in x..<pairs {
            let centre = 3 * blend[1 + x]
            row[2 * x] = (centre + blend[x]) / 16
            row[2 * x + 1] = (centre + blend[2 + x]) / 16
        }
        if count % 2 == 1 { row[count - 1] = (3 * blend[1 + pairs] + blend[pairs]) / 16 }
    }
}
