/// Lane-width conversions for the codec's SIMD kernels, written so that they always inline
/// into the caller and lower to one or two vector instructions.
///
/// The standard library's `SIMD8<T>(truncatingIfNeeded:)` between integer widths compiles
/// to a good instruction sequence but, in Swift 6.3 release builds, stays an out-of-line
/// call (its arguments and result cross the call in registers split into 128-bit halves);
/// on the inverse DCT's path that call cost about 6 % of a baseline decode. Building the
/// vector lane by lane from the widened scalars is recognised by LLVM as one sign or zero
/// extension (`vpmovsxwd`, `vpmovzxbd`), and taking every fourth byte of a bit-cast vector
/// (`evenHalf` twice) as one truncation (`vpmovdb` with AVX-512, `vpshufb` with AVX2).
enum SIMDLanes {
    /// Whether every lane is zero (`vptest`). `v == .zero` is `Equatable`'s lane-by-lane
    /// loop through memory in release builds.
    @inline(__always)
    static func isZero(_ v: SIMD8<Int32>) -> Bool {
        !any(v .!= .zero)
    }

    /// Sign-extends 8 `Int16` lanes to `Int32`.
    @inline(__always)
    static func widen(_ v: SIMD8<Int16>) -> SIMD8<Int32> {
        SIMD8<Int32>(Int32(v[0]), Int32(v[1]), Int32(v[2]), Int32(v[3]),
                     Int32(v[4]), Int32(v[5]), Int32(v[6]), Int32(v[7]))
    }

    /// Zero-extends 8 `UInt8` lanes to `Int32`.
    @inline(__always)
    static func widen(_ v: SIMD8<UInt8>) -> SIMD8<Int32> {
        SIMD8<Int32>(Int32(v[0]), Int32(v[1]), Int32(v[2]), Int32(v[3]),
                     Int32(v[4]), Int32(v[5]), Int32(v[6]), Int32(v[7]))
    }

    /// The low byte of each of 8 `Int32` lanes.
    @inline(__always)
    static func lowBytes(_ v: SIMD8<Int32>) -> SIMD8<UInt8> {
        unsafeBitCast(v, to: SIMD32<UInt8>.self).evenHalf.evenHalf
    }

    /// The low 16 bits of each of 8 `Int32` lanes.
    @inline(__always)
    static func lowHalves(_ v: SIMD8<Int32>) -> SIMD8<Int16> {
        unsafeBitCast(v, to: SIMD16<Int16>.self).evenHalf
    }

    /// The low 32 bits of each of 8 `UInt64` lanes, as `Int32`.
    @inline(__always)
    static func lowHalves(_ v: SIMD8<UInt64>) -> SIMD8<Int32> {
        unsafeBitCast(unsafeBitCast(v, to: SIMD16<UInt32>.self).evenHalf, to: SIMD8<Int32>.self)
    }

    /// The high 32 bits of the 64-bit products `a · b`, lane by lane. Both factors are
    /// zero-extended, which LLVM recognises as `vpmuludq` (one instruction per 8 lanes with
    /// AVX-512, 2 with AVX2).
    @inline(__always)
    static func highHalvesOfProducts(_ a: SIMD8<UInt32>, _ b: SIMD8<UInt32>) -> SIMD8<UInt32> {
        let wa = SIMD8<UInt64>(UInt64(a[0]), UInt64(a[1]), UInt64(a[2]), UInt64(a[3]),
                               UInt64(a[4]), UInt64(a[5]), UInt64(a[6]), UInt64(a[7]))
        let wb = SIMD8<UInt64>(UInt64(b[0]), UInt64(b[1]), UInt64(b[2]), UInt64(b[3]),
                               UInt64(b[4]), UInt64(b[5]), UInt64(b[6]), UInt64(b[7]))
        return unsafeBitCast(wa &* wb, to: SIMD16<UInt32>.self).oddHalf
    }

    /// Eight `SIMD8<Int32>` rows of an 8×8 matrix.
    typealias Rows = (SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>,
                      SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>)

    /// Transposes an 8×8 matrix held as 8 row vectors, in three rounds of two-source
    /// shuffles: interleave 32-bit lanes of row pairs, then 64-bit pairs, then swap 128-bit
    /// halves (24 shuffles, which LLVM lowers to `vpunpck*`/`vperm*`/`vinserti128`). Faster
    /// than unzipping with `evenHalf`/`oddHalf` (measured on the inverse DCT: 64 → 56 ns a
    /// block), whose concatenated 16-lane vectors LLVM splits and recombines.
    @inline(__always)
    static func transpose(_ v: inout Rows) {
        typealias V = SIMD8<Int32>
        @inline(__always) func lo32(_ a: V, _ b: V) -> V { V(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5]) }
        @inline(__always) func hi32(_ a: V, _ b: V) -> V { V(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7]) }
        @inline(__always) func lo64(_ a: V, _ b: V) -> V { V(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5]) }
        @inline(__always) func hi64(_ a: V, _ b: V) -> V { V(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7]) }
        @inline(__always) func lo128(_ a: V, _ b: V) -> V { V(lowHalf: a.lowHalf, highHalf: b.lowHalf) }
        @inline(__always) func hi128(_ a: V, _ b: V) -> V { V(lowHalf: a.highHalf, highHalf: b.highHalf) }
        let t0 = lo32(v.0, v.1), t1 = hi32(v.0, v.1), t2 = lo32(v.2, v.3), t3 = hi32(v.2, v.3)
        let t4 = lo32(v.4, v.5), t5 = hi32(v.4, v.5), t6 = lo32(v.6, v.7), t7 = hi32(v.6, v.7)
        let u0 = lo64(t0, t2), u1 = hi64(t0, t2), u2 = lo64(t1, t3), u3 = hi64(t1, t3)
        let u4 = lo64(t4, t6), u5 = hi64(t4, t6), u6 = lo64(t5, t7), u7 = hi64(t5, t7)
        v = (lo128(u0, u4), lo128(u1, u5), lo128(u2, u6), lo128(u3, u7),
             hi128(u0, u4), hi128(u1, u5), hi128(u2, u6), hi128(u3, u7))
    }
}
