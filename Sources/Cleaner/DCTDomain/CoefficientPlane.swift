/// The quantized DCT coefficients of one JPEG component, as a decoder reads them from a
/// file, with the quantization table that applies to them.
///
/// `coefficients` holds `blocksWide · blocksHigh` blocks in row-major block order, each
/// block 64 quantized values in natural order (index = row·8 + column, i.e. vertical
/// frequency·8 + horizontal frequency; not zigzag). A coefficient `k` at index `i` stands
/// for the DCT value `k · quantization[i]` of the level-shifted samples (see ``DCT8x8``).
/// The blocks cover the component's sample plane (padded to whole blocks); a decoder may
/// report extra MCU-padding blocks on the right or bottom, which the projection ignores.
public struct CoefficientPlane: Equatable, Sendable {
    /// Blocks per block row.
    public var blocksWide: Int
    /// Block rows.
    public var blocksHigh: Int
    /// `blocksWide · blocksHigh · 64` quantized coefficients (see the type's description).
    public var coefficients: [Int16]
    /// The component's 64-entry quantization table, natural order, each entry ≥ 1.
    public var quantization: [UInt16]
    /// The component's horizontal sampling factor H (1…4) from the frame header.
    public var horizontalSampling: Int
    /// The component's vertical sampling factor V (1…4) from the frame header.
    public var verticalSampling: Int

    /// Wraps decoded coefficients; sizes are checked.
    public init(blocksWide: Int, blocksHigh: Int, coefficients: [Int16], quantization: [UInt16],
                horizontalSampling: Int = 1, verticalSampling: Int = 1) {
        precondition(blocksWide >= 0 && blocksHigh >= 0 &&
                     coefficients.count == blocksWide * blocksHigh * 64,
                     "coefficient count must be blocksWide × blocksHigh × 64")
        precondition(quantization.count == 64 && quantization.allSatisfy { $0 >= 1 },
                     "a quantization table has 64 entries ≥ 1")
        precondition((1...4).contains(horizontalSampling) && (1...4).contains(verticalSampling),
                     "sampling factors are 1…4")
        self.blocksWide = blocksWide
        self.blocksHigh = blocksHigh
        self.coefficients = coefficients
        self.quantization = quantization
        self.horizontalSampling = horizontalSampling
        self.verticalSampling = verticalSampling
    }

    /// Quantizes a component plane the way an encoder does, in `Float`: the plane (8-bit
    /// scale) is edge-extended to whole blocks, level-shifted by −128, transformed by
    /// ``DCT8x8`` and each coefficient divided by its table entry and rounded to the nearest
    /// integer (halves away from zero). A model of the encoder for tests and simulations,
    /// not bit-exact with libjpeg's integer FDCT.
    public static func quantizing(_ plane: Plane, quantization: [UInt16],
                                  horizontalSampling: Int = 1,
                                  verticalSampling: Int = 1) -> CoefficientPlane {
        precondition(quantization.count == 64, "a quantization table has 64 entries")
        let bw = (plane.width + 7) / 8, bh = (plane.height + 7) / 8
        let padded = plane.edgeExtended(toWidth: bw * 8, height: bh * 8)
        var coefficients = [Int16](repeating: 0, count: bw * bh * 64)
        var block = [Float](repeating: 0, count: 64)
        let q = quantization.map { Float($0) }
        padded.samples.withUnsafeBufferPointer { src in
            block.withUnsafeMutableBufferPointer { blk in
                coefficients.withUnsafeMutableBufferPointer { out in
                    for by in 0..<bh {
                        for bx in 0..<bw {
                            BlockIO.load(blk.baseAddress!, from: src.baseAddress!,
                                         stride: bw * 8, x: bx * 8, y: by * 8, offset: -128)
                            DCT8x8.forward(blk.baseAddress!)
                            let base = (by * bw + bx) * 64
                            for i in 0..<64 {
                                // Nearest integer, halves away from zero, by truncation.
                                let x = max(-32767, min(32767, blk[i] / q[i]))
                                out[base + i] = Int16(x >= 0 ? x + 0.5 : x - 0.5)
                            }
                        }
                    }
                }
            }
        }
        return CoefficientPlane(blocksWide: bw, blocksHigh: bh, coefficients: coefficients,
                                quantization: quantization,
                                horizontalSampling: horizontalSampling,
                                verticalSampling: verticalSampling)
    }

    /// The plane these coefficients describe, in `Float` with no rounding or clamping:
    /// every block's coefficients times their table entries, inverse-transformed, +128.
    /// Its size is `blocksWide·8 × blocksHigh·8` (crop it to the component's size).
    public func dequantizedPlane() -> Plane {
        let w = blocksWide * 8, h = blocksHigh * 8
        var samples = [Float](repeating: 0, count: w * h)
        var block = [Float](repeating: 0, count: 64)
        let q = quantization.map { Float($0) }
        coefficients.withUnsafeBufferPointer { coef in
            block.withUnsafeMutableBufferPointer { blk in
                samples.withUnsafeMutableBufferPointer { dst in
                    for by in 0..<blocksHigh {
                        for bx in 0..<blocksWide {
                            let base = (by * blocksWide + bx) * 64
                            for i in 0..<64 { blk[i] = Float(coef[base + i]) * q[i] }
                            DCT8x8.inverse(blk.baseAddress!)
                            BlockIO.store(blk.baseAddress!, to: dst.baseAddress!, stride: w,
                                          x: bx * 8, y: by * 8, offset: 128)
                        }
                    }
                }
            }
        }
        return Plane(width: w, height: h, samples: samples)
    }
}

/// Copies 8×8 blocks between a plane's samples and a contiguous 64-value buffer.
@usableFromInline
enum BlockIO {
    /// `block[r·8 + c] = src[(y + r)·stride + x + c] + offset`.
    @inlinable
    static func load(_ block: UnsafeMutablePointer<Float>, from src: UnsafePointer<Float>,
                     stride: Int, x: Int, y: Int, offset: Float) {
        for r in 0..<8 {
            let row = src + (y + r) * stride + x
            for c in 0..<8 { block[r * 8 + c] = row[c] + offset }
        }
    }

    /// ``load(_:from:stride:x:y:offset:)`` from a `width × height` plane (rows `width` apart)
    /// whose last column and row are replicated past its edge, as an encoder pads a component
    /// to whole blocks: `block[r·8 + c] = src[min(y + r, height − 1)·width + min(x + c, width − 1)] + offset`.
    @inlinable
    static func loadEdgeExtended(_ block: UnsafeMutablePointer<Float>, from src: UnsafePointer<Float>,
                                 width w: Int, height h: Int, x: Int, y: Int, offset: Float) {
        if x + 8 <= w && y + 8 <= h { load(block, from: src, stride: w, x: x, y: y, offset: offset); return }
        for r in 0..<8 {
            let row = src + min(y + r, h - 1) * w
            for c in 0..<8 { block[r * 8 + c] = row[min(x + c, w - 1)] + offset }
        }
    }

    /// ``store(_:to:stride:x:y:offset:)`` into a `width × height` plane (rows `width` apart),
    /// dropping the samples that fall past its edge.
    @inlinable
    static func storeCropped(_ block: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>,
                             width w: Int, height h: Int, x: Int, y: Int, offset: Float) {
        if x + 8 <= w && y + 8 <= h { store(block, to: dst, stride: w, x: x, y: y, offset: offset); return }
        for r in 0..<min(8, h - y) {
            let row = dst + (y + r) * w + x
            for c in 0..<min(8, w - x) { row[c] = block[r * 8 + c] + offset }
        }
    }

    /// `dst[(y + r)·stride + x + c] = block[r·8 + c] + offset`.
    @inlinable
    static func store(_ block: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>,
                      stride: Int, x: Int, y: Int, offset: Float) {
        for r in 0..<8 {
            let row = dst + (y + r) * stride + x
            for c in 0..<8 { row[c] = block[r * 8 + c] + offset }
        }
    }
}
