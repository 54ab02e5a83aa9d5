/// PNG row filtering (PNG spec §9): the five filter types, and the per-row choice by the
/// minimum sum of absolute differences, Σ|Int8(filtered byte)| (the heuristic of libpng and
/// Pillow).
enum RowFilter {
    /// Filters `height` rows of `rowBytes` bytes from `raw` into `out`, each output row
    /// prefixed by its filter type byte. `bpp` is the filter unit (bytes per complete pixel,
    /// at least 1). `out` must hold `height * (rowBytes + 1)` bytes.
    static func filterImage(_ raw: UnsafePointer<UInt8>, rowBytes: Int, height: Int, bpp: Int,
                            into out: UnsafeMutablePointer<UInt8>) {
        let zeros = UnsafeMutablePointer<UInt8>.allocate(capacity: max(rowBytes, 1))
        zeros.initialize(repeating: 0, count: max(rowBytes, 1))
        defer { zeros.deallocate() }
        for y in 0..<height {
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
            s3 &+= absByte(x &- UInt8(Int(b) >> 1))
            s4 &+= absByte(x &- b)
        }
        var i = lead
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
        switch type {
        case 0:
            dst.update(from: cur, count: n)
        case 1:
            for i in 0..<lead { dst[i] = cur[i] }
            var i = lead
            while i < n { dst[i] = cur[i] &- cur[i - bpp]; i += 1 }
        case 2:
            for i in 0..<n { dst[i] = cur[i] &- up[i] }
        case 3:
            for i in 0..<lead { dst[i] = cur[i] &- (up[i] >> 1) }
            var i = lead
            while i < n { dst[i] = cur[i] &- UInt8((Int(cur[i - bpp]) + Int(up[i])) >> 1); i += 1 }
        default:
            for i in 0..<lead { dst[i] = cur[i] &- up[i] }
            var i = lead
            while i < n { dst[i] = cur[i] &- paeth(cur[i - bpp], up[i], up[i - bpp]); i += 1 }
        }
    }
}
