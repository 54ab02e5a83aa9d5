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

    /// Nearest-neighbour (replication) upsampling by `factorX × factorY`, cropped to
    /// `width × height` (at most the full upsampled size). It is the exact right inverse of
    /// ``boxDownsample(_:factorX:factorY:)``: box-averaging a replicated plane returns it.
    static func replicateUpsample(_ plane: Plane, factorX: Int, factorY: Int,
                                         width: Int, height: Int, threads: Int = 1) -> Plane {
        precondition(factorX >= 1 && factorY >= 1, "factors are ≥ 1")
        precondition(width <= plane.width * factorX && height <= plane.height * factorY,
                     "output larger than the upsampled plane")
        var out = [Float].unfilled(width * height)  // every sample written below
        let pw = plane.width
        plane.samples.withUnsafeBufferPointer { srcBuffer in
            out.withUnsafeMutableBufferPointer { dstBuffer in
                let src = SharedInput(srcBuffer), dst = SharedOutput(dstBuffer)
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
                                to.storeBytes(of: pair, toByteOffset: 4 * x, as: SIMD16<Float>.self)
                                x += 16
                                sx += 8
                            }
                        }
                        while x < width {
                            let v = src.base[srow + sx]
                            let end = min(x + factorX, width)
                            while x < end { dst.base[drow + x] = v; x += 1 }
                            sx += 1
                        }
                    }
                }
            }
        }
        return Plane(width: width, height: height, samples: out)
    }
}

extension Resampling {
    /// libjpeg's "fancy" 2×2 chroma upsampling (`h2v2_fancy_upsample`) in `Float`, without
    /// its integer rounding: each output sample is the triangle-filtered mix 9/16, 3/16,
    /// 3/16, 1/16 of its nearest low-resolution sample and the neighbours towards it (edges
    /// replicated), cropped to `width × height` (at most twice the plane's size).
    static func fancyUpsample2x2(_ plane: Plane, width: Int, height: Int) -> Plane {
        precondition(width <= 2 * plane.width && height <= 2 * plane.height, "output too large")
        let pw = plane.width, ph = plane.height
        var out = [Float].unfilled(width * height)  // every sample written below
        // Per output row: blend the nearest low-resolution row with its neighbour (3:1), then
        // each output sample mixes that blend's nearest column with its neighbour (3:1):
        // 3·(3a + c) + (3b + d) = 9a + 3b + 3c + d.
        var blend = [Float](repeating: 0, count: pw + 2)
        plane.samples.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { d in
        blend.withUnsafeMutableBufferPointer { b in
            for y in 0..<height {
                let ly = y / 2, ny = min(max(y % 2 == 0 ? ly - 1 : ly + 1, 0), ph - 1)
                let near = s.baseAddress! + ly * pw, far = s.baseAddress! + ny * pw
                // b[1 + x] holds column x; b[0] and b[pw + 1] replicate the edges.
                let into = b.baseAddress! + 1
                for x in 0..<pw { into[x] = 3 * near[x] + far[x] }
                b[0] = b[1]
                b[pw + 1] = b[pw]
                let row = d.baseAddress! + y * width
                let pairs = width / 2
                // Eight pairs at a time: the even outputs mix in the left neighbour, the odd
                // ones the right (the same operations as the loop below).
                var x = 0
                let blend = UnsafeRawPointer(b.baseAddress!), out = UnsafeMutableRawPointer(row)
                while x + 8 <= pairs {
                    let centre = 3 * blend.loadUnaligned(fromByteOffset: 4 * (1 + x), as: SIMD8<Float>.self)
                    let left = blend.loadUnaligned(fromByteOffset: 4 * x, as: SIMD8<Float>.self)
                    let right = blend.loadUnaligned(fromByteOffset: 4 * (2 + x), as: SIMD8<Float>.self)
                    var pair = SIMD16<Float>()
                    pair.evenHalf = (centre + left) / 16
                    pair.oddHalf = (centre + right) / 16
                    out.storeBytes(of: pair, toByteOffset: 8 * x, as: SIMD16<Float>.self)
                    x += 8
                }
                for x in x..<pairs {
                    let centre = 3 * b[1 + x]
                    row[2 * x] = (centre + b[x]) / 16
                    row[2 * x + 1] = (centre + b[2 + x]) / 16
                }
                if width % 2 == 1 { row[width - 1] = (3 * b[1 + pairs] + b[pairs]) / 16 }
            }
        }}}
        return Plane(width: width, height: height, samples: out)
    }
}
