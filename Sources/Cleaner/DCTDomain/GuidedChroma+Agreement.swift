extension GuidedChroma {
    /// The low-resolution model `(a, b)` evaluated on the full-resolution `guide` with
    /// libjpeg's triangle weights between the nearest model and the neighbours toward the pixel
    /// (¾ and ¼ along each subsampled direction, so 9 : 3 : 3 : 1 for 4:2:0; edges
    /// replicated), each neighbour's weight scaled by `1 / (1 + d²/agreement²)`, `d` = its
    /// chroma at the pixel's luma minus the nearest model's (``Options/agreement``).
    /// Factors 1 or 2 per direction; the result does not depend on the vector width.
    static func agreeingModels(a: Plane, b: Plane, guide: Plane, factorX: Int, factorY: Int,
                               agreement: Float, threads: Int = 1) -> Plane {
        precondition((1...2).contains(factorX) && (1...2).contains(factorY), "factors 1 or 2")
        let w = guide.width, h = guide.height, pw = a.width, ph = a.height
        precondition(pw * factorX >= w && ph * factorY >= h && b.width == pw && b.height == ph,
                     "the model does not cover the guide")
        // The model's rows with one replicated sample on each side, so the neighbour toward
        // any pixel is at column ±1 without a test; 8 more samples at the end, so an
        // eight-lane load at the last column stays inside (its lanes past the row are unused).
        let pad = pw + 2
        func padded(_ p: Plane) -> [Float] {
            var out = [Float](repeating: 0, count: pad * ph + 8)
            out.withUnsafeMutableBufferPointer { o in p.samples.withUnsafeBufferPointer { s in
                for r in 0..<ph {
                    let from = s.baseAddress! + r * pw, to = o.baseAddress! + r * pad
                    (to + 1).update(from: from, count: pw)
                    to[0] = from[0]
                    to[pw + 1] = from[pw - 1]
                }
            }}
            return out
        }
        let ap = padded(a), bp = padded(b)
        var out = [Float].unfilled(w * h)  // every sample written below
        let inverse = 1 / (agreement * agreement)
        ap.withUnsafeBufferPointer { pa in bp.withUnsafeBufferPointer { pb in
        guide.samples.withUnsafeBufferPointer { g in out.withUnsafeMutableBufferPointer { o in
            let pa = SharedInput(pa), pb = SharedInput(pb), g = SharedInput(g), o = SharedOutput(o)
            RowBands.run(h, samplesPerRow: w, threads: threads) { band in
                for y in band {
                    let ly = y / factorY
                    // The row toward the pixel (itself at the edges, or without vertical subsampling).
                    let ny = factorY == 2 ? min(max(y % 2 == 0 ? ly - 1 : ly + 1, 0), ph - 1) : ly
                    let rows = AgreementRows(a: pa.base + ly * pad + 1, b: pb.base + ly * pad + 1,
                                             farA: pa.base + ny * pad + 1, farB: pb.base + ny * pad + 1,
                                             vertical: factorY == 2, inverse: inverse)
                    let luma = g.base + y * w, row = o.base + y * w
                    var x = 0
                    if factorX == 2 {
                        // Eight model columns (sixteen pixels) at a time: even pixels lean left, odd right.
                        while x + 16 <= w {
                            let l = UnsafeRawPointer(luma + x).loadUnaligned(as: SIMD16<Float>.self)
                            var pair = SIMD16<Float>()
                            pair.evenHalf = rows.value(at: x / 2, toward: -1, luma: l.evenHalf)
                            pair.oddHalf = rows.value(at: x / 2, toward: 1, luma: l.oddHalf)
                            UnsafeMutableRawPointer(row + x).storeBytes(of: pair, as: SIMD16<Float>.self)
                            x += 16
                        }
                    }
                    while x < w {
                        let toward = factorX == 2 ? (x % 2 == 0 ? -1 : 1) : 0
                        row[x] = rows.value(at: x / factorX, toward: toward, luma: SIMD8(repeating: luma[x]))[0]
                        x += 1
                    }
                }
            }
        }}}}
        return Plane(width: w, height: h, samples: out)
    }
}

/// One output row's models for ``GuidedChroma/agreeingModels(a:b:guide:factorX:factorY:agreement:)``:
/// the nearest model row and the row toward the pixels (padded, pointing at column 0).
private struct AgreementRows {
    let a: UnsafePointer<Float>, b: UnsafePointer<Float>
    let farA: UnsafePointer<Float>, farB: UnsafePointer<Float>
    let vertical: Bool
    let inverse: Float

    /// The chroma of the eight pixels whose nearest model columns are `j ..< j + 8` and whose
    /// horizontal neighbours are at `toward` (−1, +1, or 0 without horizontal subsampling),
    /// at luma `luma`. Lanes past the row's end read its replicated edge and are not stored.
    @inline(__always)
    func value(at j: Int, toward: Int, luma: SIMD8<Float>) -> SIMD8<Float> {
        @inline(__always) func load(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
            UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
        }
        @inline(__always) func weight(_ c: SIMD8<Float>, _ c0: SIMD8<Float>, _ base: Float) -> SIMD8<Float> {
            let d = c - c0
            return SIMD8(repeating: base) / (1 + d * d * inverse)
        }
        let c0 = load(a, j) * luma + load(b, j)
        var sum = 9 * c0, total = SIMD8<Float>(repeating: 9)
        if toward != 0 {
            let c = load(a, j + toward) * luma + load(b, j + toward), k = weight(c, c0, 3)
            sum += k * c; total += k
        }
        if vertical {
            let c = load(farA, j) * luma + load(farB, j), k = weight(c, c0, 3)
            sum += k * c; total += k
            if toward != 0 {
                let c = load(farA, j + toward) * luma + load(farB, j + toward), k = weight(c, c0, 1)
                sum += k * c; total += k
            }
        }
        return sum / total
    }
}
