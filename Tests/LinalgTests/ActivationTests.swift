import Testing
@testable import Linalg

/// The SIMD scaled-tanh approximation against a Double reference.
@Suite struct ActivationTests {
    /// The documented bound: relative error ≤ 4 · 2⁻²³ (normal results) over a dense sweep of [-30, 30].
    @Test func maxRelativeErrorBound() {
        let count = 600_001
        var x = [Float](repeating: 0, count: count)
        for i in 0..<count { x[i] = -30 + 60 * Float(i) / Float(count - 1) }
        // Extra points: tiny magnitudes and the neighbourhood of 0, where relative error is hardest.
        var extra: [Float] = [0, -0.0, .leastNonzeroMagnitude, 1e-30, 1e-10, 1e-5, 1e-3, 0.5198, 1e6, -1e6,
                              .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        var v: Float = 1e-8
        while v < 30 { extra.append(v); extra.append(-v); v *= 1.0173 }
        x += extra
        var y = x
        y.withUnsafeMutableBufferPointer { ScaledTanh.apply($0.baseAddress!, count: $0.count) }
        var worst = 0.0, worstX: Float = 0
        for i in 0..<x.count {
            let ref = ScaledTanh.reference(Double(x[i]))
            let err = abs(Double(y[i]) - ref) / max(abs(ref), 1e-300)
            if ref == 0 { #expect(y[i] == 0) ; continue }
            // Subnormal results carry no relative precision: check them absolutely.
            if abs(ref) < Double(Float.leastNormalMagnitude) {
                #expect(abs(Double(y[i]) - ref) <= Double(Float.leastNormalMagnitude))
                continue
            }
            if err > worst { worst = err; worstX = x[i] }
        }
        let bound = 4 * Double(Float.ulpOfOne)
        print("ScaledTanh max relative error \(worst) at x = \(worstX) (bound \(bound))")
        #expect(worst <= bound, "max relative error \(worst) at x = \(worstX)")
    }

    @Test func oddSymmetryAndSaturation() {
        var x: [Float] = (0..<64).map { Float($0) * 0.37 - 11 }
        let neg = x.map { -$0 }
        var yn = neg
        x.withUnsafeMutableBufferPointer { ScaledTanh.apply($0.baseAddress!, count: $0.count) }
        yn.withUnsafeMutableBufferPointer { ScaledTanh.apply($0.baseAddress!, count: $0.count) }
        for i in 0..<x.count { #expect(x[i] == -yn[i]) }
        var big: [Float] = [15, 100, -15, -1e30]
        big.withUnsafeMutableBufferPointer { ScaledTanh.apply($0.baseAddress!, count: 4) }
        #expect(big == [1.7159, 1.7159, -1.7159, -1.7159])
    }

    /// The derivative from the output, vs the Double formula, including the scalar tail.
    @Test func derivativeFromOutput() {
        let count = 37
        let y: [Float] = (0..<count).map { Float($0) / Float(count) * 3.4 - 1.7 }
        var g: [Float] = (0..<count).map { Float($0 % 5) - 2.5 }
        let g0 = g
        g.withUnsafeMutableBufferPointer {
            ScaledTanh.multiplyByDerivative(output: y, gradient: $0.baseAddress!, count: count)
        }
        for i in 0..<count {
            let A = 1.7159, B = 2.0 / 3.0
            let ref = Double(g0[i]) * B * (A - Double(y[i]) * Double(y[i]) / A)
            #expect(abs(Double(g[i]) - ref) <= 4e-7 * (abs(Double(g0[i])) * 1.2 + 1e-30))
        }
    }
}
