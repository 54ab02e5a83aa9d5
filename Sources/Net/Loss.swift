import Linalg

/// The training loss: mean squared error over all elements of a batch,
/// `L = 1/(rows·columns) · Σ (output − target)²`.
public enum MeanSquaredError {
    /// The loss between two matrices of the same shape.
    public static func loss(_ outputs: Matrix, _ targets: Matrix) -> Float {
        precondition(outputs.rows == targets.rows && outputs.cols == targets.cols, "shapes differ")
        var total: Double = 0
        for i in 0..<outputs.storage.count {
            let d = Double(outputs.storage[i] - targets.storage[i])
            total += d * d
        }
        return outputs.storage.isEmpty ? 0 : Float(total / Double(outputs.storage.count))
    }

    /// Computes the loss and its gradient in one pass.
    ///
    /// - Parameters:
    ///   - outputs, targets: `rows × columns`, row-major.
    ///   - gradient: receives `∂L/∂output = 2 · (output − target) / (rows · columns)`
    ///     (may be the same buffer as `outputs`).
    ///   - rowLosses: if not nil, receives each row's own mean squared error (`rows` values).
    /// - Returns: the loss `L`.
    public static func lossAndGradient(outputs: UnsafePointer<Float>, targets: UnsafePointer<Float>,
                                       rows: Int, columns: Int,
                                       gradient: UnsafeMutablePointer<Float>,
                                       rowLosses: UnsafeMutablePointer<Float>?) -> Float {
        guard rows > 0 && columns > 0 else { return 0 }
        let scale = 2 / Float(rows * columns)
        var total: Double = 0
        for r in 0..<rows {
            let o = outputs + r * columns, t = targets + r * columns, g = gradient + r * columns
            var rowSum: Float = 0
            for j in 0..<columns {
                let d = o[j] - t[j]
                rowSum += d * d
                g[j] = scale * d
            }
            total += Double(rowSum)
            rowLosses?[r] = rowSum / Float(columns)
        }
        return Float(total / Double(rows * columns))
    }
}
