/// Whether a change of some pixels to fixed values is consistent with the file: a late stage
/// (the white point, the palette) that sets pixels to a value the file cannot tell from a
/// neighbouring one asks, block by block, whether the change moves the block's luma
/// coefficients further out of the file's quantization bins.
///
/// Why: the original's coefficients lie in their bins, so a change that moves a block well
/// outside them cannot be what the original held there — the pixels were a light frame, a
/// shade of antialiasing or a soft gradient, not ringing around a flat colour. At q95 the bins
/// are narrow and a 1–2 level gradient is visible in them; at q85 most ringing fits.
enum LumaFeasibility {
    /// Of `pixels` (indices `y · width + x` into `image`, RGB 0…255), those in blocks where
    /// setting each of the block's listed pixels to the luma `value(pixel)` (centred: level
    /// − 128) moves its coefficients at most `slack` further outside the file's bins (summed
    /// over the 64 coefficients, DCT units of the 8-bit scale) than the block is now. The bins
    /// are `luma`'s, widened to hold the plain decode `reference`'s own coefficients (the
    /// encoder's integer colour conversion leaves the original a fraction of a unit outside).
    /// A block that fails loses all its pixels; pixels of blocks the coefficients do not cover
    /// are kept. The result is in block order, then the pixels' order within a block.
    static func kept(_ pixels: [Int], in image: FloatImage, luma: CoefficientPlane, reference: Plane,
                     slack: Float, value: (Int) -> Float) -> [Int] {
        let w = image.width, h = image.height
        let bw = min(luma.blocksWide, (w + 7) / 8), bh = min(luma.blocksHigh, (h + 7) / 8)
        var byBlock: [Int: [Int]] = [:], kept = [Int]()
        for p in pixels {
            guard (p % w) / 8 < bw && (p / w) / 8 < bh else { kept.append(p); continue }
            byBlock[(p / w) / 8 * bw + (p % w) / 8, default: []].append(p)
        }
        let q = luma.quantization.map { Float($0) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 5 * 64) { scratch in
            let old = scratch.baseAddress!, new = old + 64, ref = old + 128, lo = old + 192, hi = old + 256
            image.samples.withUnsafeBufferPointer { e in
            reference.samples.withUnsafeBufferPointer { r in
            luma.coefficients.withUnsafeBufferPointer { coef in
            q.withUnsafeBufferPointer { qt in
                for (block, members) in byBlock.sorted(by: { $0.key < $1.key }) {
                    let bx = block % bw, by = block / bw
                    // The block's pixels, edge-replicated past the image (as the bins were made).
                    for y in 0..<8 {
                        for x in 0..<8 {
                            let p = min(by * 8 + y, h - 1) * w + min(bx * 8 + x, w - 1)
                            old[y * 8 + x] = 0.299 * e[3 * p] + 0.587 * e[3 * p + 1] + 0.114 * e[3 * p + 2] - 128
                        }
                    }
                    BlockIO.loadEdgeExtended(ref, from: r.baseAddress!, width: w, height: h, x: bx * 8, y: by * 8, offset: -128)
                    for i in 0..<64 { new[i] = old[i] }
                    for p in members {
                        let y = p / w - by * 8, x = p % w - bx * 8, v = value(p)
                        // The pixel and its replicas past the image's edge.
                        for row in 0..<8 where min(by * 8 + row, h - 1) == by * 8 + y {
                            for u in 0..<8 where min(bx * 8 + u, w - 1) == bx * 8 + x { new[row * 8 + u] = v }
                        }
                    }
                    DCT8x8.forward(old)
                    DCT8x8.forward(new)
                    DCT8x8.forward(ref)
                    DCTProjection.Bins.bounds(coef.baseAddress! + (by * luma.blocksWide + bx) * 64, quantization: qt.baseAddress!,
                                              reference: ref, slack: 0, lo: lo, hi: hi)
                    var outsideOld: Float = 0, outsideNew: Float = 0
                    for k in 0..<64 {
                        outsideOld += max(0, lo[k] - old[k], old[k] - hi[k])
                        outsideNew += max(0, lo[k] - new[k], new[k] - hi[k])
                    }
                    if outsideNew <= outsideOld + slack { kept += members }
                }
            }}}}
        }
        return kept
    }
}
