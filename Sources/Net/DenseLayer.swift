import Linalg

/// The shape of one fully connected layer, `y = f(x · W + b)`, with examples as rows.
///
/// A layer owns no storage: its parameters live in the ``Model``'s flat parameter vector at
/// ``Model/parameterOffset(layer:)`` — first the weights `W`, `inputSize × outputSize` row-major
/// (so the forward pass of a batch is one untransposed GEMM), then the bias `b` (`outputSize`).
/// Gradients are laid out the same way.
public struct DenseLayer: Equatable, Sendable {
    /// Number of inputs (the fan-in).
    public let inputSize: Int
    /// Number of outputs.
    public let outputSize: Int
    /// The nonlinearity applied after the affine map.
    public let activation: LayerActivation

    /// A layer with the given sizes (both ≥ 1) and activation.
    public init(inputSize: Int, outputSize: Int, activation: LayerActivation) {
        precondition(inputSize >= 1 && outputSize >= 1, "layer sizes must be positive")
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.activation = activation
    }

    /// Number of weights, `inputSize × outputSize`.
    public var weightCount: Int { inputSize * outputSize }
    /// Number of parameters, weights plus biases.
    public var parameterCount: Int { inputSize * outputSize + outputSize }

    /// Forward pass of `batch` rows: `output = f(input · W + b)`.
    ///
    /// - Parameters:
    ///   - input: `batch × inputSize`, row-major.
    ///   - parameters: this layer's weights followed by its biases.
    ///   - output: `batch × outputSize`, overwritten.
    func forward(input: UnsafePointer<Float>, batch: Int, parameters: UnsafePointer<Float>,
                 output: UnsafeMutablePointer<Float>, threads: Int) {
        gemm(.none, .none, m: batch, n: outputSize, k: inputSize, alpha: 1,
             a: input, lda: inputSize, b: parameters, ldb: outputSize,
             beta: 0, c: output, ldc: outputSize, threads: threads)
        let bias = parameters + weightCount
        let n = outputSize
        for r in 0..<batch {
            let row = output + r * n
            for j in 0..<n { row[j] += bias[j] }
            activation.apply(row, count: n)
        }
    }

    /// What a backward pass does with the parameter gradient.
    enum ParameterUpdate {
        /// Write ∂L/∂W then ∂L/∂b to the buffer (overwritten, not accumulated).
        case gradient(UnsafeMutablePointer<Float>)
        /// Apply plain gradient descent in place, `θ ← θ − rate · ∂L/∂θ`, without materialising
        /// the gradient: the weight-gradient GEMM accumulates straight into the weights.
        case descend(rate: Float)
    }

    /// Backward pass of `batch` rows.
    ///
    /// - Parameters:
    ///   - input: the `batch × inputSize` input of the forward pass.
    ///   - output: the `batch × outputSize` output of the forward pass (after the activation).
    ///   - outputGradient: on entry ∂L/∂output; on return ∂L/∂(pre-activation) (modified in place).
    ///   - parameters: this layer's weights followed by its biases (written only by `.descend`).
    ///   - update: whether to write the parameter gradient or descend along it.
    ///   - inputGradient: receives ∂L/∂input (`batch × inputSize`, computed with the weights
    ///     before any update), or nil to skip it (first layer).
    ///   - columnSums: scratch for `outputSize` values.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGradient: UnsafeMutablePointer<Float>, batch: Int,
                  parameters: UnsafeMutablePointer<Float>, update: ParameterUpdate,
                  inputGradient: UnsafeMutablePointer<Float>?, columnSums: UnsafeMutablePointer<Float>,
                  threads: Int) {
        let n = outputSize
        activation.multiplyByDerivative(output: output, gradient: outputGradient, count: batch * n)
        // ∂L/∂input = δ · Wᵀ  (batch × inputSize), before W changes.
        if let inputGradient {
            gemm(.none, .transposed, m: batch, n: inputSize, k: n, alpha: 1,
                 a: outputGradient, lda: n, b: parameters, ldb: n,
                 beta: 0, c: inputGradient, ldc: inputSize, threads: threads)
        }
        // Column sums of δ: ∂L/∂b.
        columnSums.update(repeating: 0, count: n)
        for r in 0..<batch {
            let row = UnsafePointer(outputGradient) + r * n
            for j in 0..<n { columnSums[j] += row[j] }
        }
        switch update {
        case let .gradient(gradient):
            // ∂L/∂W = inputᵀ · δ  (inputSize × outputSize)
            gemm(.transposed, .none, m: inputSize, n: n, k: batch, alpha: 1,
                 a: input, lda: inputSize, b: outputGradient, ldb: n,
                 beta: 0, c: gradient, ldc: n, threads: threads)
            (gradient + weightCount).update(from: columnSums, count: n)
        case let .descend(rate):
            // W ← W − rate · inputᵀ · δ
            gemm(.transposed, .none, m: inputSize, n: n, k: batch, alpha: -rate,
                 a: input, lda: inputSize, b: outputGradient, ldb: n,
                 beta: 1, c: parameters, ldc: n, threads: threads)
            let bias = parameters + weightCount
            for j in 0..<n { bias[j] -= rate * columnSums[j] }
        }
    }
}
