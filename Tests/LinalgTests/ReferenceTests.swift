import Testing
@testable import Linalg

@Suite struct ReferenceTests {
    @Test func smallProductByHand() {
        // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 1, count: 4)
        c.withUnsafeMutableBufferPointer { cp in
            gemm(.none, .none, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 2,
                 beta: 0, c: cp.baseAddress!, ldc: 2)
        }
        #expect(c == [19, 22, 43, 50])
    }

    @Test func scaledTanhKnownValues() {
        // tanh(2/3 · 1.5) = tanh(1) = 0.7615941559557649
        var x: [Float] = [0, 1.5, -1.5, 100]
        x.withUnsafeMutableBufferPointer { ScaledTanh.apply($0.baseAddress!, count: 4) }
        #expect(x[0] == 0)
        #expect(abs(x[1] - 1.7159 * 0.7615941559557649) < 1e-6)
        #expect(x[2] == -x[1])
        #expect(abs(x[3] - 1.7159) < 1e-6)
    }
}
