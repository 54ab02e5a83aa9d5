import Linalg

/// One `bench gemm` configuration, written `OP:M:K:N` as in the reference script `sgemm_bench.py`.
///
/// `OP` is `NN` (`C[M,N] = A[M,K] · B[K,N]`, the forward pass), `TN` (`C = A[K,M]ᵀ · B[K,N]`, the
/// weight gradient) or `NT` (`C = A[M,K] · B[N,K]ᵀ`, the input gradient). All operands are dense
/// row-major with minimal leading dimensions.
struct GEMMShape: Sendable, Hashable, CustomStringConvertible {
    /// How A is used.
    var transA: Transpose
    /// How B is used.
    var transB: Transpose
    /// Rows of C.
    var m: Int
    /// Inner dimension.
    var k: Int
    /// Columns of C.
    var n: Int

    /// The sizes `bench gemm` accepts for M, K and N.
    static let sizes = 1...65536

    /// A shape from its parts.
    init(_ transA: Transpose, _ transB: Transpose, m: Int, k: Int, n: Int) {
        self.transA = transA
        self.transB = transB
        self.m = m
        self.k = k
        self.n = n
    }

    /// Parses `OP:M:K:N` (e.g. `NN:256:1728:2048`); nil unless OP is NN, NT or TN and M, K, N
    /// are in ``sizes``.
    init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, let m = Int(parts[1]), let k = Int(parts[2]), let n = Int(parts[3]),
              Self.sizes.contains(m), Self.sizes.contains(k), Self.sizes.contains(n) else { return nil }
        switch parts[0] {
        case "NN": self.init(.none, .none, m: m, k: k, n: n)
        case "NT": self.init(.none, .transposed, m: m, k: k, n: n)
        case "TN": self.init(.transposed, .none, m: m, k: k, n: n)
        default: return nil
        }
    }

    /// `OP:M:K:N`.
    var description: String {
        (transA == .none ? "N" : "T") + (transB == .none ? "N" : "T") + ":\(m):\(k):\(n)"
    }

    /// Floating-point operations of one product: `2·M·N·K`.
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// Rows and columns of A as stored (row-major): `M×K`, or `K×M` for `TN`.
    var aDimensions: (rows: Int, cols: Int) { transA == .none ? (m, k) : (k, m) }
    /// Rows and columns of B as stored (row-major): `K×N`, or `N×K` for `NT`.
    var bDimensions: (rows: Int, cols: Int) { transB == .none ? (k, n) : (n, k) }

    /// The default list of `sgemm_bench.py`: squares 256…2048 (NN), then for each MLP layer at
    /// batch 256 (1728→2048, 2048→2048, 2048→1728) its forward NN, input-gradient NT and
    /// weight-gradient TN forms.
    static var defaultShapes: [GEMMShape] {
        [256, 512, 1024, 2048].map { GEMMShape(.none, .none, m: $0, k: $0, n: $0) } + mlpShapes
    }

    /// The nine MLP shapes only (batch 256; fan-in K, fan-out N per layer; NN, NT, TN each).
    static var mlpShapes: [GEMMShape] {
        var shapes: [GEMMShape] = []
        for (m, k, n) in [(256, 1728, 2048), (256, 2048, 2048), (256, 2048, 1728)] {
            shapes.append(GEMMShape(.none, .none, m: m, k: k, n: n))
            shapes.append(GEMMShape(.none, .transposed, m: m, k: n, n: k))
            shapes.append(GEMMShape(.transposed, .none, m: k, k: m, n: n))
        }
        return shapes
    }
}
