/// Small BLAS-1-style kernels the trainer needs besides GEMM, on raw `Float` buffers, SIMD16 wide.
public enum VectorOps {
    /// Column sums of a row-major `rows × cols` matrix (row stride `ld ≥ cols`), e.g. the bias
    /// gradient `Σ_i dY[i][j]`: `out[j] = (accumulate ? out[j] : 0) + Σ_i a[i·ld + j]`.
    ///
    /// Summation is in Float, row by row (error ≤ rows · eps · Σ|a|).
    public static func columnSums(_ a: UnsafePointer<Float>, rows: Int, cols: Int, ld: Int,
                                  into out: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        precondition(rows >= 0 && cols >= 0 && ld >= cols, "columnSums: bad shape")
        if !accumulate { out.update(repeating: 0, count: cols) }
        let ro = UnsafeMutableRawPointer(out)
        var j = 0
        // 64 columns at a time: four independent accumulators per row sweep.
        while j + 64 <= cols {
            var s0 = ro.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self)
            var s1 = ro.loadUnaligned(fromByteOffset: j * 4 + 64, as: SIMD16<Float>.self)
            var s2 = ro.loadUnaligned(fromByteOffset: j * 4 + 128, as: SIMD16<Float>.self)
            var s3 = ro.loadUnaligned(fromByteOffset: j * 4 + 192, as: SIMD16<Float>.self)
            for i in 0..<rows {
                let r = UnsafeRawPointer(a + i * ld + j)
                s0 += r.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
                s1 += r.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                s2 += r.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
                s3 += r.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            }
            ro.storeBytes(of: s0, toByteOffset: j * 4, as: SIMD16<Float>.self)
            ro.storeBytes(of: s1, toByteOffset: j * 4 + 64, as: SIMD16<Float>.self)
            ro.storeBytes(of: s2, toByteOffset: j * 4 + 128, as: SIMD16<Float>.self)
            ro.storeBytes(of: s3, toByteOffset: j * 4 + 192, as: SIMD16<Float>.self)
            j += 64
        }
        while j + 16 <= cols {
            var s = ro.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self)
            for i in 0..<rows {
                s += UnsafeRawPointer(a + i * ld + j).loadUnaligned(as: SIMD16<Float>.self)
            }
            ro.storeBytes(of: s, toByteOffset: j * 4, as: SIMD16<Float>.self)
            j += 16
        }
        while j < cols {
            var s = out[j]
            for i in 0..<rows { s += a[i * ld + j] }
            out[j] = s
            j += 1
        }
    }

    /// `y[i] += alpha · x[i]` for i < count (count ≥ 0); x and y must not overlap unless equal.
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>,
                            _ y: UnsafeMutablePointer<Float>, count: Int) {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let va = SIMD16<Float>(repeating: alpha)
        var i = 0
        while i + 16 <= count {
            let vx = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let vy = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            ry.storeBytes(of: vy.addingProduct(va, vx), toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            y[i] += alpha * x[i]
            i += 1
        }
    }

    /// `x[i] *= alpha` for i < count (count ≥ 0).
    public static func scale(_ alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int) {
        let rx = UnsafeMutableRawPointer(x)
        let va = SIMD16<Float>(repeating: alpha)
        var i = 0
        while i + 16 <= count {
            let v = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rx.storeBytes(of: v * va, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            x[i] *= alpha
            i += 1
        }
    }
}
