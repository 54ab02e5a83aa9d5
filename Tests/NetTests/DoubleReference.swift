@testable import Net

/// An independent forward pass and loss of a ``Model`` in Double, for gradient checks.
struct DoubleReference {
    let model: Model

    static func exp(_ x: Double) -> Double {
        let ln2 = 0.6931471805599453
        let n = (x / ln2).rounded()
        let r = x - n * ln2
        var term = 1.0, sum = 1.0
        for k in 1...25 {
            term *= r / Double(k)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(n), significand: 1)
    }

    static func tanh(_ x: Double) -> Double {
        if x > 20 { return 1 }
        if x < -20 { return -1 }
        let e = exp(2 * x)
        return (e - 1) / (e + 1)
    }

    /// Model outputs for `inputs` (rows × inputSize) with parameters `p` in the model's layout.
    func forward(_ p: [Double], inputs: [Double], rows: Int) -> [Double] {
        let inSize = model.inputSize, outSize = model.outputSize
        var result = [Double]()
        for r in 0..<rows {
            let raw = Array(inputs[r * inSize..<(r + 1) * inSize])
            var a = raw
            let n = model.inputNormalization
            for j in 0..<inSize {
                switch n.kind {
                case .identity: break
                case .global: a[j] = (a[j] - Double(n.mean[0])) / Double(n.standardDeviation[0])
                case .perFeature: a[j] = (a[j] - Double(n.mean[j])) / Double(n.standardDeviation[j])
                }
            }
            var offset = 0
            for layer in model.layers {
                var z = [Double](repeating: 0, count: layer.outputSize)
                for o in 0..<layer.outputSize {
                    var s = p[offset + layer.weightCount + o]
                    for i in 0..<layer.inputSize { s += a[i] * p[offset + i * layer.outputSize + o] }
                    z[o] = layer.activation == .scaledTanh ? 1.7159 * Self.tanh(2.0 / 3.0 * s) : s
                }
                a = z
                offset += layer.parameterCount
            }
            let s = model.outputScaling
            for j in 0..<outSize {
                switch s.kind {
                case .identity: break
                case .global: a[j] = a[j] * Double(s.standardDeviation[0]) + Double(s.mean[0])
                case .perFeature: a[j] = a[j] * Double(s.standardDeviation[j]) + Double(s.mean[j])
                }
                if let idx = model.residualInputIndices { a[j] += raw[idx[j]] }
            }
            result += a
        }
        return result
    }

    static func meanSquaredError(_ y: [Double], _ t: [Double]) -> Double {
        var s = 0.0
        for i in 0..<y.count { s += (y[i] - t[i]) * (y[i] - t[i]) }
        return s / Double(y.count)
    }

    func loss(_ p: [Double], inputs: [Double], targets: [Double], rows: Int) -> Double {
        Self.meanSquaredError(forward(p, inputs: inputs, rows: rows), targets)
    }

    /// Central-difference gradient of the loss with respect to every parameter.
    func numericalGradient(inputs: [Double], targets: [Double], rows: Int, h: Double = 1e-5) -> [Double] {
        var p = model.parameters.map(Double.init)
        var g = [Double](repeating: 0, count: p.count)
        for i in 0..<p.count {
            let saved = p[i]
            p[i] = saved + h
            let up = loss(p, inputs: inputs, targets: targets, rows: rows)
            p[i] = saved - h
            let down = loss(p, inputs: inputs, targets: targets, rows: rows)
            p[i] = saved
            g[i] = (up - down) / (2 * h)
        }
        return g
    }
}

/// Uniform values in [-1, 1) from a seeded generator.
func randomValues(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = RandomGenerator(seed: seed)
    return (0..<count).map { _ in rng.nextSymmetricFloat(bound: scale) }
}
