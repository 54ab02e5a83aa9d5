import Linalg

/// The nonlinearity a ``DenseLayer`` applies to its affine output.
public enum LayerActivation: UInt8, Equatable, Sendable, CaseIterable {
    /// No nonlinearity: the layer is affine (used for the output layer).
    case identity = 0
    /// LeCun's scaled hyperbolic tangent `1.7159 · tanh(2/3 · x)` (``ScaledTanh`` in Linalg).
    case scaledTanh = 1

    /// Applies the activation in place to `count` values.

    func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity: break
        case .scaledTanh: ScaledTanh.apply(x, count: count)
        }
    }

    /// Multiplies `gradient` in place by the derivative, computed from the activation's `output`.

    func multiplyByDerivative(output: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity: break
        case .scaledTanh: ScaledTanh.multiplyByDerivative(output: output, gradient: gradient, count: count)
        }
    }
}
