import Linalg

/// `unjpeg bench gemm`: GEMM GFLOP/s on square and MLP shapes, in the shape syntax of
/// the reference script `sgemm_bench.py` (`OP:M:K:N`), so both tools measure the same list.
enum BenchGEMMCommand: Command {
    static let spec = CommandSpec(
        path: "bench gemm",
        abstract: "Measure single-precision GEMM speed (GFLOP/s).",
        discussion: """
        Shapes are OP:M:K:N with OP one of NN (C = A·B, forward), NT (C = A·Bᵀ, input
        gradient) and TN (C = Aᵀ·B, weight gradient), as in the reference script sgemm_bench.py.
        Default: squares 256…2048 and the MLP shapes at batch 256 with their backprop forms.
        The kernel column names the micro-kernel that ran: wide (8×48 tile, SIMD16, AVX-512)
        or portable (6×16 tile, SIMD8); UNJPEG_GEMM_KERNEL=wide|portable chooses one.
        """,
        options: [
            .value("threads", "n", help: "Comma-separated thread counts.", default: "1,2"),
            .value("shapes", "OP:M:K:N", help: "A shape to measure (repeatable).", repeatable: true),
            .value("trials", "n", help: "Trials per shape; the best is reported.", default: "5"),
            .value("min-time", "s", help: "Minimum seconds per trial.", default: "0.3"),
            .flag("json", help: "Print one JSON object per line instead of a table."),
        ])

    static func parseShape(_ text: String) throws -> GEMMShape {
        guard let shape = GEMMShape(parsing: text) else {
            throw UsageError("The shape '\(text)' is invalid: expected OP:M:K:N with OP in NN, NT, TN and sizes 1…65536.", command: spec)
        }
        return shape
    }

    static func run(_ arguments: ParsedArguments) throws {
        let shapes = try arguments.all("shapes").isEmpty ? GEMMShape.defaultShapes : arguments.all("shapes").map(parseShape)
        let threadList = try (arguments.value("threads") ?? "1,2").split(separator: ",").map { text -> Int in
            guard let t = Int(text), (1...256).contains(t) else {
                throw UsageError("The value '\(text)' is invalid for '--threads': expected integers 1…256.", command: spec)
            }
            return t
        }
        let trials = try arguments.int("trials", default: 5, in: 1...1000, command: spec)
        let minTime = try arguments.double("min-time", default: 0.3, in: 0...60, command: spec)
        var printer = BenchPrinter(json: arguments.flag("json"))
        var generator = SystemRandomNumberGenerator()
        let kernel = kernelName(GEMMKernel.automaticChoice)
        for threads in threadList {
            for shape in shapes {
                let (rowsA, colsA) = shape.aDimensions
                let (rowsB, colsB) = shape.bDimensions
                let a = (0..<rowsA * colsA).map { _ in Float.random(in: -1...1, using: &generator) }
                let b = (0..<rowsB * colsB).map { _ in Float.random(in: -1...1, using: &generator) }
                var c = [Float](repeating: 0, count: shape.m * shape.n)
                let samples = a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            Bench.measure(trials: trials, minTime: minTime) {
                                gemm(shape.transA, shape.transB, m: shape.m, n: shape.n, k: shape.k, alpha: 1,
                                     a: ap.baseAddress!, lda: colsA, b: bp.baseAddress!, ldb: colsB,
                                     beta: 0, c: cp.baseAddress!, ldc: shape.n, threads: threads)
                            }
                        }
                    }
                }
                let flops = shape.flops
                let (best, median) = Bench.bestAndMedian(samples)
                printer.emit(BenchRow(fields: [
                    ("shape", shape.description),
                    ("kernel", kernel),
                    ("threads", threads),
                    ("gflops", flops / best.wall / 1e9),
                    ("gflops_median", flops / median / 1e9),
                    ("gflops_per_cpu_s", flops / best.cpu / 1e9),
                ]))
            }
        }
    }

    /// How the table names the micro-kernel `.automatic` runs in this process.
    static func kernelName(_ kernel: GEMMKernel) -> String {
        switch kernel {
        case .wide: return "wide 8x48"
        case .portable: return "portable 6x16"
        case .automatic: return kernelName(GEMMKernel.buildDefault)
        }
    }
}
