import Testing
@testable import Linalg

@Suite struct VectorOpsTests {
    @Test(arguments: [1, 15, 16, 63, 64, 100, 130])
    func columnSums(cols: Int) {
        var rng = TestRandom(seed: UInt64(cols))
        let rows = 9, ld = cols + 3
        let a = rng.array(rows * ld)
        var out = [Float](repeating: .nan, count: cols)
        out.withUnsafeMutableBufferPointer {
            VectorOps.columnSums(a, rows: rows, cols: cols, ld: ld, into: $0.baseAddress!)
        }
        var acc = [Float](repeating: 1, count: cols)
        acc.withUnsafeMutableBufferPointer {
            VectorOps.columnSums(a, rows: rows, cols: cols, ld: ld, into: $0.baseAddress!, accumulate: true)
        }
        for j in 0..<cols {
            var s = 0.0
            for i in 0..<rows { s += Double(a[i * ld + j]) }
            #expect(abs(Double(out[j]) - s) <= 1e-5)
            #expect(abs(Double(acc[j]) - (s + 1)) <= 1e-5)
        }
    }

    @Test func axpyAndScale() {
        var rng = TestRandom(seed: 7)
        let count = 37
        let x = rng.array(count)
        var y = rng.array(count)
        let y0 = y
        y.withUnsafeMutableBufferPointer { VectorOps.axpy(-0.5, x, $0.baseAddress!, count: count) }
        for i in 0..<count { #expect(abs(y[i] - (y0[i] - 0.5 * x[i])) <= 1e-6) }
        y.withUnsafeMutableBufferPointer { VectorOps.scale(3, $0.baseAddress!, count: count) }
        for i in 0..<count { #expect(abs(y[i] - 3 * (y0[i] - 0.5 * x[i])) <= 4e-6) }
    }
}
