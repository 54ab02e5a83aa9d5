/// Whether a change of some pixels to fixed values is consistent with the file: a late stage
/// (the white point, the palette) that sets pixels to a value the file cannot tell from a
/// neighbouring one asks, block by block, whether the change moves the block's luma
/// coefficients further out of the file's quantization bins.
///
/// Why: the original's coefficients lie in their bins, so a change that moves a block well
/// outside them cannot be what the original held there — the pixels were a light frame, a
/// shade of antialiasing or a soft gradient, not ringing around a flat colour. At q95 the bins
/// are narrow and a 1–2 level gradient is visible in them; at q85 most ringing fits.
struct LumaFeasibility: Sendable {
    /// The estimate before the change (RGB, 0…255: the callers check for three channels).
    let image: FloatImage
    /// The file's luma coefficients and the plain decode's luma (level − 128 is not applied).
    let luma: CoefficientPlane
    let reference: Plane
    /// How far (summed over the 64 coefficients, DCT units of the 8-bit scale) a change may
    /// move a block further outside its bins than it is.
    let slack: Float
    /// Blocks the test covers: those of the coefficients that lie within the image.
    let blocksWide: Int, blocksHigh: Int
    private let quantization: [Float]

    init(image: FloatImage, luma: CoefficientPlane, reference: Plane, slack: Float) {
        precondition(image.channels == 3, "the luma of an RGB estimate")
        self.image = image
        self.luma = luma
        self.reference = reference
        self.slack = slack
        blocksWide = min(luma.blocksWide, (image.width + 7) / 8)
        blocksHigh = min(luma.blocksHigh, (image.height + 7) / 8)
        quantization = luma.quantization.map { Float($0) }
    }

    /// Whether block (`bx`, `by`) may take the luma `value(pixel)` (centred: level − 128) at
    /// each pixel where it is not nil (indices `y · width + x`): true when that moves its
    /// coefficients at most ``slack`` further outside the file's bins — `luma`'s, widened to
    /// hold the plain decode `reference`'s own coefficients (the encoder's integer colour
    /// conversion leaves the original a fraction of a unit outside) — than the block is now.
    func allows(blockX bx: Int, blockY by: Int, value: (Int) -> Float?) -> Bool {
        let w = image.width, h = image.height
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 5 * 64) { scratch in
            let old = scratch.baseAddress!, new = old + 64, ref = old + 128, lo = old + 192, hi = old + 256
            image.samples.withUnsafeBufferPointer { e in
                // The block's pixels, edge-replicated past the image (as the bins were made).
                for y in 0..<8 {
                    for x in 0..<8 {
                        let p = min(by * 8 + y, h - 1) * w + min(bx * 8 + x, w - 1)
                        old[y * 8 + x] = 0.299 * e[3 * p] + 0.587 * e[3 * p + 1] + 0.114 * e[3 * p + 2] - 128
                        new[y * 8 + x] = value(p) ?? old[y * 8 + x]
                    }
                }
            }
            reference.samples.withUnsafeBufferPointer { r in
                BlockIO.loadEdgeExtended(ref, from: r.baseAddress!, width: w, height: h, x: bx * 8, y: by * 8, offset: -128)
            }
            DCT8x8.forward(old)
            DCT8x8.forward(new)
            DCT8x8.forward(ref)
            luma.coefficients.withUnsafeBufferPointer { coef in
                quantization.withUnsafeBufferPointer { qt in
                    DCTProjection.Bins.bounds(coef.baseAddress! + (by * luma.blocksWide + bx) * 64, quantization: qt.baseAddress!,
                                              reference: ref, slack: 0, lo: lo, hi: hi)
                }
            }
            var outsideOld: Float = 0, outsideNew: Float = 0
            for k in 0..<64 {
                outsideOld += max(0, lo[k] - old[k], old[k] - hi[k])
                outsideNew += max(0, lo[k] - new[k], new[k] - hi[k])
            }
            return outsideNew <= outsideOld + slack
        }
    }

    /// Of `pixels` (indices into the image), those in blocks that allow every listed pixel of
    /// theirs to take the luma `value` (``allows(blockX:blockY:value:)``); a block that does not
    /// loses all its pixels; pixels of blocks the coefficients do not cover are kept. The
    /// result is in block order, then the pixels' order within a block. For a few pixels (the
    /// white point's): they are grouped by block in a dictionary.
    func kept(_ pixels: [Int], value: Float) -> [Int] {
        let w = image.width
        var byBlock: [Int: [Int]] = [:], kept = [Int]()
        for p in pixels {
            guard (p % w) / 8 < blocksWide && (p / w) / 8 < blocksHigh else { kept.append(p); continue }
            byBlock[(p / w) / 8 * blocksWide + (p % w) / 8, default: []].append(p)
        }
        for (block, members) in byBlock.sorted(by: { $0.key < $1.key }) {
            let set = Set(members)
            if allows(blockX: block % blocksWide, blockY: block / blocksWide, value: { set.contains($0) ? value : nil }) {
                kept += members
            }
        }
        return kept
    }
}
