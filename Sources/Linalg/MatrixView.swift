/// A read-only, row-major view of `rows × cols` floats with row stride `stride ≥ cols`, e.g. a
/// sub-block of a larger matrix. The memory must outlive every use of the view.
public struct MatrixView: @unchecked Sendable {
    /// Address of element (0, 0).
    public var base: UnsafePointer<Float>
    /// Number of rows (≥ 0).
    public var rows: Int
    /// Number of columns (≥ 0).
    public var cols: Int
    /// Distance in elements between the starts of consecutive rows (≥ cols, ≥ 1).
    public var stride: Int

    /// A view of `rows × cols` elements at `base` with row stride `stride` (default: `cols`).
    public init(_ base: UnsafePointer<Float>, rows: Int, cols: Int, stride: Int? = nil) {
        let s = stride ?? max(1, cols)
        precondition(rows >= 0 && cols >= 0 && s >= max(1, cols), "MatrixView: bad shape or stride")
        self.base = base
        self.rows = rows
        self.cols = cols
        self.stride = s
    }

    /// Element (r, c), both zero-based; not bounds-checked in release builds.
    @inlinable public subscript(r: Int, c: Int) -> Float {
        assert(r >= 0 && r < rows && c >= 0 && c < cols)
        return base[r * stride + c]
    }

    /// The sub-block of `rowCount × colCount` elements starting at (`row`, `col`), same stride.
    public func block(row: Int, col: Int, rows rowCount: Int, cols colCount: Int) -> MatrixView {
        precondition(row >= 0 && col >= 0 && row + rowCount <= rows && col + colCount <= cols,
                     "MatrixView.block out of range")
        return MatrixView(base + row * stride + col, rows: rowCount, cols: colCount, stride: stride)
    }
}

/// A mutable, row-major view of `rows × cols` floats with row stride `stride ≥ cols`.
public struct MutableMatrixView: @unchecked Sendable {
    /// Address of element (0, 0).
    public var base: UnsafeMutablePointer<Float>
    /// Number of rows (≥ 0).
    public var rows: Int
    /// Number of columns (≥ 0).
    public var cols: Int
    /// Distance in elements between the starts of consecutive rows (≥ cols, ≥ 1).
    public var stride: Int

    /// A view of `rows × cols` elements at `base` with row stride `stride` (default: `cols`).
    public init(_ base: UnsafeMutablePointer<Float>, rows: Int, cols: Int, stride: Int? = nil) {
        let s = stride ?? max(1, cols)
        precondition(rows >= 0 && cols >= 0 && s >= max(1, cols), "MutableMatrixView: bad shape or stride")
        self.base = base
        self.rows = rows
        self.cols = cols
        self.stride = s
    }

    /// Element (r, c), both zero-based; not bounds-checked in release builds.
    @inlinable public subscript(r: Int, c: Int) -> Float {
        get {
            assert(r >= 0 && r < rows && c >= 0 && c < cols)
            return base[r * stride + c]
        }
        nonmutating set {
            assert(r >= 0 && r < rows && c >= 0 && c < cols)
            base[r * stride + c] = newValue
        }
    }

    /// The same memory, read-only.
    public var readOnly: MatrixView { MatrixView(UnsafePointer(base), rows: rows, cols: cols, stride: stride) }

    /// The sub-block of `rowCount × colCount` elements starting at (`row`, `col`), same stride.
    public func block(row: Int, col: Int, rows rowCount: Int, cols colCount: Int) -> MutableMatrixView {
        precondition(row >= 0 && col >= 0 && row + rowCount <= rows && col + colCount <= cols,
                     "MutableMatrixView.block out of range")
        return MutableMatrixView(base + row * stride + col, rows: rowCount, cols: colCount, stride: stride)
    }
}

/// `C = epilogue(alpha · op(A) · op(B) + beta · C)` on views (strides become leading dimensions).
///
/// op(A) must be `c.rows × K` and op(B) `K × c.cols`; see
/// ``gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:epilogue:kernel:)`` for the rest.
public func gemm(_ a: MatrixView, _ transA: Transpose, _ b: MatrixView, _ transB: Transpose,
                 into c: MutableMatrixView, alpha: Float = 1, beta: Float = 0,
                 threads: Int = defaultThreadCount, epilogue: GEMMEpilogue = .none) {
    let m = transA == .none ? a.rows : a.cols
    let k = transA == .none ? a.cols : a.rows
    let kb = transB == .none ? b.rows : b.cols
    let n = transB == .none ? b.cols : b.rows
    precondition(k == kb && c.rows == m && c.cols == n, "gemm(views): shape mismatch")
    gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a.base, lda: a.stride,
         b: b.base, ldb: b.stride, beta: beta, c: c.base, ldc: c.stride,
         threads: threads, epilogue: epilogue)
}

extension Matrix {
    /// Calls `body` with a read-only view of the whole matrix.
    public func withView<R>(_ body: (MatrixView) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { buffer in
            // An empty array may have no base address; any valid pointer serves a 0-element view.
            var dummy: Float = 0
            return try withUnsafePointer(to: &dummy) { fallback in
                try body(MatrixView(buffer.baseAddress ?? fallback, rows: rows, cols: cols))
            }
        }
    }

    /// Calls `body` with a mutable view of the whole matrix.
    public mutating func withMutableView<R>(_ body: (MutableMatrixView) throws -> R) rethrows -> R {
        let (r, c) = (rows, cols)
        return try storage.withUnsafeMutableBufferPointer { buffer in
            var dummy: Float = 0
            return try withUnsafeMutablePointer(to: &dummy) { fallback in
                try body(MutableMatrixView(buffer.baseAddress ?? fallback, rows: r, cols: c))
            }
        }
    }
}
