import Testing
@testable import PNGWriter
import TestSupport

/// The vectorised filter choice against a direct transcription of the PNG spec's filters
/// and the minimum-sum-of-absolute-differences rule.
@Suite struct RowFilterTests {
    static func reference(_ cur: [UInt8], _ up: [UInt8], _ bpp: Int) -> (UInt8, [UInt8]) {
        func predictor(_ t: Int, _ i: Int) -> Int {
            let a = i >= bpp ? Int(cur[i - bpp]) : 0, b = Int(up[i]), c = i >= bpp ? Int(up[i - bpp]) : 0
            switch t {
            case 0: return 0
            case 1: return a
            case 2: return b
            case 3: return (a + b) / 2
            default:
                let p = a + b - c
                let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
            }
        }
        var best = 0, bestSum = Int.max, bestRow: [UInt8] = []
        for t in 0..<5 {
            let row = (0..<cur.count).map { UInt8(truncatingIfNeeded: Int(cur[$0]) - predictor(t, $0)) }
            let sum = row.reduce(0) { $0 + abs(Int(Int8(bitPattern: $1))) }
            if sum < bestSum { best = t; bestSum = sum; bestRow = row }
        }
        return (UInt8(best), bestRow)
    }

    @Test func matchesReference() {
        var rng = SplitMix64(seed: 77)
        for trial in 0..<300 {
            let bpp = [1, 2, 3, 4, 6, 8][trial % 6]
            let n = 1 + Int(rng.next() % 100)
            let smooth = trial % 2 == 0
            var up = [UInt8](repeating: 0, count: n), cur = [UInt8](repeating: 0, count: n)
            for i in 0..<n {
                up[i] = smooth ? UInt8(truncatingIfNeeded: i * 3 + Int(rng.next() % 5)) : UInt8(truncatingIfNeeded: rng.next())
                cur[i] = smooth ? UInt8(truncatingIfNeeded: Int(up[i]) + Int(rng.next() % 7)) : UInt8(truncatingIfNeeded: rng.next())
            }
            let (expectedType, expectedRow) = RowFilterTests.reference(cur, up, bpp)
            let type = cur.withUnsafeBufferPointer { c in
                up.withUnsafeBufferPointer { u in RowFilter.chooseFilter(c.baseAddress!, u.baseAddress!, n, bpp) }
            }
            #expect(type == expectedType, "trial \(trial)")
            var out = [UInt8](repeating: 0, count: n)
            cur.withUnsafeBufferPointer { c in
                up.withUnsafeBufferPointer { u in
                    out.withUnsafeMutableBufferPointer { o in
                        RowFilter.apply(expectedType, c.baseAddress!, u.baseAddress!, n, bpp, o.baseAddress!)
                    }
                }
            }
            #expect(out == expectedRow, "trial \(trial)")
        }
    }
}
