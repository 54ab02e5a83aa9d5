import Linalg

/// A range that the model's outputs are clipped to wherever they are used (e.g. the
/// normalised 0…255 pixel scale), so the loss need not punish an output beyond a bound when
/// its target lies on that bound: clipping makes such an output exact.
public struct OutputBounds: Equatable, Sendable {
    /// The smallest value an output is used as.
    public var lower: Float
    /// The largest value an output is used as.
    public var upper: Float

    /// Bounds with `lower < upper`.
    public init(lower: Float, upper: Float) {
        precondition(lower < upper, "bounds must satisfy lower < upper")
        self.lower = lower
        self.upper = upper
    }

    /// The error that counts for an output against its target: 0 when the output lies beyond
    /// a bound that the target sits on (at or past), else `output − target`.
    @inlinable
    public func error(output o: Float, target t: Float) -> Float {
        if o >= upper && t >= upper { return 0 }
        if o <= lower && t <= lower { return 0 }
        return o - t
    }
}

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
    ///   - bounds: if set, each error is ``OutputBounds/error(output:target:)`` (an output
    ///     beyond a bound its target sits on costs nothing), else `output − target`.
    /// - Returns: the loss `L`.
    package static func lossAndGradient(outputs: UnsafePointer<Float>, targets: UnsafePointer<Float>,
                                       rows: Int, columns: Int,
                                       gradient: UnsafeMutablePointer<Float>,
                                       rowLosses: UnsafeMutablePointer<Float>?,
                                       bounds: OutputBounds? = nil) -> Float {
        guard rows > 0 && columns > 0 else { return 0 }
        let scale = 2 / Float(rows * columns)
        var total: Double = 0
        for r in 0..<rows {
            let o = outputs + r * columns, t = targets + r * columns, g = gradient + r * columns
            var rowSum: Float = 0
            if let bounds {
                for j in 0..<columns {
                    let d = bounds.error(output: o[j], target: t[j])
                    rowSum += d * d
                    g[j] = scale * d
                }
            } else {
                for j in 0..<columns {
                    let d = o[j] - t[j]
                    rowSum += d * d
                    g[j] = scale * d
                }
            }
            total += Double(rowSum)
            rowLosses?[r] = rowSum / Float(columns)
        }
        return Float(total / Double(rows * columns))
    }
}
