/// Whether an operand of ``gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:)`` is used as stored or transposed.
public enum Transpose: Sendable {
    /// Use the operand as stored.
    case none
    /// Use the transpose of the stored operand.
    case transposed
}

/// The number of threads GEMM uses when none is given: the cores available (at least 1).
public var defaultThreadCount: Int { 1 }

/// Computes `C = alpha · op(A) · op(B) + beta · C` on row-major single-precision matrices.
///
/// - Parameters:
///   - transA: `.none`: A is stored `m × k` (row stride `lda`); `.transposed`: A is stored `k × m`.
///   - transB: `.none`: B is stored `k × n` (row stride `ldb`); `.transposed`: B is stored `n × k`.
///   - m, n, k: the shape of the product: op(A) is `m × k`, op(B) is `k × n`, C is `m × n`.
///   - alpha, beta: scale factors; when `beta == 0`, C is not read (it may hold NaN).
///   - c: `m × n`, row stride `ldc`.
///   - threads: how many threads may work on the product (≥ 1).
///
/// Reference implementation (to be replaced by the packed SIMD kernel).
public func gemm(_ transA: Transpose, _ transB: Transpose,
                 m: Int, n: Int, k: Int,
                 alpha: Float,
                 a: UnsafePointer<Float>, lda: Int,
                 b: UnsafePointer<Float>, ldb: Int,
                 beta: Float,
                 c: UnsafeMutablePointer<Float>, ldc: Int,
                 threads: Int = defaultThreadCount) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                let av = transA == .none ? a[i * lda + p] : a[p * lda + i]
                let bv = transB == .none ? b[p * ldb + j] : b[j * ldb + p]
                sum += av * bv
            }
            let old = beta == 0 ? 0 : beta * c[i * ldc + j]
            c[i * ldc + j] = alpha * sum + old
        }
    }
}
