import Foundation
import Testing
@testable import Cleaner
import TestSupport

/// Double-precision reference straight from the T.81 A.3.3 formulas (quadruple sums).
func referenceForwardDCT(_ f: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: 64)
    for v in 0..<8 {
        for u in 0..<8 {
            var s = 0.0
            for y in 0..<8 {
                for x in 0..<8 {
                    s += f[y * 8 + x] * cos(Double((2 * x + 1) * u) * Double.pi / 16)
                        * cos(Double((2 * y + 1) * v) * Double.pi / 16)
                }
            }
            let cu = u == 0 ? 1 / 2.0.squareRoot() : 1, cv = v == 0 ? 1 / 2.0.squareRoot() : 1
            out[v * 8 + u] = 0.25 * cu * cv * s
        }
    }
    return out
}

/// Double-precision inverse from T.81 A.3.3.
func referenceInverseDCT(_ F: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: 64)
    for y in 0..<8 {
        for x in 0..<8 {
            var s = 0.0
            for v in 0..<8 {
                for u in 0..<8 {
                    let cu = u == 0 ? 1 / 2.0.squareRoot() : 1, cv = v == 0 ? 1 / 2.0.squareRoot() : 1
                    s += cu * cv * F[v * 8 + u] * cos(Double((2 * x + 1) * u) * Double.pi / 16)
                        * cos(Double((2 * y + 1) * v) * Double.pi / 16)
                }
            }
            out[y * 8 + x] = 0.25 * s
        }
    }
    return out
}

@Suite struct DCTTests {
    @Test func basisMatchesCosines() {
        for k in 0..<8 {
            for x in 0..<8 {
                let c = k == 0 ? 1 / 2.0.squareRoot() : 1
                let expected = 0.5 * c * cos(Double((2 * x + 1) * k) * Double.pi / 16)
                #expect(abs(Double(DCT8x8.basis[k * 8 + x]) - expected) < 1e-7)
            }
        }
    }

    @Test func flatBlockHasOnlyDC() {
        // A flat block of value a: F(0,0) = ¼·½·64·a = 8a, every AC coefficient 0.
        let f = DCT8x8.forward([Float](repeating: 10, count: 64))
        #expect(abs(f[0] - 80) < 1e-4)
        for i in 1..<64 { #expect(abs(f[i]) < 1e-4) }
        // Level-shifted white (255 − 128 = 127) gives DC 1016.
        #expect(abs(DCT8x8.forward([Float](repeating: 127, count: 64))[0] - 1016) < 1e-3)
    }

    @Test func forwardAndInverseMatchDoubleReference() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<20 {
            let block = (0..<64).map { _ in Double(rng.nextInt(below: 256)) - 128 }
            let ours = DCT8x8.forward(block.map { Float($0) })
            let ref = referenceForwardDCT(block)
            for i in 0..<64 { #expect(abs(Double(ours[i]) - ref[i]) < 2e-3) }

            let coeffs = (0..<64).map { _ in Double(rng.nextInt(below: 401)) - 200 }
            let inv = DCT8x8.inverse(coeffs.map { Float($0) })
            let refInv = referenceInverseDCT(coeffs)
            for i in 0..<64 { #expect(abs(Double(inv[i]) - refInv[i]) < 2e-3) }
        }
    }

    @Test func inverseOfForwardIsIdentity() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let block = (0..<64).map { _ in Float(rng.nextInt(below: 256)) - 128 }
            let back = DCT8x8.inverse(DCT8x8.forward(block))
            for i in 0..<64 { #expect(abs(back[i] - block[i]) < 1e-3) }
        }
    }

    @Test func checkedBufferFormsMatchTheArrayForms() {
        var rng = SplitMix64(seed: 11)
        let block = (0..<64).map { _ in Float(rng.nextInt(below: 256)) - 128 }
        var forward = block
        forward.withUnsafeMutableBufferPointer { DCT8x8.forward($0) }
        #expect(forward == DCT8x8.forward(block))
        var inverse = forward
        inverse.withUnsafeMutableBufferPointer { DCT8x8.inverse($0) }
        #expect(inverse == DCT8x8.inverse(forward))
    }

    @Test func transformIsOrthonormal() {
        // Parseval: the sum of squares is preserved.
        var rng = SplitMix64(seed: 3)
        let block = (0..<64).map { _ in Float(rng.nextInt(below: 256)) - 128 }
        let f = DCT8x8.forward(block)
        let e0 = block.reduce(0) { $0 + Double($1) * Double($1) }
        let e1 = f.reduce(0) { $0 + Double($1) * Double($1) }
        #expect(abs(e0 - e1) / e0 < 1e-5)
    }
}
