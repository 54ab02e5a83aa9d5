/// PNG row filtering (PNG spec §9): the five filter types, and the per-row choice by the
/// minimum sum of absolute differences, Σ|Int8(filtered byte)| (the heuristic of libpng and
/// Pillow).
///
/// Encoding filters only read unfiltered bytes, so every output byte is independent and
/// the work runs 16 bytes at a time in SIMD vectors; the first `bpp` bytes of a row (no
/// left neighbour) and the last partial vector are done one byte at a time.
enum RowFilter {
    typealias V = SIMD16<UInt8>
    typealias W = SIMD16<Int16>

    /// Filters `height` rows of `rowBytes` bytes from `raw` into `out`, each output row
    /// prefixed by its filter type byte. `bpp` is the filter unit (bytes per complete pixel,
    /// at least 1). `out` must hold `height * (rowBytes + 1)` bytes.
    static func filterImage(_ raw: UnsafePointer<UInt8>, rowBytes: Int, height: Int, bpp: Int,
                            into out: UnsafeMutablePointer<UInt8>) {
        filterRows(0..<height, of: raw, rowBytes: rowBytes, bpp: bpp, into: out)
    }

    /// Filters rows `rows` of the image at `raw` into their places in `out` (row `y` at
    /// `y * (rowBytes + 1)`), exactly as ``filterImage(_:rowBytes:height:bpp:into:)`` would:
    /// a row reads only itself and the row above, so separate row ranges can be filtered
    /// separately (on separate threads).
    static func filterRows(_ rows: Range<Int>, of raw: UnsafePointer<UInt8>, rowBytes: Int, bpp: Int,
                           into out: UnsafeMutablePointer<UInt8>) {
        let zeros = UnsafeMutablePointer<UInt8>.allocate(capacity: max(rowBytes, 1))
        zeros.initialize(repeating: 0, count: max(rowBytes, 1))
        defer { zeros.deallocate() }
        for y in rows {
            let cur = raw + y * rowBytes
            let up = y == 0 ? UnsafePointer(zeros) : raw + (y - 1) * rowBytes
            let dst = out + y * (rowBytes + 1)
            let type = chooseFilter(cur, up, rowBytes, bpp)
            dst[0] = type
            apply(type, cur, up, rowBytes, bpp, dst + 1)
        }
    }

    @inline(__always)
    static func absByte(_ v: UInt8) -> UInt32 {
        // |Int8(v)| for a byte: v if v < 128, else 256 - v.
        v < 128 ? UInt32(v) : 256 - UInt32(v)
    }

    @inline(__always)
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let ia = Int(a), ib = Int(b), ic = Int(c)
        let pa = abs(ib - ic), pb = abs(ia - ic), pc = abs(ia + ib - 2 * ic)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    /// |Int8(v)| per lane (128 for 0x80), with shifts and XOR only: SIMD masks and
    /// `replacing(with:where:)` compile to per-lane loops, arithmetic does not.
    @inline(__always)
    static func absBytes(_ v: V) -> V {
        let s = SIMD16<Int8>(truncatingIfNeeded: v)
        let m = s &>> 7
        return V(truncatingIfNeeded: (s ^ m) &- m)
    }

    /// Floor((a + b) / 2) per lane without overflow.
    @inline(__always)
    static func average(_ a: V, _ b: V) -> V {
        (a & b) &+ ((a ^ b) &>> 1)
    }

    @inline(__always)
    static func abs16(_ x: W) -> W {
        let m = x &>> 15
        return (x ^ m) &- m
    }

    /// The Paeth predictor per lane, branch- and mask-free: the sign of a difference
    /// (arithmetic shift by 15) selects between a, b and c.
    @inline(__always)
    static func paeth(_ a: V, _ b: V, _ c: V) -> V {
        let ia = W(truncatingIfNeeded: a), ib = W(truncatingIfNeeded: b), ic = W(truncatingIfNeeded: c)
        let dbc = ib &- ic, dac = ia &- ic
        let pa = abs16(dbc), pb = abs16(dac), pc = abs16(dbc &+ dac)
        // notA = −1 where pa > pb or pa > pc; notB = −1 where pb > pc.
        let notA = ((pb &- pa) | (pc &- pa)) &>> 15
        let notB = (pc &- pb) &>> 15
        let bc = (ib & ~notB) | (ic & notB)
        return V(truncatingIfNeeded: (ia & ~notA) | (bc & notA))
    }

    /// Adds the 16 lanes of `v` (widened) to `sum`.
    @inline(__always)
    static func widenSum(_ v: SIMD16<UInt16>) -> UInt32 {
        UInt32(truncatingIfNeeded: SIMD16<UInt32>(truncatingIfNeeded: v).wrappedSum())
    }

    /// The filter type (0...4) whose output has the smallest Σ|Int8(byte)| (ties: lowest type).
    static func chooseFilter(_ cur: UnsafePointer<UInt8>, _ up: UnsafePointer<UInt8>,
                             _ n: Int, _ bpp: Int) -> UInt8 {
        var s0: UInt32 = 0, s1: UInt32 = 0, s2: UInt32 = 0, s3: UInt32 = 0, s4: UInt32 = 0
        let lead = min(bpp, n)
        for i in 0..<lead {
            let x = cur[i], b = up[i]
            s0 &+= absByte(x)
            s1 &+= absByte(x)
            s2 &+= absByte(x &- b)
            s3 &+= absByte(x &- (b >> 1))
            s4 &+= absByte(x &- b)
        }
        var i = lead
        // Vector part: lane sums in UInt16 (at most 128 per lane per step), flushed every
        // 256 steps before they could overflow.
        while i + 16 <= n {
            var a0 = SIMD16<UInt16>(), a1 = SIMD16<UInt16>(), a2 = SIMD16<UInt16>()
            var a3 = SIMD16<UInt16>(), a4 = SIMD16<UInt16>()
            var steps = 0
            while i + 16 <= n && steps < 256 {
                let x = load(cur + i), a = load(cur + i - bpp), b = load(up + i), c = load(up + i - bpp)
                a0 &+= SIMD16<UInt16>(truncatingIfNeeded: absBytes(x))
                a1 &+= SIMD16<UInt16>(truncatingIfNeeded: absBytes(x &- a))
                a2 &+= SIMD16<UInt16>(truncatingIfNeeded: absBytes(x &- b))
                a3 &+= SIMD16<UInt16>(truncatingIfNeeded: absBytes(x &- average(a, b)))
                a4 &+= SIMD16<UInt16>(truncatingIfNeeded: absBytes(x &- paeth(a, b, c)))
                i += 16
                steps += 1
            }
            s0 &+= widenSum(a0); s1 &+= widenSum(a1); s2 &+= widenSum(a2)
            s3 &+= widenSum(a3); s4 &+= widenSum(a4)
        }
        while i < n {
            let x = cur[i], a = cur[i - bpp], b = up[i], c = up[i - bpp]
            s0 &+= absByte(x)
            s1 &+= absByte(x &- a)
            s2 &+= absByte(x &- b)
            s3 &+= absByte(x &- UInt8((Int(a) + Int(b)) >> 1))
            s4 &+= absByte(x &- paeth(a, b, c))
            i += 1
        }
        var best: UInt8 = 0
        var bestSum = s0
        if s1 < bestSum { best = 1; bestSum = s1 }
        if s2 < bestSum { best = 2; bestSum = s2 }
        if s3 < bestSum { best = 3; bestSum = s3 }
        if s4 < bestSum { best = 4; bestSum = s4 }
        return best
    }

    /// Writes row `cur` filtered with `type` to `dst` (`n` bytes).
    static func apply(_ type: UInt8, _ cur: UnsafePointer<UInt8>, _ up: UnsafePointer<UInt8>,
                      _ n: Int, _ bpp: Int, _ dst: UnsafeMutablePointer<UInt8>) {
        let lead = min(bpp, n)
        @inline(__always) func store(_ v: V, _ i: Int) {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: V.self)
        }
        switch type {
        case 0:
            dst.update(from: cur, count: n)
        case 1:
            for i in 0..<lead { dst[i] = cur[i] }
            var i = lead
            while i + 16 <= n { store(load(cur + i) &- load(cur + i - bpp), i); i += 16 }
            while i < n { dst[i] = cur[i] &- cur[i - bpp]; i += 1 }
        case 2:
            var i = 0
            while i + 16 <= n { store(load(cur + i) &- load(up + i), i); i += 16 }
            while i < n { dst[i] = cur[i] &- up[i]; i += 1 }
        case 3:
            for i in 0..<lead { dst[i] = cur[i] &- (up[i] >> 1) }
            var i = lead
            while i + 16 <= n { store(load(cur + i) &- average(load(cur + i - bpp), load(up + i)), i); i += 16 }
            while i < n { dst[i] = cur[i] &- UInt8((Int(cur[i - bpp]) + Int(up[i])) >> 1); i += 1 }
        default:
            for i in 0..<lead { dst[i] = cur[i] &- up[i] }
            var i = lead
            while i + 16 <= n {
                store(load(cur + i) &- paeth(load(cur + i - bpp), load(up + i), load(up + i - bpp)), i)
                i += 16
            }
            while i < n { dst[i] = cur[i] &- paeth(cur[i - bpp], up[i], up[i - bpp]); i += 1 }
        }
    }
}
