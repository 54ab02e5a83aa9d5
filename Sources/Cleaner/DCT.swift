/// The orthonormal 8×8 DCT-II of JPEG (ITU-T T.81 A.3.3) in `Float`:
///
///     F(v,u) = ¼ C(u) C(v) Σₓ Σᵧ f(y,x) cos((2x+1)uπ/16) cos((2y+1)vπ/16),
///     C(0) = 1/√2, C(k) = 1 otherwise,
///
/// and its inverse. Blocks are 64 values in natural row-major order (index = row·8 +
/// column; for coefficients the row is the vertical frequency v, the column u). The
/// transforms themselves do no level shift: callers subtract 128 from 8-bit samples before
/// ``forward(_:)`` and add it back after ``inverse(_:)``, as ``DCTBlocks`` does.
public enum DCT8x8 {
    /// `basis[k * 8 + x] = ½ C(k) cos((2x+1)kπ/16)`: row k is the k-th 1-D basis vector,
    /// so the 2-D transform is `F = B · f · Bᵀ`.
    public static let basis: [Float] = {
        var b = [Float](repeating: 0, count: 64)
        for k in 0..<8 {
            let c = k == 0 ? 0.707_106_781_186_547_524_400_844_362_105 : 1.0  // 1/√2
            for x in 0..<8 {
                b[k * 8 + x] = Float(0.5 * c * cosine(Double((2 * x + 1) * k) * Double.pi / 16))
            }
        }
        return b
    }()

    /// Forward DCT of one block in place (64 contiguous values).
    @inlinable
    public static func forward(_ block: UnsafeMutablePointer<Float>) {
        basis.withUnsafeBufferPointer { b in transform(block, b.baseAddress!, inverse: false) }
    }

    /// Inverse DCT of one block in place (64 contiguous values).
    @inlinable
    public static func inverse(_ block: UnsafeMutablePointer<Float>) {
        basis.withUnsafeBufferPointer { b in transform(block, b.baseAddress!, inverse: true) }
    }

    /// Forward DCT of a 64-element array (convenience for tests and small uses).
    public static func forward(_ block: [Float]) -> [Float] {
        precondition(block.count == 64, "an 8×8 block has 64 values")
        var out = block
        out.withUnsafeMutableBufferPointer { forward($0.baseAddress!) }
        return out
    }

    /// Inverse DCT of a 64-element array.
    public static func inverse(_ block: [Float]) -> [Float] {
        precondition(block.count == 64, "an 8×8 block has 64 values")
        var out = block
        out.withUnsafeMutableBufferPointer { inverse($0.baseAddress!) }
        return out
    }

    /// Separable transform: rows then columns. Forward computes `B f Bᵀ`, inverse `Bᵀ F B`.
    @usableFromInline
    static func transform(_ p: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>,
                          inverse: Bool) {
        var tmp = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(),
                   SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        withUnsafeMutableBytes(of: &tmp) { raw in
            let t = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            // Pass 1 along each row: t[r][k] = Σ_x p[r][x] · M(k, x).
            for r in 0..<8 {
                for k in 0..<8 {
                    var s: Float = 0
                    for x in 0..<8 {
                        let m = inverse ? b[x * 8 + k] : b[k * 8 + x]
                        s += p[r * 8 + x] * m
                    }
                    t[r * 8 + k] = s
                }
            }
            // Pass 2 along each column: p[k][c] = Σ_r M(k, r) · t[r][c].
            for k in 0..<8 {
                for c in 0..<8 {
                    var s: Float = 0
                    for r in 0..<8 {
                        let m = inverse ? b[r * 8 + k] : b[k * 8 + r]
                        s += m * t[r * 8 + c]
                    }
                    p[k * 8 + c] = s
                }
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
