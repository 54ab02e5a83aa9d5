/// Two 8×8 blocks side by side in 16-lane vectors (block A in lanes 0…7, block B in lanes
/// 8…15): with AVX-512 a `SIMD16<Int32>` is one register, so the forward DCT transforms two
/// blocks with the arithmetic instructions of one (312 instructions a block instead of 407 in
/// the release build on AVX-512). The inverse DCT stays one block at a time: its DC-only
/// shortcut, taken by a large share of blocks, would need both blocks of a pair to be DC-only,
/// and LLVM's lowering of the 16-lane transposes left it only 7 % fewer instructions.
/// Without AVX-512 (`LINALG_PORTABLE_KERNEL`, which the manifest defines for every target
/// when the target CPU lacks it) the encoder keeps the one-block `SIMD8` kernel, whose 16
/// live vectors fit the 16 AVX2 registers.
extension SIMDLanes {
    /// Eight `SIMD16<Int32>` rows: row r of block A in lanes 0…7, of block B in lanes 8…15.
    typealias PairRows = (SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>,
                          SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>)

    /// The low 16 bits of each of 16 `Int32` lanes (`vpmovdw`). Built from the 8-lane halves:
    /// `evenHalf` of a 32-lane vector is a lane loop that LLVM does not unroll.
    @inline(__always)
    static func lowHalves(_ v: SIMD16<Int32>) -> SIMD16<Int16> {
        SIMD16(lowHalf: lowHalves(v.lowHalf), highHalf: lowHalves(v.highHalf))
    }

    /// The high 32 bits of the 64-bit products `a · b`, lane by lane (two `vpmuludq`).
    @inline(__always)
    static func highHalvesOfProducts(_ a: SIMD16<UInt32>, _ b: SIMD16<UInt32>) -> SIMD16<UInt32> {
        SIMD16<UInt32>(lowHalf: highHalvesOfProducts(a.lowHalf, b.lowHalf),
                       highHalf: highHalvesOfProducts(a.highHalf, b.highHalf))
    }

    /// Transposes both 8×8 blocks of `v` (each half on its own), with the three shuffle
    /// rounds of ``transpose(_:)`` applied to each 256-bit half (LLVM lowers them to
    /// two-source permutes of 512-bit registers).
    @inline(__always)
    static func transposePairs(_ v: inout PairRows) {
        typealias W = SIMD16<Int32>
        @inline(__always) func lo32(_ a: W, _ b: W) -> W {
            W(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5], a[8], b[8], a[9], b[9], a[12], b[12], a[13], b[13])
        }
        @inline(__always) func hi32(_ a: W, _ b: W) -> W {
            W(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7], a[10], b[10], a[11], b[11], a[14], b[14], a[15], b[15])
        }
        @inline(__always) func lo64(_ a: W, _ b: W) -> W {
            W(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5], a[8], a[9], b[8], b[9], a[12], a[13], b[12], b[13])
        }
        @inline(__always) func hi64(_ a: W, _ b: W) -> W {
            W(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7], a[10], a[11], b[10], b[11], a[14], a[15], b[14], b[15])
        }
        @inline(__always) func lo128(_ a: W, _ b: W) -> W {
            W(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], a[8], a[9], a[10], a[11], b[8], b[9], b[10], b[11])
        }
        @inline(__always) func hi128(_ a: W, _ b: W) -> W {
            W(a[4], a[5], a[6], a[7], b[4], b[5], b[6], b[7], a[12], a[13], a[14], a[15], b[12], b[13], b[14], b[15])
        }
        let t0 = lo32(v.0, v.1), t1 = hi32(v.0, v.1), t2 = lo32(v.2, v.3), t3 = hi32(v.2, v.3)
        let t4 = lo32(v.4, v.5), t5 = hi32(v.4, v.5), t6 = lo32(v.6, v.7), t7 = hi32(v.6, v.7)
        let u0 = lo64(t0, t2), u1 = hi64(t0, t2), u2 = lo64(t1, t3), u3 = hi64(t1, t3)
        let u4 = lo64(t4, t6), u5 = hi64(t4, t6), u6 = lo64(t5, t7), u7 = hi64(t5, t7)
        v = (lo128(u0, u4), lo128(u1, u5), lo128(u2, u6), lo128(u3, u7),
             hi128(u0, u4), hi128(u1, u5), hi128(u2, u6), hi128(u3, u7))
    }
}
