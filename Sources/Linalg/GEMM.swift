import Synchronization

/// Whether an operand of ``gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:epilogue:kernel:)`` is used as stored or transposed.
public enum Transpose: Sendable {
    /// Use the operand as stored.
    case none
    /// Use the transpose of the stored operand.
    case transposed
}

/// What ``gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:epilogue:kernel:)`` does to each
/// element of the result as each tile is finished: the bias in registers, the activation (or its
/// derivative) right after, while the tile is still in L1 — C is never re-read from memory for it.
///
/// With `z = alpha · op(A) · op(B) + beta · C` (an `m × n` matrix, rows are samples, columns are
/// features), the stored result is:
/// - `.none`: `z`;
/// - `.bias(b)`: `z[i][j] + b[j]` — `b` points at `n` floats, one per column;
/// - `.biasScaledTanh(b)`: `ScaledTanh(z[i][j] + b[j])`, i.e. `1.7159 · tanh(2/3 · (z + b))`
///   with the SIMD approximation of ``ScaledTanh`` (max relative error in its doc comment);
/// - `.scaledTanh`: `ScaledTanh(z[i][j])`;
/// - `.scaledTanhDerivative(output: y, ld: ldy)`: `z[i][j] · f'(y[i][j])` with
///   `f'(y) = 2/3 · (1.7159 − y²/1.7159)`, where `y` (`m × n`, row stride `ldy ≥ n`) holds the
///   activation's outputs — the backward pass through the activation, fused into the gradient GEMM.
///
/// The bias and output pointers must stay valid for the duration of the call; they are only read
/// and must not overlap C.
public enum GEMMEpilogue: @unchecked Sendable {
    /// Store `alpha · op(A) · op(B) + beta · C` unchanged.
    case none
    /// Add a per-column bias: `n` floats, `C[i][j] += bias[j]`.
    case bias(UnsafePointer<Float>)
    /// Add a per-column bias (`n` floats), then apply `1.7159 · tanh(2/3 · x)`.
    case biasScaledTanh(UnsafePointer<Float>)
    /// Apply `1.7159 · tanh(2/3 · x)` without a bias.
    case scaledTanh
    /// Multiply by the activation's derivative taken from its outputs `y` (`m × n`, row stride `ld`).
    case scaledTanhDerivative(output: UnsafePointer<Float>, ld: Int)
}

/// Which register-blocked micro-kernel ``gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:epilogue:kernel:)`` runs.
///
/// Both kernels give the same results up to floating-point rounding; the choice only affects speed.
/// `allCases` lets the tests run every kernel; a new kernel is one new case, one line in the
/// exhaustive switch of `gemm`, and a `MicroKernel` type (whose tile invariants
/// `MicroKernel.checkInvariants()` enforces).
public enum GEMMKernel: Sendable, CaseIterable {
    /// The build's best kernel: ``wide`` on x86-64 (the package compiles for the build machine's
    /// CPU, AVX-512 on the development machines), ``portable`` elsewhere or when the module is
    /// compiled with `-D LINALG_PORTABLE_KERNEL` (recommended with `UNJPEG_TARGET_CPU=haswell`).
    case automatic
    /// 8 × 48 tile in 24 `SIMD16<Float>` accumulators: one zmm register each with AVX-512.
    /// Correct everywhere, but without 32 vector registers of 512 bits it spills.
    case wide
    /// 6 × 16 tile in 12 `SIMD8<Float>` accumulators: fits AVX2 (16 ymm) and arm64 NEON (32 q).
    case portable

    /// The kernel `.automatic` stands for in this build.
    public static var buildDefault: GEMMKernel {
        #if arch(x86_64) && !LINALG_PORTABLE_KERNEL
        return .wide
        #else
        return .portable
        #endif
    }
}

/// 0: `.automatic` is ``GEMMKernel/buildDefault``; 1: ``GEMMKernel/wide``; 2: ``GEMMKernel/portable``.
private let automaticKernelStorage = Atomic<Int>(0)

extension GEMMKernel {
    /// What `.automatic` runs: ``buildDefault`` unless an executable pinned a kernel with
    /// ``pinAutomatic(_:)``.
    public static var automaticChoice: GEMMKernel {
        switch automaticKernelStorage.load(ordering: .relaxed) {
        case 1: return .wide
        case 2: return .portable
        default: return buildDefault
        }
    }

    /// Makes `.automatic` mean `kernel` for the whole process (`.automatic`: the build's
    /// default again). The two kernels round differently in the last bits, so a test or
    /// tool that compares outputs across machines pins one (`UNJPEG_GEMM_KERNEL=portable`).
    /// Thread-safe (atomic).
    public static func pinAutomatic(_ kernel: GEMMKernel) {
        let code: Int
        switch kernel {
        case .automatic: code = 0
        case .wide: code = 1
        case .portable: code = 2
        }
        automaticKernelStorage.store(code, ordering: .relaxed)
    }
}

private let threadCountStorage = Atomic<Int>(1)

/// The number of threads GEMM uses when none is given (≥ 1). Initially **1**.
///
/// The Linalg module imports only the standard library, Dispatch and Synchronization, none of
/// which reports how many cores the machine has, so it cannot pick this itself. Executables should
/// set it once at start-up, e.g. `defaultThreadCount = ProcessInfo.processInfo.activeProcessorCount`.
/// Values below 1 are stored as 1. Thread-safe (atomic).
public var defaultThreadCount: Int {
    get { threadCountStorage.load(ordering: .relaxed) }
    set { threadCountStorage.store(max(1, newValue), ordering: .relaxed) }
}

/// Computes `C = epilogue(alpha · op(A) · op(B) + beta · C)` on row-major single-precision matrices.
///
/// Uses the packed, cache-blocked BLIS/GotoBLAS algorithm with a SIMD register-blocked
/// micro-kernel; see `PackedGEMM.swift`. Any shapes are accepted (including zero sizes).
///
/// - Parameters:
///   - transA: `.none`: A is stored `m × k` (row stride `lda ≥ k`); `.transposed`: A is stored
///     `k × m` (row stride `lda ≥ m`).
///   - transB: `.none`: B is stored `k × n` (row stride `ldb ≥ n`); `.transposed`: B is stored
///     `n × k` (row stride `ldb ≥ k`).
///   - m, n, k: the shape of the product (each ≥ 0): op(A) is `m × k`, op(B) is `k × n`, C is `m × n`.
///   - alpha, beta: scale factors; when `beta == 0`, C is not read (it may hold NaN).
///   - c: `m × n`, row stride `ldc ≥ n`. Must not overlap A, B or the bias.
///   - threads: how many threads may work on the product (values < 1 mean 1). Small products use
///     fewer threads.
///   - epilogue: what to apply to each result element before it is stored (bias, activation).
///   - kernel: which micro-kernel to use; leave `.automatic` except to test the fallback.
public func gemm(_ transA: Transpose, _ transB: Transpose,
                 m: Int, n: Int, k: Int,
                 alpha: Float,
                 a: UnsafePointer<Float>, lda: Int,
                 b: UnsafePointer<Float>, ldb: Int,
                 beta: Float,
                 c: UnsafeMutablePointer<Float>, ldc: Int,
                 threads: Int = defaultThreadCount,
                 epilogue: GEMMEpilogue = .none,
                 kernel: GEMMKernel = .automatic) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative dimension")
    precondition(lda >= (transA == .none ? k : m), "gemm: lda too small")
    precondition(ldb >= (transB == .none ? n : k), "gemm: ldb too small")
    precondition(ldc >= n, "gemm: ldc too small")
    if case .scaledTanhDerivative(_, let ldy) = epilogue {
        precondition(ldy >= n, "gemm: derivative output stride too small")
    }
    if m == 0 || n == 0 { return }
    let operands = GEMMOperands(transA: transA, transB: transB, m: m, n: n, k: k,
                                alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                beta: beta, c: c, ldc: ldc, epilogue: epilogue)
    packedGEMM(kernel: kernel, operands, threads: threads)
}

/// The blocked driver with `kernel`'s micro-kernel. The switch is exhaustive: a new
/// ``GEMMKernel`` case does not compile until it is dispatched here (the tests call this too).
func packedGEMM(kernel: GEMMKernel, _ operands: GEMMOperands, threads: Int,
                prepackLimit: Int = GEMMBlocking.maxPrepackedA,
                minWorkPerThread: Int = GEMMBlocking.minWorkPerThread) {
    switch kernel {
    case .wide:
        packedGEMM(WideKernel.self, operands, threads: threads, prepackLimit: prepackLimit,
                   minWorkPerThread: minWorkPerThread)
    case .portable:
        packedGEMM(PortableKernel.self, operands, threads: threads, prepackLimit: prepackLimit,
                   minWorkPerThread: minWorkPerThread)
    case .automatic:
        packedGEMM(kernel: GEMMKernel.automaticChoice, operands, threads: threads, prepackLimit: prepackLimit,
                   minWorkPerThread: minWorkPerThread)
    }
}
