import Testing
@testable import Linalg

/// GEMM against a Double reference: shapes around the tile sizes (MR = 8/6, NR = 48/16) and the
/// cache blocks (KC = 512, MC = 144, NC = 256), the three forms, alpha/beta, threads, strides,
/// epilogues — the shape sweeps with every micro-kernel forced.
@Suite struct GEMMTests {
    static let forms: [(Transpose, Transpose)] = [(.none, .none), (.none, .transposed), (.transposed, .none)]
    static let formNames = ["NN", "NT", "TN"]
    /// Every micro-kernel (`.automatic` is one of them).
    static let kernels = GEMMKernel.allCases.filter { $0 != .automatic }

    /// `.automatic` stands for a real kernel, and every kernel's tile satisfies the driver's
    /// invariants (NR a multiple of 16, MR dividing MC), as `MicroKernel.checkInvariants` traps otherwise.
    @Test func kernelsAndTheirInvariants() {
        #expect(GEMMKernel.buildDefault != .automatic)
        #expect(Self.kernels.count == GEMMKernel.allCases.count - 1)
        for (mr, nr) in [(WideKernel.mr, WideKernel.nr), (PortableKernel.mr, PortableKernel.nr)] {
            #expect(nr % 16 == 0 && GEMMBlocking.mc % mr == 0, "MR \(mr), NR \(nr)")
        }
    }

    /// Every combination of small sizes around tile edges, all three forms, every kernel.
    @Test(arguments: kernels, 0..<3)
    func smallShapeSweep(kernel: GEMMKernel, form: Int) {
        let sizes = [1, 2, 7, 15, 16, 17, 31, 33, 47, 49]
        let depths = [1, 7, 16, 33]
        let (ta, tb) = Self.forms[form]
        for m in sizes {
            for n in sizes {
                for k in depths {
                    let t = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, kernel: kernel)
                    if let failure = checkGEMM(t) { Issue.record("\(failure)"); return }
                }
            }
        }
    }

    /// Larger shapes crossing KC (k = KC + 1), MC (m = 255/257) and NC (n = 600), plus m = 1000,
    /// every kernel.
    @Test(arguments: kernels, 0..<3)
    func blockBoundaries(kernel: GEMMKernel, form: Int) {
        let (ta, tb) = Self.forms[form]
        let shapes = [(64, 64, 64), (255, 33, GEMMBlocking.kc + 1), (257, 64, 31), (17, 257, 255),
                      (33, 600, 15), (1000, 7, 17), (1000, 33, 2), (16, 31, 520)]
        for (m, n, k) in shapes {
            let t = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.75, beta: 0, kernel: kernel)
            if let failure = checkGEMM(t) { Issue.record("\(failure)"); return }
        }
    }

    /// op(A) over the whole-A packing limit (lowered here to 1000 floats), so it is packed per
    /// MC × KC block, with C split by columns and by rows over threads, every kernel.
    @Test(arguments: kernels, 0..<3)
    func largeAPackedPerBlock(kernel: GEMMKernel, form: Int) {
        let (ta, tb) = Self.forms[form]
        for (m, n, k, threads) in [(150, 530, 20, 2), (300, 3, GEMMBlocking.kc + 14, 3), (13, 530, GEMMBlocking.kc + 4, 1)] {
            let t = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1, beta: 0.5,
                             threads: threads, epilogue: .bias, kernel: kernel, prepackLimit: 1000)
            if let failure = checkGEMM(t) { Issue.record("\(failure)"); return }
        }
    }

    /// alpha/beta combinations (beta = 0 with NaN-filled C, beta = 1, general), incl. k > KC so
    /// later K slices accumulate with beta = 1.
    @Test(arguments: 0..<3)
    func alphaBeta(form: Int) {
        let (ta, tb) = Self.forms[form]
        let scalars: [(Float, Float)] = [(1, 0), (-0.5, 0), (1, 1), (-1.5, 0.25), (0, 2)]
        for (alpha, beta) in scalars {
            for (m, n, k) in [(13, 35, 9), (25, 40, GEMMBlocking.kc + 44)] {
                let t = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, beta: beta)
                if let failure = checkGEMM(t) { Issue.record("\(failure)"); return }
            }
        }
    }

    /// Thread counts 1, 2, 3 on shapes split by columns (wide C) and by rows (narrow C).
    @Test(arguments: [1, 2, 3])
    func threads(count: Int) {
        for (ta, tb) in Self.forms {
            for (m, n, k) in [(64, 255, 33), (257, 17, 40), (31, 100, 7), (100, 1, 50), (96, 5, 20)] {
                let t = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1.25, beta: 0.5,
                                 threads: count)
                if let failure = checkGEMM(t) { Issue.record("\(failure)"); return }
            }
        }
    }

    /// Through the public API (with its minimum work per thread): 1 and 2 threads give
    /// bit-identical results, since every element is accumulated in the same order.
    @Test func threadCountsAgreeBitwise() {
        var rng = TestRandom(seed: 5)
        let (m, n, k) = (64, 560, 60)
        #expect(m * n * k >= 2 * GEMMBlocking.minWorkPerThread)
        let a = rng.array(m * k), b = rng.array(n * k)
        var results: [[Float]] = []
        for threads in [1, 2] {
            var c = [Float](repeating: .nan, count: m * n)
            c.withUnsafeMutableBufferPointer { cb in
                gemm(.none, .transposed, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: k,
                     beta: 0, c: cb.baseAddress!, ldc: n, threads: threads)
            }
            results.append(c)
        }
        #expect(results[0] == results[1])
    }

    /// Leading dimensions larger than the minimum (strided views into bigger matrices).
    @Test(arguments: 0..<3)
    func stridedViews(form: Int) {
        let (ta, tb) = Self.forms[form]
        for (m, n, k) in [(15, 33, 17), (40, 64, 64), (7, 70, GEMMBlocking.kc + 4)] {
            for (pa, pb, pc) in [(1, 0, 0), (0, 3, 0), (0, 0, 5), (16, 7, 32)] {
                let t = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1, beta: -1,
                                 padA: pa, padB: pb, padC: pc, threads: 2)
                if let failure = checkGEMM(t) { Issue.record("\(failure)"); return }
            }
        }
    }

    /// Fused epilogues, applied once after the last K slice, on full and partial tiles, every kernel.
    @Test(arguments: kernels, [EpilogueKind.bias, .biasScaledTanh, .scaledTanh, .derivative])
    func epilogues(kernel: GEMMKernel, kind: EpilogueKind) {
        for (ta, tb) in Self.forms {
            for (m, n, k, beta) in [(12, 32, 16, Float(0)), (29, 45, GEMMBlocking.kc + 44, 0.5), (5, 3, 1, 1)] {
                let t = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.9, beta: beta,
                                 padC: 3, threads: 2, epilogue: kind, kernel: kernel)
                if let failure = checkGEMM(t) { Issue.record("\(failure)"); return }
            }
        }
    }

    /// k = 0: C = epilogue(beta · C) (and with beta = 0, C is not read).
    @Test func zeroDepth() {
        for beta: Float in [0, 0.5] {
            for kind in [EpilogueKind.none, .biasScaledTanh, .derivative] {
                let t = GEMMCase(m: 5, n: 19, k: 0, alpha: 1, beta: beta, padC: 2, epilogue: kind)
                if let failure = checkGEMM(t) { Issue.record("\(failure)") }
            }
        }
    }

    /// Every kernel choice (`.automatic` included) through the public `gemm`, on the same kinds
    /// of cases.
    @Test(arguments: GEMMKernel.allCases, 0..<3)
    func kernelForced(kernel: GEMMKernel, form: Int) {
        let (ta, tb) = Self.forms[form]
        let cases: [(Int, Int, Int, Float, Int, EpilogueKind)] = [
            (1, 1, 1, 0, 1, .none), (7, 17, 15, 0, 1, .none), (16, 16, 16, 1, 1, .none),
            (33, 31, GEMMBlocking.kc + 1, 0.5, 2, .none), (255, 20, 33, 0, 3, .bias), (13, 70, 20, 0, 2, .biasScaledTanh),
            (20, 40, 30, 1, 2, .derivative), (18, 40, 70, 0.5, 2, .bias), (12, 17, 3, 0, 1, .none),
            (30, 40, 50, 0.5, 1, .none),
        ]
        for (m, n, k, beta, threads, kind) in cases {
            let t = GEMMCase(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1.5, beta: beta,
                             padA: 1, padC: 2, threads: threads, epilogue: kind, kernel: kernel)
            if let failure = checkGEMM(t) { Issue.record("\(failure)"); return }
        }
    }

    /// Zero-sized products return without touching C.
    @Test func emptyShapes() {
        var c: [Float] = [7]
        let one: [Float] = [1]
        c.withUnsafeMutableBufferPointer { cb in
            gemm(.none, .none, m: 0, n: 1, k: 1, alpha: 1, a: one, lda: 1, b: one, ldb: 1,
                 beta: 0, c: cb.baseAddress!, ldc: 1)
            gemm(.none, .none, m: 1, n: 0, k: 1, alpha: 1, a: one, lda: 1, b: one, ldb: 1,
                 beta: 0, c: cb.baseAddress!, ldc: 1)
        }
        #expect(c == [7])
    }

    /// The thread-count default is settable and clamped to ≥ 1.
    @Test func threadCountDefault() {
        let saved = defaultThreadCount
        defaultThreadCount = 0
        #expect(defaultThreadCount == 1)
        defaultThreadCount = saved
        #expect(defaultThreadCount == saved)
    }
}

@Suite struct MatrixGEMMTests {
    @Test func productAndEpilogue() {
        let a = Matrix(rows: 2, cols: 3, storage: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 2, cols: 3, storage: [1, 0, -1, 2, 1, 0])
        // A · Bᵀ = [[1·1+2·0+3·(−1), 1·2+2·1+3·0], [4−6, 8+5]] = [[-2, 4], [-2, 13]]
        #expect(Matrix.product(a, .none, b, .transposed).storage == [-2, 4, -2, 13])
        // Aᵀ · A is 3 × 3; check one element: column 0 · column 2 = 1·3 + 4·6 = 27
        #expect(Matrix.product(a, .transposed, a, .none)[0, 2] == 27)
        var c = Matrix(rows: 2, cols: 2, repeating: .nan)
        Matrix.multiply(a, .none, b, .transposed, into: &c, bias: [2, -4], scaledTanh: true)
        #expect(abs(c[0, 0] - 0) < 1e-6 && abs(c[1, 1] - Float(ScaledTanh.reference(9))) < 1e-6)
    }
}

@Suite struct MatrixViewTests {
    /// A product of strided sub-blocks written into a sub-block of a larger C, via views.
    @Test func blockProduct() {
        var rng = TestRandom(seed: 99)
        let big = Matrix(rows: 40, cols: 50, storage: rng.array(40 * 50))
        var out = Matrix(rows: 30, cols: 60, repeating: 7)
        big.withView { v in
            out.withMutableView { o in
                let a = v.block(row: 3, col: 5, rows: 20, cols: 17)     // 20 × 17
                let b = v.block(row: 10, col: 1, rows: 25, cols: 17)    // op(B) = Bᵀ: 17 × 25
                gemm(a, .none, b, .transposed, into: o.block(row: 2, col: 30, rows: 20, cols: 25),
                     alpha: 2, threads: 2)
            }
        }
        for i in 0..<30 {
            for j in 0..<60 {
                if (2..<22).contains(i) && (30..<55).contains(j) {
                    var s = 0.0
                    for p in 0..<17 { s += Double(big[3 + i - 2, 5 + p]) * Double(big[10 + j - 30, 1 + p]) }
                    #expect(abs(Double(out[i, j]) - 2 * s) <= 1e-4)
                } else {
                    #expect(out[i, j] == 7)
                }
            }
        }
    }
}
