/// The Adam update (Kingma & Ba 2015), vectorised over the whole parameter vector.
enum Adam {
    /// One Adam step at 1-based `step`:
    /// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
    /// `w ← w − αₜ · m / (√v + ε̂)` with `αₜ = η·√(1−β₂ᵗ)/(1−β₁ᵗ)` and `ε̂ = ε·√(1−β₂ᵗ)`
    /// (the paper's efficient form of the bias-corrected update).
    static func update(parameters: inout [Float], gradient: UnsafePointer<Float>,
                       firstMoment: inout [Float], secondMoment: inout [Float],
                       rate: Float, step: Int, beta1: Float, beta2: Float, epsilon: Float) {
        let correction2 = SquareRoot.of(1 - power(Double(beta2), step))
        let alpha = Float(Double(rate) * correction2 / (1 - power(Double(beta1), step)))
        let eps = Float(Double(epsilon) * correction2)
        let n = parameters.count
        parameters.withUnsafeMutableBufferPointer { wb in
            firstMoment.withUnsafeMutableBufferPointer { mb in
                secondMoment.withUnsafeMutableBufferPointer { vb in
                    let w = wb.baseAddress!, m = mb.baseAddress!, v = vb.baseAddress!
                    typealias V = SIMD16<Float>
                    let b1 = V(repeating: beta1), c1 = V(repeating: 1 - beta1)
                    let b2 = V(repeating: beta2), c2 = V(repeating: 1 - beta2)
                    let a = V(repeating: alpha), e = V(repeating: eps)
                    var i = 0
                    while i + 16 <= n {
                        let g = UnsafeRawPointer(gradient + i).loadUnaligned(as: V.self)
                        let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + c1 * g
                        let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + c2 * (g * g)
                        let wi = UnsafeRawPointer(w + i).loadUnaligned(as: V.self) - a * mi / (SquareRoot.of(vi) + e)
                        UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
                        UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
                        UnsafeMutableRawPointer(w + i).storeBytes(of: wi, as: V.self)
                        i += 16
                    }
                    while i < n {
                        let g = gradient[i]
                        m[i] = beta1 * m[i] + (1 - beta1) * g
                        v[i] = beta2 * v[i] + (1 - beta2) * (g * g)
                        w[i] = w[i] - alpha * m[i] / (Float(SquareRoot.of(Double(v[i]))) + eps)
                        i += 1
                    }
                }
            }
        }
    }

    /// `base` to the power `exponent` (≥ 0) by repeated squaring.
    static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0, b = base, e = exponent
        while e > 0 {
            if e & 1 == 1 { result *= b }
            b *= b
            e >>= 1
        }
        return result
    }
}
