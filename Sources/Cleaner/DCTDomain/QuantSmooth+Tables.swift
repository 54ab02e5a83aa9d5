import JPEGCodec

extension QuantSmooth {
    /// Basis tables shared by every call.
    struct Tables: Sendable {
        /// Natural index of zigzag position z.
        var zigzag: [Int]
        /// For each coefficient k (natural order), `vectors · 8` gains: how much each pair's
        /// difference changes per unit of k, from the basis image `B_k` of a unit coefficient in
        /// the orthonormal inverse DCT. In order: horizontal `B_k(y,x) − B_k(y,x+1)` (y·7 + x,
        /// 56), vertical `B_k(y,x) − B_k(y+1,x)` (y·8 + x, 56), block edge `B_k` at the edge pixel
        /// (top row, bottom row, left column, right column, 8 each; corners twice, 32),
        /// down-right diagonal `B_k(y,x) − B_k(y+1,x+1)` (y·7 + x, 49 and 7 zeros), down-left
        /// diagonal `B_k(y,x+1) − B_k(y+1,x)` (49 and 7 zeros), block-edge diagonal `B_k` at the
        /// edge pixel (each edge pixel twice, 64). Block-edge gains are scaled by 2 (4 with
        /// diagonals) when used: only the in-block pixel moves, while the neighbouring block
        /// closes the other half of the gap.
        var gains: [Float]
        /// SIMD8 vectors per coefficient in ``gains``.
        static let vectors = 40
        /// The same in SIMD16 vectors (the unit ``QuantSmooth/smoothBlock`` works in).
        static let wideVectors = 20

        static let shared = Tables()

        init() {
            zigzag = StandardTables.zigzag
            let b = DCT8x8.basis
            func basis(_ k: Int, _ y: Int, _ x: Int) -> Float { b[(k >> 3) * 8 + y] * b[(k & 7) * 8 + x] }
            var all = [Float]()
            for k in 0..<64 {
                var t = [Float]()
                for y in 0..<8 { for x in 0..<7 { t.append(basis(k, y, x) - basis(k, y, x + 1)) } }
                for y in 0..<7 { for x in 0..<8 { t.append(basis(k, y, x) - basis(k, y + 1, x)) } }
                var edge = [Float]()
                for x in 0..<8 { edge.append(basis(k, 0, x)) }
                for x in 0..<8 { edge.append(basis(k, 7, x)) }
                for y in 0..<8 { edge.append(basis(k, y, 0)) }
                for y in 0..<8 { edge.append(basis(k, y, 7)) }
                t += edge
                for y in 0..<7 { for x in 0..<7 { t.append(basis(k, y, x) - basis(k, y + 1, x + 1)) } }
                t += [Float](repeating: 0, count: 7)
                for y in 0..<7 { for x in 0..<7 { t.append(basis(k, y, x + 1) - basis(k, y + 1, x)) } }
                t += [Float](repeating: 0, count: 7)
                for e in edge { t += [e, e] }
                precondition(t.count == Tables.vectors * 8)
                all += t
            }
            gains = all
        }
    }
}
