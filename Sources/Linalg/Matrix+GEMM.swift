extension Matrix {
    /// `C = epilogue(alpha · op(A) · op(B) + beta · C)` on whole matrices (see
    /// ``gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:epilogue:kernel:)``).
    ///
    /// - Parameters:
    ///   - a, transA: op(A) must be `c.rows × K`.
    ///   - b, transB: op(B) must be `K × c.cols`.
    ///   - bias: `nil`, or one value per column of C, added before the activation.
    ///   - scaledTanh: apply `1.7159 · tanh(2/3 · x)` to every result element.
    public static func multiply(_ a: Matrix, _ transA: Transpose = .none,
                                _ b: Matrix, _ transB: Transpose = .none,
                                into c: inout Matrix, alpha: Float = 1, beta: Float = 0,
                                bias: [Float]? = nil, scaledTanh: Bool = false,
                                threads: Int = defaultThreadCount) {
        let m = transA == .none ? a.rows : a.cols
        let k = transA == .none ? a.cols : a.rows
        let kb = transB == .none ? b.rows : b.cols
        let n = transB == .none ? b.cols : b.rows
        precondition(k == kb && c.rows == m && c.cols == n, "Matrix.multiply: shape mismatch")
        precondition(bias == nil || bias!.count == n, "Matrix.multiply: bias needs one value per column")
        let biasArray = bias ?? []
        biasArray.withUnsafeBufferPointer { biasBuffer in
            let epilogue: GEMMEpilogue
            switch (bias != nil, scaledTanh) {
            case (true, true): epilogue = .biasScaledTanh(biasBuffer.baseAddress!)
            case (true, false): epilogue = .bias(biasBuffer.baseAddress!)
            case (false, true): epilogue = .scaledTanh
            case (false, false): epilogue = .none
            }
            a.storage.withUnsafeBufferPointer { ab in
                b.storage.withUnsafeBufferPointer { bb in
                    c.storage.withUnsafeMutableBufferPointer { cb in
                        guard let ap = ab.baseAddress, let bp = bb.baseAddress,
                              let cp = cb.baseAddress else { return }
                        gemm(transA, transB, m: m, n: n, k: k, alpha: alpha,
                             a: ap, lda: max(1, a.cols), b: bp, ldb: max(1, b.cols), beta: beta,
                             c: cp, ldc: max(1, c.cols), threads: threads, epilogue: epilogue)
                    }
                }
            }
        }
    }

    /// `op(A) · op(B)` as a new matrix.
    public static func product(_ a: Matrix, _ transA: Transpose = .none,
                               _ b: Matrix, _ transB: Transpose = .none,
                               threads: Int = defaultThreadCount) -> Matrix {
        let m = transA == .none ? a.rows : a.cols
        let n = transB == .none ? b.cols : b.rows
        var c = Matrix(rows: m, cols: n)
        multiply(a, transA, b, transB, into: &c, threads: threads)
        return c
    }
}
