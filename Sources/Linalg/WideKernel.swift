// The AVX-512 micro-kernel: an 8 × 48 tile of C held in 24 `SIMD16<Float>` accumulators.
//
// Register budget with AVX-512 (32 zmm): 24 accumulators + 3 B vectors + 1 broadcast A value.
// Each k step loads three vectors of the packed B panel and broadcasts 8 values of the packed A
// panel, then issues 24 FMAs: with two 512-bit FMA pipes a step takes 12 cycles, and the 11 loads
// fit beside them. 8 × 48 was measured ~5 % faster than 12 × 32 on the MLP shapes: the batch of
// 256 rows and the layer widths 1728/2048 split into whole 8-row panels (12-row panels waste 3 %
// on padding), and the FMA-to-load ratio is better.
//
// The body is written out accumulator by accumulator so that every accumulator is a named local
// that LLVM keeps in a register (an array or tuple would live in memory). Checked with objdump:
// the inner loop is 24 `vfmadd231ps zmm` + 3 `vmovups` + 8 `vbroadcastss` per k step (unrolled
// twice), with no stack spills and no `fmaf` calls.
//
// The scaled-tanh epilogue is not fused here (`fusesTanh` is false): applying it in registers forced
// the 24 live accumulators to spill while it ran and measured no faster than the driver's pass over
// the just-stored, L1-resident tile.

/// Computes an 8 × 48 tile: `C = alpha · Apanel · Bpanel + beta · C + bias` (see ``MicroKernel``).
enum WideKernel: MicroKernel {
    static var mr: Int { 8 }
    static var nr: Int { 48 }
    static var fusesTanh: Bool { false }

    @inline(never)
    static func run(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float, bias: UnsafePointer<Float>?, tanh: Bool) {
        typealias V = SIMD16<Float>
        var c0_0 = V(); var c0_1 = V(); var c0_2 = V()
        var c1_0 = V(); var c1_1 = V(); var c1_2 = V()
        var c2_0 = V(); var c2_1 = V(); var c2_2 = V()
        var c3_0 = V(); var c3_1 = V(); var c3_2 = V()
        var c4_0 = V(); var c4_1 = V(); var c4_2 = V()
        var c5_0 = V(); var c5_1 = V(); var c5_2 = V()
        var c6_0 = V(); var c6_1 = V(); var c6_2 = V()
        var c7_0 = V(); var c7_1 = V(); var c7_2 = V()
        var pa = a, pb = UnsafeRawPointer(b)
        for _ in 0..<k {
            let b0 = pb.loadUnaligned(fromByteOffset: 0, as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 64, as: V.self)
            let b2 = pb.loadUnaligned(fromByteOffset: 128, as: V.self)
            let a0 = V(repeating: pa[0])
            c0_0.addProduct(a0, b0); c0_1.addProduct(a0, b1); c0_2.addProduct(a0, b2)
            let a1 = V(repeating: pa[1])
            c1_0.addProduct(a1, b0); c1_1.addProduct(a1, b1); c1_2.addProduct(a1, b2)
            let a2 = V(repeating: pa[2])
            c2_0.addProduct(a2, b0); c2_1.addProduct(a2, b1); c2_2.addProduct(a2, b2)
            let a3 = V(repeating: pa[3])
            c3_0.addProduct(a3, b0); c3_1.addProduct(a3, b1); c3_2.addProduct(a3, b2)
            let a4 = V(repeating: pa[4])
            c4_0.addProduct(a4, b0); c4_1.addProduct(a4, b1); c4_2.addProduct(a4, b2)
            let a5 = V(repeating: pa[5])
            c5_0.addProduct(a5, b0); c5_1.addProduct(a5, b1); c5_2.addProduct(a5, b2)
            let a6 = V(repeating: pa[6])
            c6_0.addProduct(a6, b0); c6_1.addProduct(a6, b1); c6_2.addProduct(a6, b2)
            let a7 = V(repeating: pa[7])
            c7_0.addProduct(a7, b0); c7_1.addProduct(a7, b1); c7_2.addProduct(a7, b2)
            pa += 8; pb += 192
        }
        let va = V(repeating: alpha), vb = V(repeating: beta)
        let z = V()
        let bias0 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 0, as: V.self) } ?? z
        let bias1 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 64, as: V.self) } ?? z
        let bias2 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 128, as: V.self) } ?? z
        var row = UnsafeMutableRawPointer(c)
        let rowBytes = ldc * 4
        if beta == 0 {
            row.storeBytes(of: bias0.addingProduct(c0_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c0_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c0_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c1_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c1_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c1_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c2_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c2_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c2_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c3_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c3_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c3_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c4_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c4_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c4_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c5_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c5_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c5_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c6_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c6_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c6_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c7_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c7_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c7_2, va), toByteOffset: 128, as: V.self)
        } else if beta != 0 {
            row.storeBytes(of: (bias0.addingProduct(c0_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c0_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c0_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c1_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c1_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c1_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c2_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c2_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c2_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c3_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c3_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c3_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c4_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c4_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c4_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c5_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c5_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c5_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c6_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c6_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c6_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c7_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c7_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c7_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
        }
    }
}

extension WideKernel {
    /// The same tile with A read unpacked: row r of A is at `a + r·lda`, contiguous in k.
    @inline(never)
    static func run(k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float, bias: UnsafePointer<Float>?, tanh: Bool) {
        typealias V = SIMD16<Float>
        var c0_0 = V(); var c0_1 = V(); var c0_2 = V()
        var c1_0 = V(); var c1_1 = V(); var c1_2 = V()
        var c2_0 = V(); var c2_1 = V(); var c2_2 = V()
        var c3_0 = V(); var c3_1 = V(); var c3_2 = V()
        var c4_0 = V(); var c4_1 = V(); var c4_2 = V()
        var c5_0 = V(); var c5_1 = V(); var c5_2 = V()
        var c6_0 = V(); var c6_1 = V(); var c6_2 = V()
        var c7_0 = V(); var c7_1 = V(); var c7_2 = V()
        var pa0 = a + 0 &* lda
        var pa1 = a + 1 &* lda
        var pa2 = a + 2 &* lda
        var pa3 = a + 3 &* lda
        var pa4 = a + 4 &* lda
        var pa5 = a + 5 &* lda
        var pa6 = a + 6 &* lda
        var pa7 = a + 7 &* lda
        var pb = UnsafeRawPointer(b)
        for _ in 0..<k {
            let b0 = pb.loadUnaligned(fromByteOffset: 0, as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 64, as: V.self)
            let b2 = pb.loadUnaligned(fromByteOffset: 128, as: V.self)
            let a0 = V(repeating: pa0.pointee)
            c0_0.addProduct(a0, b0); c0_1.addProduct(a0, b1); c0_2.addProduct(a0, b2)
            let a1 = V(repeating: pa1.pointee)
            c1_0.addProduct(a1, b0); c1_1.addProduct(a1, b1); c1_2.addProduct(a1, b2)
            let a2 = V(repeating: pa2.pointee)
            c2_0.addProduct(a2, b0); c2_1.addProduct(a2, b1); c2_2.addProduct(a2, b2)
            let a3 = V(repeating: pa3.pointee)
            c3_0.addProduct(a3, b0); c3_1.addProduct(a3, b1); c3_2.addProduct(a3, b2)
            let a4 = V(repeating: pa4.pointee)
            c4_0.addProduct(a4, b0); c4_1.addProduct(a4, b1); c4_2.addProduct(a4, b2)
            let a5 = V(repeating: pa5.pointee)
            c5_0.addProduct(a5, b0); c5_1.addProduct(a5, b1); c5_2.addProduct(a5, b2)
            let a6 = V(repeating: pa6.pointee)
            c6_0.addProduct(a6, b0); c6_1.addProduct(a6, b1); c6_2.addProduct(a6, b2)
            let a7 = V(repeating: pa7.pointee)
            c7_0.addProduct(a7, b0); c7_1.addProduct(a7, b1); c7_2.addProduct(a7, b2)
            pa0 += 1; pa1 += 1; pa2 += 1; pa3 += 1; pa4 += 1; pa5 += 1; pa6 += 1; pa7 += 1; pb += 192
        }
        let va = V(repeating: alpha), vb = V(repeating: beta)
        let z = V()
        let bias0 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 0, as: V.self) } ?? z
        let bias1 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 64, as: V.self) } ?? z
        let bias2 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 128, as: V.self) } ?? z
        var row = UnsafeMutableRawPointer(c)
        let rowBytes = ldc * 4
        if beta == 0 {
            row.storeBytes(of: bias0.addingProduct(c0_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c0_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c0_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c1_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c1_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c1_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c2_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c2_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c2_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c3_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c3_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c3_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c4_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c4_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c4_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c5_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c5_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c5_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c6_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c6_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c6_2, va), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c7_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c7_1, va), toByteOffset: 64, as: V.self)
            row.storeBytes(of: bias2.addingProduct(c7_2, va), toByteOffset: 128, as: V.self)
        } else if beta != 0 {
            row.storeBytes(of: (bias0.addingProduct(c0_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c0_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c0_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c1_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c1_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c1_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c2_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c2_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c2_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c3_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c3_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c3_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c4_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c4_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c4_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c5_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c5_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c5_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c6_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c6_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c6_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c7_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c7_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row.storeBytes(of: (bias2.addingProduct(c7_2, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 128, as: V.self)), toByteOffset: 128, as: V.self)
        }
    }
}
