/// One GEMM benchmark configuration, written `OP:M:K:N` as in `shared/tools/sgemm_bench.py`.
///
/// `OP` is `NN` (`C[M,N] = A[M,K] · B[K,N]`, the forward pass), `TN` (`C = A[K,M]ᵀ · B[K,N]`, the
/// weight gradient) or `NT` (`C = A[M,K] · B[N,K]ᵀ`, the input gradient). All operands are dense
/// row-major with minimal leading dimensions.
public struct GEMMShape: Sendable, Hashable, CustomStringConvertible {
    /// How A is used.
    public var transA: Transpose
    /// How B is used.
    public var transB: Transpose
    /// Rows of C (≥ 1).
    public var m: Int
    /// Inner dimension (≥ 1).
    public var k: Int
    /// Columns of C (≥ 1).
    public var n: Int

    /// A shape from its parts.
    public init(_ transA: Transpose, _ transB: Transpose, m: Int, k: Int, n: Int) {
        self.transA = transA
        self.transB = transB
        self.m = m
        self.k = k
        self.n = n
    }

    /// Parses `OP:M:K:N` (e.g. `NN:256:1728:2048`); nil unless OP is NN, NT or TN and M, K, N ≥ 1.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, let m = Int(parts[1]), let k = Int(parts[2]), let n = Int(parts[3]),
              m >= 1, k >= 1, n >= 1 else { return nil }
        switch parts[0] {
        case "NN": self.init(.none, .none, m: m, k: k, n: n)
        case "NT": self.init(.none, .transposed, m: m, k: k, n: n)
        case "TN": self.init(.transposed, .none, m: m, k: k, n: n)
        default: return nil
        }
    }

    /// `OP:M:K:N`.
    public var description: String {
        (transA == .none ? "N" : "T") + (transB == .none ? "N" : "T") + ":\(m):\(k):\(n)"
    }

    /// Floating-point operations of one product: `2·M·N·K`.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// The default list of `sgemm_bench.py`: squares 256…2048 (NN), then for each MLP layer at
    /// batch 256 (1728→2048, 2048→2048, 2048→1728) its forward NN, input-gradient NT and
    /// weight-gradient TN forms.
    public static var defaultShapes: [GEMMShape] {
        var shapes = [256, 512, 1024, 2048].map { GEMMShape(.none, .none, m: $0, k: $0, n: $0) }
        shapes += mlpShapes
        return shapes
    }

    /// The nine MLP shapes only (batch 256; fan-in K, fan-out N per layer; NN, NT, TN each).
    public static var mlpShapes: [GEMMShape] {
        var shapes: [GEMMShape] = []
        for (m, k, n) in [(256, 1728, 2048), (256, 2048, 2048), (256, 2048, 1728)] {
            shapes.append(GEMMShape(.none, .none, m: m, k: k, n: n))
            shapes.append(GEMMShape(.none, .transposed, m: m, k: n, n: k))
            shapes.append(GEMMShape(.transposed, .none, m: k, k: m, n: n))
        }
        return shapes
    }
}

/// Times ``gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:epilogue:kernel:)`` the way
/// `sgemm_bench.py` times numpy: each trial repeats the call until `minSeconds` have passed.
public enum GEMMBenchmark {
    /// One trial's result.
    public struct Trial: Sendable {
        /// Wall-clock rate, GFLOP/s (10⁹ FLOP per second).
        public var gflops: Double
        /// FLOPs per CPU-second of the whole process (all threads), GFLOP/s, when a CPU clock was
        /// given; with other load on the machine this is the per-core rate.
        public var gflopsPerCPUSecond: Double?
        /// Calls made in the trial (≥ 1).
        public var calls: Int
    }

    /// Runs `trials` trials of `shape` (after one warm-up call) on deterministic operands in
    /// [-1, 1) and returns them in order. `cpuSeconds`, if given, reads the process CPU time in
    /// seconds (e.g. `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)` in the executable).
    public static func run(_ shape: GEMMShape, threads: Int = defaultThreadCount,
                           trials: Int = 5, minSeconds: Double = 0.25,
                           epilogue biasTanh: Bool = false, kernel: GEMMKernel = .automatic,
                           cpuSeconds: (() -> Double)? = nil) -> [Trial] {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        var state: UInt32 = 12345
        func next() -> Float {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(Int32(bitPattern: state) >> 8) / Float(1 << 23)
        }
        let a = (0..<(m * k)).map { _ in next() }
        let b = (0..<(k * n)).map { _ in next() }
        let bias = (0..<n).map { _ in next() }
        var c = [Float](repeating: 0, count: m * n)
        let lda = shape.transA == .none ? k : m, ldb = shape.transB == .none ? n : k
        var results: [Trial] = []
        let clock = ContinuousClock()
        bias.withUnsafeBufferPointer { biasBuffer in
            let epilogue: GEMMEpilogue = biasTanh ? .biasScaledTanh(biasBuffer.baseAddress!) : .none
            c.withUnsafeMutableBufferPointer { cb in
                let cp = cb.baseAddress!
                let call = {
                    gemm(shape.transA, shape.transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda,
                         b: b, ldb: ldb, beta: 0, c: cp, ldc: n, threads: threads,
                         epilogue: epilogue, kernel: kernel)
                }
                call()
                for _ in 0..<max(1, trials) {
                    var calls = 0
                    let cpu0 = cpuSeconds?()
                    let start = clock.now
                    var elapsed = 0.0
                    repeat {
                        call()
                        calls += 1
                        let d = (clock.now - start).components
                        elapsed = Double(d.seconds) + Double(d.attoseconds) * 1e-18
                    } while elapsed < minSeconds
                    let total = shape.flops * Double(calls)
                    var perCPU: Double? = nil
                    if let cpu0, let cpu1 = cpuSeconds?(), cpu1 > cpu0 { perCPU = total / (cpu1 - cpu0) / 1e9 }
                    results.append(Trial(gflops: total / elapsed / 1e9, gflopsPerCPUSecond: perCPU,
                                         calls: calls))
                }
            }
        }
        return results
    }
}
