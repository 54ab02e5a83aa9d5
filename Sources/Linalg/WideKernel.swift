// The AVX-512 micro-kernel: a 12 × 32 tile of C held in 24 `SIMD16<Float>` accumulators.
//
// Register budget with AVX-512 (32 zmm): 24 accumulators + 2 B vectors + 1 broadcast A value.
// Each k step loads two vectors of the packed B panel and broadcasts 12 values of the packed
// A panel, then issues 24 FMAs, so with two FMA pipes a step takes 12 cycles and the loads
// (2 vectors + 12 broadcasts, which LLVM folds into the FMAs as `{1to16}` operands) fit beside them.
//
// Generated code: the body is written out lane-block by lane-block so that every accumulator is a
// named local that LLVM keeps in a register (an array or tuple would be kept in memory).

/// Computes a 12 × 32 tile: `C = alpha · Apanel · Bpanel + beta · C + bias` (see ``MicroKernel``).
enum WideKernel: MicroKernel {
    static var mr: Int { 12 }
    static var nr: Int { 32 }

    @inline(never)
    static func run(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float, bias: UnsafePointer<Float>?) {
        typealias V = SIMD16<Float>
        var c0_0 = V(); var c0_1 = V()
        var c1_0 = V(); var c1_1 = V()
        var c2_0 = V(); var c2_1 = V()
        var c3_0 = V(); var c3_1 = V()
        var c4_0 = V(); var c4_1 = V()
        var c5_0 = V(); var c5_1 = V()
        var c6_0 = V(); var c6_1 = V()
        var c7_0 = V(); var c7_1 = V()
        var c8_0 = V(); var c8_1 = V()
        var c9_0 = V(); var c9_1 = V()
        var c10_0 = V(); var c10_1 = V()
        var c11_0 = V(); var c11_1 = V()
        var pa = a, pb = UnsafeRawPointer(b)
        for _ in 0..<k {
            let b0 = pb.loadUnaligned(fromByteOffset: 0, as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 64, as: V.self)
            let a0 = V(repeating: pa[0])
            c0_0.addProduct(a0, b0); c0_1.addProduct(a0, b1)
            let a1 = V(repeating: pa[1])
            c1_0.addProduct(a1, b0); c1_1.addProduct(a1, b1)
            let a2 = V(repeating: pa[2])
            c2_0.addProduct(a2, b0); c2_1.addProduct(a2, b1)
            let a3 = V(repeating: pa[3])
            c3_0.addProduct(a3, b0); c3_1.addProduct(a3, b1)
            let a4 = V(repeating: pa[4])
            c4_0.addProduct(a4, b0); c4_1.addProduct(a4, b1)
            let a5 = V(repeating: pa[5])
            c5_0.addProduct(a5, b0); c5_1.addProduct(a5, b1)
            let a6 = V(repeating: pa[6])
            c6_0.addProduct(a6, b0); c6_1.addProduct(a6, b1)
            let a7 = V(repeating: pa[7])
            c7_0.addProduct(a7, b0); c7_1.addProduct(a7, b1)
            let a8 = V(repeating: pa[8])
            c8_0.addProduct(a8, b0); c8_1.addProduct(a8, b1)
            let a9 = V(repeating: pa[9])
            c9_0.addProduct(a9, b0); c9_1.addProduct(a9, b1)
            let a10 = V(repeating: pa[10])
            c10_0.addProduct(a10, b0); c10_1.addProduct(a10, b1)
            let a11 = V(repeating: pa[11])
            c11_0.addProduct(a11, b0); c11_1.addProduct(a11, b1)
            pa += 12; pb += 128
        }
        let va = V(repeating: alpha), vb = V(repeating: beta)
        let z = V()
        let bias0 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 0, as: V.self) } ?? z
        let bias1 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 64, as: V.self) } ?? z
        var row = UnsafeMutableRawPointer(c)
        let rowBytes = ldc * 4
        if beta == 0 {
            row.storeBytes(of: bias0.addingProduct(c0_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c0_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c1_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c1_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c2_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c2_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c3_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c3_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c4_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c4_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c5_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c5_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c6_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c6_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c7_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c7_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c8_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c8_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c9_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c9_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c10_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c10_1, va), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c11_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c11_1, va), toByteOffset: 64, as: V.self)
        } else {
            row.storeBytes(of: (bias0.addingProduct(c0_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c0_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c1_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c1_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c2_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c2_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c3_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c3_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c4_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c4_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c5_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c5_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c6_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c6_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c7_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c7_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c8_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c8_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c9_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c9_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c10_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c10_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c11_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c11_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 64, as: V.self)), toByteOffset: 64, as: V.self)
        }
    }
}
