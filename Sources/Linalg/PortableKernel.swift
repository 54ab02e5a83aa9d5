// The portable micro-kernel: a 6 × 16 tile of C held in 12 `SIMD8<Float>` accumulators.
//
// For CPUs without AVX-512 (AVX2 has 16 ymm registers: 12 accumulators + 2 B vectors + 1
// broadcast) and for arm64 (a SIMD8 is two 128-bit NEON registers; 24 of 32 are accumulators).
// Selected by ``GEMMKernel/portable`` or ``GEMMKernel/automatic`` on non-x86 builds.

/// Computes a 6 × 16 tile: `C = alpha · Apanel · Bpanel + beta · C + bias` (see ``MicroKernel``).
enum PortableKernel: MicroKernel {
    static var mr: Int { 6 }
    static var nr: Int { 16 }
    static var fusesTanh: Bool { false }

    @inline(never)
    static func run(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float, bias: UnsafePointer<Float>?, tanh: Bool) {
        typealias V = SIMD8<Float>
        var c0_0 = V(); var c0_1 = V()
        var c1_0 = V(); var c1_1 = V()
        var c2_0 = V(); var c2_1 = V()
        var c3_0 = V(); var c3_1 = V()
        var c4_0 = V(); var c4_1 = V()
        var c5_0 = V(); var c5_1 = V()
        var pa = a, pb = UnsafeRawPointer(b)
        for _ in 0..<k {
            let b0 = pb.loadUnaligned(fromByteOffset: 0, as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 32, as: V.self)
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
            pa += 6; pb += 64
        }
        let va = V(repeating: alpha), vb = V(repeating: beta)
        let z = V()
        let bias0 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 0, as: V.self) } ?? z
        let bias1 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 32, as: V.self) } ?? z
        var row = UnsafeMutableRawPointer(c)
        let rowBytes = ldc * 4
        if beta == 0 {
            row.storeBytes(of: bias0.addingProduct(c0_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c0_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c1_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c1_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c2_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c2_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c3_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c3_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c4_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c4_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c5_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c5_1, va), toByteOffset: 32, as: V.self)
        } else if beta != 0 {
            row.storeBytes(of: (bias0.addingProduct(c0_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c0_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c1_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c1_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c2_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c2_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c3_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c3_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c4_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c4_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c5_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c5_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
        }
    }
}

extension PortableKernel {
    /// The same tile with A read unpacked: row r of A is at `a + r·lda`, contiguous in k.
    @inline(never)
    static func run(k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float, bias: UnsafePointer<Float>?, tanh: Bool) {
        typealias V = SIMD8<Float>
        var c0_0 = V(); var c0_1 = V()
        var c1_0 = V(); var c1_1 = V()
        var c2_0 = V(); var c2_1 = V()
        var c3_0 = V(); var c3_1 = V()
        var c4_0 = V(); var c4_1 = V()
        var c5_0 = V(); var c5_1 = V()
        var pa0 = a + 0 &* lda
        var pa1 = a + 1 &* lda
        var pa2 = a + 2 &* lda
        var pa3 = a + 3 &* lda
        var pa4 = a + 4 &* lda
        var pa5 = a + 5 &* lda
        var pb = UnsafeRawPointer(b)
        for _ in 0..<k {
            let b0 = pb.loadUnaligned(fromByteOffset: 0, as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 32, as: V.self)
            let a0 = V(repeating: pa0.pointee)
            c0_0.addProduct(a0, b0); c0_1.addProduct(a0, b1)
            let a1 = V(repeating: pa1.pointee)
            c1_0.addProduct(a1, b0); c1_1.addProduct(a1, b1)
            let a2 = V(repeating: pa2.pointee)
            c2_0.addProduct(a2, b0); c2_1.addProduct(a2, b1)
            let a3 = V(repeating: pa3.pointee)
            c3_0.addProduct(a3, b0); c3_1.addProduct(a3, b1)
            let a4 = V(repeating: pa4.pointee)
            c4_0.addProduct(a4, b0); c4_1.addProduct(a4, b1)
            let a5 = V(repeating: pa5.pointee)
            c5_0.addProduct(a5, b0); c5_1.addProduct(a5, b1)
            pa0 += 1; pa1 += 1; pa2 += 1; pa3 += 1; pa4 += 1; pa5 += 1; pb += 64
        }
        let va = V(repeating: alpha), vb = V(repeating: beta)
        let z = V()
        let bias0 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 0, as: V.self) } ?? z
        let bias1 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: 32, as: V.self) } ?? z
        var row = UnsafeMutableRawPointer(c)
        let rowBytes = ldc * 4
        if beta == 0 {
            row.storeBytes(of: bias0.addingProduct(c0_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c0_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c1_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c1_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c2_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c2_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c3_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c3_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c4_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c4_1, va), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: bias0.addingProduct(c5_0, va), toByteOffset: 0, as: V.self)
            row.storeBytes(of: bias1.addingProduct(c5_1, va), toByteOffset: 32, as: V.self)
        } else if beta != 0 {
            row.storeBytes(of: (bias0.addingProduct(c0_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c0_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c1_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c1_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c2_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c2_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c3_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c3_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c4_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c4_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
            row += rowBytes
            row.storeBytes(of: (bias0.addingProduct(c5_0, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 0, as: V.self)), toByteOffset: 0, as: V.self)
            row.storeBytes(of: (bias1.addingProduct(c5_1, va)).addingProduct(vb, row.loadUnaligned(fromByteOffset: 32, as: V.self)), toByteOffset: 32, as: V.self)
        }
    }
}
