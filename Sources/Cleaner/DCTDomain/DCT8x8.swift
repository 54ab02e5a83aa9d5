/// The orthonormal 8×8 DCT-II of JPEG (ITU-T T.81 A.3.3) in `Float`:
///
///     F(v,u) = ¼ C(u) C(v) Σₓ Σᵧ f(y,x) cos((2x+1)uπ/16) cos((2y+1)vπ/16),
///     C(0) = 1/√2, C(k) = 1 otherwise,
///
/// and its inverse. Blocks are 64 values in natural row-major order (index = row·8 +
/// column; for coefficients the row is the vertical frequency v, the column u). The
/// transforms themselves do no level shift: callers subtract 128 from 8-bit samples before
/// ``forward(_:)`` and add it back after ``inverse(_:)``, as ``DCTBlocks`` does.
enum DCT8x8 {
    /// `basis[k * 8 + x] = ½ C(k) cos((2x+1)kπ/16)`: row k is the k-th 1-D basis vector,
    /// so the 2-D transform is `F = B · f · Bᵀ`.
    static let basis: [Float] = {
        var b = [Float](repeating: 0, count: 64)
        for k in 0..<8 {
            let c = k == 0 ? 0.707_106_781_186_547_524_400_844_362_105 : 1.0  // 1/√2
            for x in 0..<8 {
                b[k * 8 + x] = Float(0.5 * c * cosine(Double((2 * x + 1) * k) * Double.pi / 16))
            }
        }
        return b
    }()

    /// The rows of ``basis`` (B) and of its transpose (Bᵀ) as SIMD vectors, for the
    /// separable transform `L · X · R` done row-vector-wise: forward `B · f · Bᵀ`, inverse
    /// `Bᵀ · F · B`.
    @usableFromInline
    static let kernel: (b: [SIMD8<Float>], bt: [SIMD8<Float>]) = {
        var b: [SIMD8<Float>] = [], bt: [SIMD8<Float>] = []
        for k in 0..<8 {
            var row = SIMD8<Float>(), col = SIMD8<Float>()
            for x in 0..<8 {
                row[x] = basis[k * 8 + x]
                col[x] = basis[x * 8 + k]
            }
            b.append(row)
            bt.append(col)
        }
        return (b, bt)
    }()

    /// Forward DCT of one block in place.
    /// - Parameter block: the block's 64 values; any other count is a precondition failure.
    static func forward(_ block: UnsafeMutableBufferPointer<Float>) {
        precondition(block.count == 64, "an 8×8 block has 64 values")
        forward(block.baseAddress!)
    }

    /// Inverse DCT of one block in place.
    /// - Parameter block: the block's 64 values; any other count is a precondition failure.
    static func inverse(_ block: UnsafeMutableBufferPointer<Float>) {
        precondition(block.count == 64, "an 8×8 block has 64 values")
        inverse(block.baseAddress!)
    }

    /// Forward DCT of one block in place: the unchecked fast path for the module's block
    /// loops, which must pass 64 contiguous values.
    @inlinable
    static func forward(_ block: UnsafeMutablePointer<Float>) {
        let k = kernel
        k.b.withUnsafeBufferPointer { b in
            k.bt.withUnsafeBufferPointer { bt in
                transform(block, left: b.baseAddress!, right: bt.baseAddress!)
            }
        }
    }

    /// Inverse DCT of one block in place: the unchecked fast path for the module's block
    /// loops, which must pass 64 contiguous values.
    @inlinable
    static func inverse(_ block: UnsafeMutablePointer<Float>) {
        let k = kernel
        k.b.withUnsafeBufferPointer { b in
            k.bt.withUnsafeBufferPointer { bt in
                transform(block, left: bt.baseAddress!, right: b.baseAddress!)
            }
        }
    }

    /// Forward DCT of a 64-element array (convenience for tests and small uses).
    static func forward(_ block: [Float]) -> [Float] {
        precondition(block.count == 64, "an 8×8 block has 64 values")
        var out = block
        out.withUnsafeMutableBufferPointer { forward($0.baseAddress!) }
        return out
    }

    /// Inverse DCT of a 64-element array.
    static func inverse(_ block: [Float]) -> [Float] {
        precondition(block.count == 64, "an 8×8 block has 64 values")
        var out = block
        out.withUnsafeMutableBufferPointer { inverse($0.baseAddress!) }
        return out
    }

    /// `P ← L · P · R` for an 8×8 row-major block P, with L and R given by their rows:
    /// first `Yₖ = Σᵣ L[k][r] · Pᵣ` (rows as vectors), then `Zₖ = Σᵣ Yₖ[r] · Rᵣ`.
    @inlinable
    static func transform(_ p: UnsafeMutablePointer<Float>, left: UnsafePointer<SIMD8<Float>>,
                          right: UnsafePointer<SIMD8<Float>>) {
        let raw = UnsafeMutableRawPointer(p)
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 16) { tmp in
            let x = tmp.baseAddress!, y = x + 8
            for r in 0..<8 { x[r] = raw.loadUnaligned(fromByteOffset: r * 32, as: SIMD8<Float>.self) }
            for k in 0..<8 {
                let l = left[k]
                var acc = x[0] * l[0]
                for r in 1..<8 { acc += x[r] * l[r] }
                y[k] = acc
            }
            for k in 0..<8 {
                let yk = y[k]
                var acc = right[0] * yk[0]
                for r in 1..<8 { acc += right[r] * yk[r] }
                raw.storeBytes(of: acc, toByteOffset: k * 32, as: SIMD8<Float>.self)
            }
        }
    }

    /// cos(x) for the table, from the standard library only (Taylor series after range
    /// reduction to [−π, π] by repeated subtraction, fine for the small arguments here;
    /// accurate to ~1e-15, far below Float precision). No libm call, so the library links
    /// without libm at any optimisation level.
    static func cosine(_ x: Double) -> Double {
        var r = x
        while r > Double.pi { r -= 2 * Double.pi }
        while r < -Double.pi { r += 2 * Double.pi }
        var term = 1.0, sum = 1.0
        let r2 = r * r
        for n in 1..<30 {
            term *= -r2 / Double((2 * n - 1) * (2 * n))
            sum += term
        }
        return sum
    }
}
