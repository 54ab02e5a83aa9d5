/// A dense, row-major matrix of `Float`, stored contiguously with row stride `cols`.
///
/// `Matrix` is a value type (copy-on-write through its `[Float]` storage). Hot loops work
/// on its storage through `withUnsafeBufferPointer` / `withUnsafeMutableBufferPointer`
/// and hand raw pointers plus a leading dimension to ``gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:)``.
public struct Matrix: Equatable, Sendable {
    /// Number of rows (≥ 0).
    public let rows: Int
    /// Number of columns (≥ 0); also the row stride of `storage`.
    public let cols: Int
    /// The elements, row after row: element (r, c) is at `r * cols + c`.
    public var storage: [Float]

    /// A `rows × cols` matrix with every element set to `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.storage = [Float](repeating: value, count: rows * cols)
    }

    /// A `rows × cols` matrix wrapping `storage` (row-major); `storage.count` must equal `rows * cols`.
    public init(rows: Int, cols: Int, storage: [Float]) {
        precondition(rows >= 0 && cols >= 0 && storage.count == rows * cols,
                     "Matrix storage must hold rows × cols elements")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Element at row `r`, column `c` (both zero-based, bounds-checked by the array).
    @inlinable
    public subscript(r: Int, c: Int) -> Float {
        get { storage[r * cols + c] }
        set { storage[r * cols + c] = newValue }
    }
}
