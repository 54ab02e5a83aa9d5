extension QuantSmooth {
    /// One block's buffers in a round of ``smooth(_:coefficients:options:threads:)``: its 64
    /// current coefficients (natural order, updated in place), their bins, the file's
    /// dequantized coefficients, and its top-left sample in the fixed rebuilt image (whose
    /// 1-pixel surroundings are readable).
    struct Block {
        let c: UnsafeMutablePointer<Float>
        let lo: UnsafePointer<Float>, hi: UnsafePointer<Float>, original: UnsafePointer<Float>
        let image: UnsafePointer<Float>
    }

    /// Updates one block's AC coefficients (see the type's description); `image` rows are
    /// `stride` apart.
    static func smoothBlock(_ c: UnsafeMutablePointer<Float>, lo: UnsafePointer<Float>, hi: UnsafePointer<Float>,
                            original: UnsafePointer<Float>, quantization: UnsafePointer<Float>,
                            image: UnsafePointer<Float>, stride: Int, tables: Tables, options: Options) {
        smoothBlocks(Block(c: c, lo: lo, hi: hi, original: original, image: image), nil,
                     quantization: quantization, stride: stride, tables: tables, options: options)
    }

    /// Updates block `a` and, if given, block `b` — the same result as one after the other.
    ///
    /// One coefficient's update is a chain of dependent steps (weights, two sums, a division,
    /// the clamp, the differences it moves) that the next coefficient waits for; the two
    /// blocks' chains are independent, so running them side by side lets the core overlap
    /// them.
    ///
    /// Pair differences are laid out as in `Tables` (SIMD8 units there): horizontal (56),
    /// vertical (56), block edge (32), and with diagonals down-right (49 + 7 zero padding),
    /// down-left (49 + 7) and block-edge diagonal (64). The work goes in SIMD16 vectors (one
    /// AVX-512 register, two AVX2 ones): horizontal are vectors 0…3, vertical 3…6 (vector 3
    /// holds the last horizontal row and the first vertical one), block edge 7…8, diagonals
    /// 9…15, block-edge diagonals 16…19. A coefficient's gains are exactly 0 on the pairs it
    /// does not move (u = 0: horizontal; v = 0: vertical), so a vector shared by the two
    /// groups adds nothing for the group that does not apply.
    static func smoothBlocks(_ a: Block, _ b: Block?, quantization: UnsafePointer<Float>, stride: Int,
                             tables: Tables, options: Options) {
        let n = Tables.wideVectors
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 2 * n) { buf in
            let da = UnsafeMutableRawPointer(buf.baseAddress!), db = UnsafeMutableRawPointer(buf.baseAddress! + n)
            let diagonals = options.diagonalPairs, inBlock = options.inBlockPairs
            // A block flat and level with its neighbours (most of a screenshot) has every
            // difference 0, so every step is 0: skip its 63 updates.
            let activeA = differences(a.image, stride: stride, diagonals: diagonals, into: da)
            let activeB = b.map { differences($0.image, stride: stride, diagonals: diagonals, into: db) } ?? false
            guard activeA || activeB else { return }
            let edgeGain: Float = diagonals ? 4 : 2
            tables.zigzag.withUnsafeBufferPointer { zz in
            tables.gains.withUnsafeBufferPointer { gAll in
                let g0 = UnsafeRawPointer(gAll.baseAddress!)
                for z in Swift.stride(from: 63, through: 1, by: -1) {
                    let i = zz[z], u = i & 7, v = i >> 3
                    let step = Step(i: i, g: g0 + i * Tables.vectors * 32,
                                    first: v == 0 ? 0 : (u == 0 ? 3 : 0), end: v == 0 ? 4 : 7,
                                    limit: SIMD16(repeating: options.threshold * quantization[i]),
                                    inBlock: inBlock, diagonals: diagonals, edgeGain: edgeGain)
                    if activeA { step.apply(to: da, a) }
                    if activeB, let b { step.apply(to: db, b) }
                }
            }}
        }
        guard options.rebalance else { return }
        rebalance(a)
        if let b { rebalance(b) }
    }

    /// Differences this small (levels) or smaller count as flat: a block with no larger one
    /// is skipped. After the network no block is exactly flat (its output carries a faint
    /// texture), so with 0 every block ran its 63 updates to move samples by less than this;
    /// a quarter of a level cut the luma smoothing's time by about a sixth on real
    /// screenshots and moved PSNR by +0.0004 dB there and by at most ±0.001 over q85/q95 ×
    /// 4:2:0/4:4:4 on `$DATA/valid` (0.5: +0.001 and ±0.002; 1: −0.001; `Notes/experiments.md`).
    static let flatTolerance: Float = 0.25

    /// Fills `d` with the block's pair differences (the layout above; unused lanes 0) and
    /// says whether any is larger than ``flatTolerance``.
    @inline(__always)
    static func differences(_ image: UnsafePointer<Float>, stride: Int, diagonals: Bool,
                            into raw: UnsafeMutableRawPointer) -> Bool {
        let count = Tables.wideVectors * 16
        let d = raw.bindMemory(to: Float.self, capacity: count)
        for i in 0..<count { d[i] = 0 }
        let dh = d, dv = d + 56, de = d + 112, d1 = d + 144, d2 = d + 200, dde = d + 256
        for y in 0..<8 {
            let row = image + y * stride
            for x in 0..<7 { dh[y * 7 + x] = row[x] - row[x + 1] }
        }
        for y in 0..<7 {
            let row = image + y * stride
            for x in 0..<8 { dv[y * 8 + x] = row[x] - row[x + stride] }
        }
        for x in 0..<8 {
            de[x] = image[x] - image[x - stride]                       // top
            de[8 + x] = image[7 * stride + x] - image[8 * stride + x]  // bottom
            de[16 + x] = image[x * stride] - image[x * stride - 1]     // left
            de[24 + x] = image[x * stride + 7] - image[x * stride + 8] // right
        }
        if diagonals {
            for y in 0..<7 {
                let row = image + y * stride
                for x in 0..<7 {
                    d1[y * 7 + x] = row[x] - row[x + stride + 1]
                    d2[y * 7 + x] = row[x + 1] - row[x + stride]
                }
            }
            for x in 0..<8 {
                let top = image + x, bottom = image + 7 * stride + x
                let left = image + x * stride, right = image + x * stride + 7
                dde[2 * x] = top[0] - top[-stride - 1]
                dde[2 * x + 1] = top[0] - top[-stride + 1]
                dde[16 + 2 * x] = bottom[0] - bottom[stride - 1]
                dde[16 + 2 * x + 1] = bottom[0] - bottom[stride + 1]
                dde[32 + 2 * x] = left[0] - left[-stride - 1]
                dde[32 + 2 * x + 1] = left[0] - left[stride - 1]
                dde[48 + 2 * x] = right[0] - right[-stride + 1]
                dde[48 + 2 * x + 1] = right[0] - right[stride + 1]
            }
        }
        var any = SIMD16<Float>()
        let small = SIMD16<Float>(repeating: flatTolerance)
        for j in 0..<Tables.wideVectors {
            let v = raw.load(fromByteOffset: j * 64, as: SIMD16<Float>.self)
            any = any.replacing(with: 1, where: (v .> small) .| (v .< -small))
        }
        return any != SIMD16<Float>()
    }

    /// The update of coefficient `i` (natural order), the same for every block of a round:
    /// its gains `g`, the in-block vectors it moves (`first ..< end`), its edge limit.
    struct Step {
        let i: Int, g: UnsafeRawPointer, first: Int, end: Int, limit: SIMD16<Float>
        let inBlock: Bool, diagonals: Bool, edgeGain: Float

        /// Moves the block's coefficient `i` by the weighted least-squares step, clamped into
        /// its bin, and its pair differences `d` with it.
        @inline(__always)
        func apply(to d: UnsafeMutableRawPointer, _ block: Block) {
            var num = SIMD16<Float>(), den = SIMD16<Float>()
            if inBlock { accumulate(d, g, first, end, limit: limit, gain: 1, num: &num, den: &den) }
            accumulate(d, g, 7, 9, limit: limit, gain: edgeGain, num: &num, den: &den)
            if diagonals {
                if inBlock { accumulate(d, g, 9, 16, limit: limit, gain: 1, num: &num, den: &den) }
                accumulate(d, g, 16, 20, limit: limit, gain: edgeGain, num: &num, den: &den)
            }
            let n = treeSum(num), dn = treeSum(den)
            guard dn > 0 else { return }
            let c = block.c
            let updated = min(max(c[i] - n / dn, block.lo[i]), block.hi[i])
            let delta = updated - c[i]
            guard delta != 0 else { return }
            c[i] = updated
            // The block's own pixels move by delta·B_k: update every difference.
            update(d, g, first, end, delta: delta)
            update(d, g, 7, 9, delta: delta)
            if diagonals { update(d, g, 9, 20, delta: delta) }
        }
    }

    /// After a block's update, when its AC coefficients lost energy along the file's own
    /// coefficients, scales them back (``Options/rebalance``).
    static func rebalance(_ block: Block) {
        let c = block.c, original = block.original
        var m0: Float = 0, m1: Float = 0
        for i in 1..<64 {
            m0 += c[i] * original[i]
            m1 += original[i] * original[i]
        }
        guard m0 > 0, m1 > m0 else { return }
        let scale = m1 / m0
        for i in 1..<64 { c[i] = min(max(c[i] * scale, block.lo[i]), block.hi[i]) }
    }

    /// `num += Σ W·d·g`, `den += Σ W·g²` over SIMD16 vectors `first ..< end` of the
    /// differences `d` and the gains `g` (times `gain`), `W = max(0, limit − |d|)⁴`.
    @inline(__always)
    static func accumulate(_ d: UnsafeMutableRawPointer, _ g: UnsafeRawPointer, _ first: Int, _ end: Int,
                           limit: SIMD16<Float>, gain: Float, num: inout SIMD16<Float>, den: inout SIMD16<Float>) {
        for j in first..<end {
            let dj = d.load(fromByteOffset: j * 64, as: SIMD16<Float>.self)
            let gj = g.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self) * gain
            // |d| by clearing the sign bit: one AND, where a select on d < 0 is a compare, a
            // negation and a blend (the same value; −0 becomes +0, which the next line does not
            // tell apart). Lane selects below, not pointwiseMax (whose NaN rules keep it from
            // vectorising).
            let ad = unsafeBitCast(unsafeBitCast(dj, to: SIMD16<UInt32>.self) & SIMD16(repeating: 0x7FFF_FFFF),
                                   to: SIMD16<Float>.self)
            let a = (limit - ad).replacing(with: 0, where: ad .> limit)
            let a2 = a * a, w = a2 * a2
            let wg = w * gj
            num += wg * dj
            den += wg * gj
        }
    }

    /// The sum of the lanes by halves (8 + 8, 4 + 4, 2 + 2, 1 + 1): four dependent additions,
    /// where `SIMD.sum()` adds the 16 lanes one after another (a chain of 15).
    @inline(__always)
    static func treeSum(_ v: SIMD16<Float>) -> Float {
        let s8 = v.lowHalf + v.highHalf, s4 = s8.lowHalf + s8.highHalf, s2 = s4.lowHalf + s4.highHalf
        return s2[0] + s2[1]
    }

    /// `d += delta · g` over SIMD16 vectors `first ..< end`.
    @inline(__always)
    static func update(_ d: UnsafeMutableRawPointer, _ g: UnsafeRawPointer, _ first: Int, _ end: Int, delta: Float) {
        for j in first..<end {
            let dj = d.load(fromByteOffset: j * 64, as: SIMD16<Float>.self)
            let gj = g.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self)
            d.storeBytes(of: dj + delta * gj, toByteOffset: j * 64, as: SIMD16<Float>.self)
        }
    }
}
