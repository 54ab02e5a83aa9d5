/// libjpeg's inter-block smoothing for progressive files whose coefficients are not all
/// known to full precision (a file that stops after some scans, or whose last scan is
/// truncated): before the inverse DCT, the first nine AC coefficients of a block that are
/// still zero (and not known to be exactly zero) are estimated from the DC values of the
/// 5×5 blocks around it; when no AC data at all has arrived, the DC value is smoothed too.
///
/// The weights, the rounding and the clamping to the bits not yet sent follow libjpeg-turbo
/// 2.1+ (jdcoefct.c, `decompress_smooth_data`). The smoothed coefficients are only used for
/// the pixels; ``DecodedJPEG/components`` keeps the decoded ones.
enum BlockSmoothing {
    /// One estimated coefficient: its natural-order position, its index 1…9 in zigzag order
    /// (for the successive-approximation state) and the 5×5 DC weights (row-major, rows
    /// −2…2, columns −2…2) used with AC data present and without.
    struct Estimate {
        let position: Int
        let zigzag: Int
        let withAC: [Int]
        let withoutAC: [Int]
    }

    /// Builds a 25-entry weight grid from (row, column, weight) triples, rows and columns −2…2.
    static func grid(_ entries: [(Int, Int, Int)]) -> [Int] {
        var g = [Int](repeating: 0, count: 25)
        for (r, c, w) in entries { g[(r + 2) * 5 + (c + 2)] = w }
        return g
    }

    static let estimates: [Estimate] = [
        Estimate(position: 1, zigzag: 1,
                 withAC: grid([(0, -2, -7), (0, -1, 50), (0, 1, -50), (0, 2, 7)]),
                 withoutAC: grid([(-2, -2, -1), (-2, -1, -1), (-2, 1, 1), (-2, 2, 1),
                                  (-1, -2, -3), (-1, -1, 13), (-1, 1, -13), (-1, 2, 3),
                                  (0, -2, -3), (0, -1, 38), (0, 1, -38), (0, 2, 3),
                                  (1, -2, -3), (1, -1, 13), (1, 1, -13), (1, 2, 3),
                                  (2, -2, -1), (2, -1, -1), (2, 1, 1), (2, 2, 1)])),
        Estimate(position: 8, zigzag: 2,
                 withAC: grid([(-2, 0, -7), (-1, 0, 50), (1, 0, -50), (2, 0, 7)]),
                 withoutAC: grid([(-2, -2, -1), (-2, -1, -3), (-2, 0, -3), (-2, 1, -3), (-2, 2, -1),
                                  (-1, -2, -1), (-1, -1, 13), (-1, 0, 38), (-1, 1, 13), (-1, 2, -1),
                                  (1, -2, 1), (1, -1, -13), (1, 0, -38), (1, 1, -13), (1, 2, 1),
                                  (2, -2, 1), (2, -1, 3), (2, 0, 3), (2, 1, 3), (2, 2, 1)])),
        Estimate(position: 16, zigzag: 3,
                 withAC: grid([(-2, 0, -1), (-1, 0, 13), (0, 0, -24), (1, 0, 13), (2, 0, -1)]),
                 withoutAC: grid([(-2, 0, 1), (-1, -1, 2), (-1, 0, 7), (-1, 1, 2),
                                  (0, -1, -5), (0, 0, -14), (0, 1, -5),
                                  (1, -1, 2), (1, 0, 7), (1, 1, 2), (2, 0, 1)])),
        Estimate(position: 9, zigzag: 4,
                 withAC: grid([(-1, 2, 1), (1, -2, 1), (1, -1, -10), (1, 1, 10), (-2, -1, -1),
                               (1, 2, -1), (2, -1, 1), (2, 1, -1), (-2, 1, 1), (-1, -2, -1),
                               (-1, -1, 10), (-1, 1, -10)]),
                 withoutAC: grid([(-2, -2, -1), (-2, 2, 1), (-1, -1, 9), (-1, 1, -9),
                                  (1, -1, -9), (1, 1, 9), (2, -2, 1), (2, 2, -1)])),
        Estimate(position: 2, zigzag: 5,
                 withAC: grid([(0, -2, -1), (0, -1, 13), (0, 0, -24), (0, 1, 13), (0, 2, -1)]),
                 withoutAC: grid([(-1, -1, 2), (-1, 0, -5), (-1, 1, 2),
                                  (0, -2, 1), (0, -1, 7), (0, 0, -14), (0, 1, 7), (0, 2, 1),
                                  (1, -1, 2), (1, 0, -5), (1, 1, 2)])),
        // Only when no AC data has arrived:
        Estimate(position: 3, zigzag: 6, withAC: [],
                 withoutAC: grid([(-1, -1, 1), (-1, 1, -1), (0, -1, 2), (0, 1, -2), (1, -1, 1), (1, 1, -1)])),
        Estimate(position: 10, zigzag: 7, withAC: [],
                 withoutAC: grid([(-1, -1, 1), (-1, 0, -3), (-1, 1, 1), (1, -1, -1), (1, 0, 3), (1, 1, -1)])),
        Estimate(position: 17, zigzag: 8, withAC: [],
                 withoutAC: grid([(-1, -1, 1), (-1, 1, -1), (0, -1, -3), (0, 1, 3), (1, -1, 1), (1, 1, -1)])),
        Estimate(position: 24, zigzag: 9, withAC: [],
                 withoutAC: grid([(-1, -1, 1), (-1, 0, 2), (-1, 1, 1), (1, -1, -1), (1, 0, -2), (1, 1, -1)])),
    ]

    /// The DC estimate used when no AC data has arrived.
    static let dcWeights = grid([
        (-2, -2, -2), (-2, -1, -6), (-2, 0, -8), (-2, 1, -6), (-2, 2, -2),
        (-1, -2, -6), (-1, -1, 6), (-1, 0, 42), (-1, 1, 6), (-1, 2, -6),
        (0, -2, -8), (0, -1, 42), (0, 0, 152), (0, 1, 42), (0, 2, -8),
        (1, -2, -6), (1, -1, 6), (1, 0, 42), (1, 1, 6), (1, 2, -6),
        (2, -2, -2), (2, -1, -6), (2, 0, -8), (2, 1, -6), (2, 2, -2)])

    /// Whether libjpeg smooths this file (its `smoothing_ok`): every component has DC data
    /// and nonzero quantizers at the ten positions, and some of the first nine AC
    /// coefficients of some component are not known exactly.
    static func applies(coefficientBits: [[Int]], tables: [[UInt16]]) -> Bool {
        var useful = false
        for (bits, table) in zip(coefficientBits, tables) {
            guard table.count == 64, bits.count == 64 else { return false }
            if table[0] == 0 || estimates.contains(where: { table[$0.position] == 0 }) { return false }
            if bits[0] < 0 { return false }
            if (1...9).contains(where: { bits[$0] != 0 }) { useful = true }
        }
        return useful
    }

    /// `(q·128 + |num|) / (q·256)`, clamped below `1 << al` when `al > 0`, with num's sign.
    @inline(__always)
    static func predict(_ num: Int, q: Int, al: Int) -> Int {
        var pred = ((q << 7) + abs(num)) / (q << 8)
        if al > 0 && pred >= 1 << al { pred = (1 << al) - 1 }
        return num >= 0 ? pred : -pred
    }

    /// The smoothed coefficients of one component (a copy of `plane`).
    /// - Parameters:
    ///   - plane: `blocksWide × blocksHigh` blocks.
    ///   - realWide, realHigh: blocks that hold image samples (⌈samples / 8⌉).
    ///   - v: the component's vertical sampling factor (block rows per MCU row).
    ///   - bits, previousBits: the approximation state of coefficients 0…9 after all scans and
    ///     before the last scan that touched them; rows after `lastGoodRow` use the latter.
    static func smooth(plane: [Int16], blocksWide: Int, blocksHigh: Int, realWide: Int, realHigh: Int,
                       v: Int, table: [UInt16], bits: [Int], previousBits: [Int], lastGoodRow: Int) -> [Int16] {
        var out = plane
        let mcuRows = blocksHigh / max(v, 1)
        let q0 = Int(table[0])
        plane.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var dc = [Int](repeating: 0, count: 25)
                for row in 0..<realHigh {
                    let mcuRow = row / v
                    let state = mcuRow > lastGoodRow ? previousBits : bits
                    let noAC = (1...9).allSatisfy { state[$0] == -1 }
                    // Rows not in the last MCU row may reach into its padding; the last MCU
                    // row stops at the last real block row (libjpeg's quirk).
                    let lastRow = mcuRow < mcuRows - 1 ? blocksHigh - 1 : realHigh - 1
                    var rows = [Int](repeating: row, count: 5)
                    rows[1] = row > 0 ? row - 1 : row
                    rows[0] = row > 1 ? row - 2 : rows[1]
                    rows[3] = row < lastRow ? row + 1 : row
                    rows[4] = row < lastRow - 1 ? row + 2 : rows[3]
                    for col in 0..<realWide {
                        for r in 0..<5 {
                            for c in 0..<5 {
                                let x = min(max(col + c - 2, 0), realWide - 1)
                                dc[r * 5 + c] = Int(src[(rows[r] * blocksWide + x) * 64])
                            }
                        }
                        let base = (row * blocksWide + col) * 64
                        for e in estimates {
                            let al = state[e.zigzag]
                            if al == 0 || src[base + e.position] != 0 { continue }
                            let weights = noAC ? e.withoutAC : e.withAC
                            if weights.isEmpty { continue }
                            var sum = 0
                            for i in 0..<25 where weights[i] != 0 { sum += weights[i] * dc[i] }
                            let pred = predict(q0 * sum, q: Int(table[e.position]), al: al)
                            dst[base + e.position] = Int16(truncatingIfNeeded: pred)
                        }
                        if noAC {
                            var sum = 0
                            for i in 0..<25 { sum += dcWeights[i] * dc[i] }
                            dst[base] = Int16(truncatingIfNeeded: predict(q0 * sum, q: q0, al: 0))
                        }
                    }
                }
            }
        }
        return out
    }
}
