/// How plain SGD scales the learning rate of each layer by the layer's fan-in (its number of
/// inputs), so that wide layers take proportionally smaller steps.
public enum FanInScaling: UInt8, Equatable, Sendable, CaseIterable {
    /// Every layer uses the base rate η.
    case none = 0
    /// Layer rate `η / √fanIn`, as LeCun et al., "Efficient BackProp" (1998), recommend.
    case inverseSquareRoot = 1
    /// Layer rate `η / fanIn`, as Burger, Schuler & Harmeling (2012) train their MLP denoisers.
    case inverse = 2

    /// The factor a layer with `fanIn` inputs multiplies the base rate by.
    public func factor(fanIn: Int) -> Float {
        switch self {
        case .none: return 1
        case .inverseSquareRoot: return Float(1 / SquareRoot.of(Double(fanIn)))
        case .inverse: return 1 / Float(fanIn)
        }
    }
}

/// The update rule applied to the parameters after each minibatch.
public enum Optimizer: Equatable, Sendable {
    /// Stochastic gradient descent with optional (heavy-ball) momentum, the per-layer rate
    /// scaled by fan-in: `v ← μ·v + g`, `w ← w − η_layer·v` (with μ = 0, `w ← w − η_layer·g`).
    case sgd(momentum: Float = 0, fanInScaling: FanInScaling = .inverse)
    /// Adam (Kingma & Ba 2015) with bias correction, one rate for all layers:
    /// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `w ← w − η·m̂ / (√v̂ + ε)`.
    case adam(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)

    /// Number of moment buffers (each as long as the parameter vector) the rule keeps.
    var momentCount: Int {
        switch self {
        case let .sgd(momentum, _): return momentum == 0 ? 0 : 1
        case .adam: return 2
        }
    }
}

/// The optimiser's moment buffers: SGD's velocity, or Adam's first and second moments.
struct OptimizerState: Equatable, Sendable {
    /// Velocity (SGD with momentum) or first moment (Adam); empty when unused.
    var first: [Float]
    /// Second moment (Adam); empty when unused.
    var second: [Float]

    init(optimizer: Optimizer, parameterCount: Int) {
        first = optimizer.momentCount >= 1 ? [Float](repeating: 0, count: parameterCount) : []
        second = optimizer.momentCount >= 2 ? [Float](repeating: 0, count: parameterCount) : []
    }

    init(first: [Float], second: [Float]) {
        self.first = first
        self.second = second
    }

    /// Applies one update with base learning rate `rate` at 1-based step `step`.
    mutating func update(_ optimizer: Optimizer, parameters: inout [Float], gradient: UnsafePointer<Float>,
                         rate: Float, step: Int, layers: [DenseLayer]) {
        switch optimizer {
        case let .sgd(momentum, scaling):
            var offset = 0
            parameters.withUnsafeMutableBufferPointer { w in
                first.withUnsafeMutableBufferPointer { v in
                    for layer in layers {
                        let eta = rate * scaling.factor(fanIn: layer.inputSize)
                        let wp = w.baseAddress! + offset, g = gradient + offset
                        let n = layer.parameterCount
                        if momentum == 0 {
                            for i in 0..<n { wp[i] -= eta * g[i] }
                        } else {
                            let vp = v.baseAddress! + offset
                            for i in 0..<n {
                                vp[i] = momentum * vp[i] + g[i]
                                wp[i] -= eta * vp[i]
                            }
                        }
                        offset += n
                    }
                }
            }
        case let .adam(beta1, beta2, epsilon):
            Adam.update(parameters: &parameters, gradient: gradient, firstMoment: &first, secondMoment: &second,
                        rate: rate, step: step, beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }
}
