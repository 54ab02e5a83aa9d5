/// libjpeg's accurate integer inverse DCT (`jpeg_idct_islow`, jidctint.c): the
/// Loeffler–Ligtenberg–Moschytz algorithm in 13-bit fixed point (CONST_BITS 13), a first
/// pass over columns that keeps 2 extra bits (PASS1_BITS 2), a second pass over rows, and
/// libjpeg's post-IDCT range limit (`x & 1023` into its wrap-around clamp table), so the
/// output is bit-identical to libjpeg-turbo's.
///
/// Arithmetic is 32-bit and wrapping (never trapping). libjpeg's C code keeps 64-bit
/// intermediates and its SIMD code (which Pillow runs) 16-bit ones; all three agree for
/// every block an 8-bit encoder can produce and differ only on damaged data.
enum InverseDCT {
    static let fix0_298631336: Int32 = 2446
    static let fix0_390180644: Int32 = 3196
    static let fix0_541196100: Int32 = 4433
    static let fix0_765366865: Int32 = 6270
    static let fix0_899976223: Int32 = 7373
    static let fix1_175875602: Int32 = 9633
    static let fix1_501321110: Int32 = 12299
    static let fix1_847759065: Int32 = 15137
    static let fix1_961570560: Int32 = 16069
    static let fix2_053119869: Int32 = 16819
    static let fix2_562915447: Int32 = 20995
    static let fix3_072711026: Int32 = 25172
    static let constBits: Int32 = 13
    static let pass1Bits: Int32 = 2

    /// The same transform on 8 columns (pass 1) and then 8 rows (pass 2) at a time with
    /// `SIMD8<Int32>` lanes, with an 8×8 transpose (``SIMDLanes/transpose(_:)``) after each pass.
    /// Bit-identical to jidctint.c's scalar code (the tests keep a scalar reference): the
    /// shortcuts that libjpeg takes for zero columns and rows give the same values as the full formula.
    @inline(__always)
    static func transformSIMD(_ coefficients: UnsafePointer<Int16>, quant q: UnsafePointer<SIMD8<Int32>>,
                              output: UnsafeMutablePointer<UInt8>, stride: Int) {
        let raw = UnsafeRawPointer(coefficients)
        @inline(__always) func load(_ r: Int) -> SIMD8<Int32> {
            SIMDLanes.widen(raw.loadUnaligned(fromByteOffset: r * 16, as: SIMD8<Int16>.self))
        }
        let c0 = load(0)
        let ac = load(1) | load(2) | load(3) | load(4) | load(5) | load(6) | load(7)
        if SIMDLanes.isZero(ac | (c0 & SIMD8<Int32>(0, -1, -1, -1, -1, -1, -1, -1))) {
            // DC only: one value for the whole block (the shortcut paths of both passes).
            let dc = (c0[0] &* q[0][0]) &<< pass1Bits
            let v = SIMD8<Int32>(repeating: (dc &+ (1 << (pass1Bits + 2))) &>> (pass1Bits + 3))
            for r in 0..<8 { store(v, output + r * stride) }
            return
        }
        // Pass 1 on columns: lane = column.
        var w = butterfly(load(0) &* q[0], load(1) &* q[1], load(2) &* q[2], load(3) &* q[3],
                          load(4) &* q[4], load(5) &* q[5], load(6) &* q[6], load(7) &* q[7],
                          shift: constBits - pass1Bits)
        SIMDLanes.transpose(&w)
        // Pass 2 on rows: lane = row; w.k is column k of the workspace.
        var o = butterfly(w.0, w.1, w.2, w.3, w.4, w.5, w.6, w.7, shift: constBits + pass1Bits + 3)
        SIMDLanes.transpose(&o)
        store(o.0, output); store(o.1, output + stride)
        store(o.2, output + 2 * stride); store(o.3, output + 3 * stride)
        store(o.4, output + 4 * stride); store(o.5, output + 5 * stride)
        store(o.6, output + 6 * stride); store(o.7, output + 7 * stride)
    }

    /// Range-limits 8 descaled outputs exactly like ``rangeLimit`` (y = (v + 128) & 1023;
    /// y < 256 → y, y < 640 → 255, else 0) with lane-wise integer operations, and stores them.
    @inline(__always)
    static func store(_ v: SIMD8<Int32>, _ out: UnsafeMutablePointer<UInt8>) {
        let y = (v &+ 128) & 1023
        let over = y &- 255
        let clampedHigh = y &- (over & ~(over &>> 31))       // min(y, 255)
        let keep = (y &- 640) &>> 31                           // −1 where y < 640, else 0
        let limited = clampedHigh & keep
        UnsafeMutableRawPointer(out).storeBytes(of: SIMDLanes.lowBytes(limited), as: SIMD8<UInt8>.self)
    }

    typealias Vectors = SIMDLanes.Rows

    /// One 1-D IDCT (jidctint's even and odd parts) on 8 lanes at once, outputs descaled by `shift`.
    @inline(__always)
    static func butterfly(_ i0: SIMD8<Int32>, _ i1: SIMD8<Int32>, _ i2: SIMD8<Int32>, _ i3: SIMD8<Int32>,
                          _ i4: SIMD8<Int32>, _ i5: SIMD8<Int32>, _ i6: SIMD8<Int32>, _ i7: SIMD8<Int32>,
                          shift: Int32) -> Vectors {
        let z1 = (i2 &+ i6) &* fix0_541196100
        let tmp2e = z1 &+ i6 &* (-fix1_847759065)
        let tmp3e = z1 &+ i2 &* fix0_765366865
        let tmp0e = (i0 &+ i4) &<< constBits
        let tmp1e = (i0 &- i4) &<< constBits
        let tmp10 = tmp0e &+ tmp3e, tmp13 = tmp0e &- tmp3e
        let tmp11 = tmp1e &+ tmp2e, tmp12 = tmp1e &- tmp2e
        let z4a = i5 &+ i1, z3a = i7 &+ i3, z2a = i5 &+ i3, z1a = i7 &+ i1
        let z5 = (z3a &+ z4a) &* fix1_175875602
        let z4 = z4a &* (-fix0_390180644) &+ z5
        let z3 = z3a &* (-fix1_961570560) &+ z5
        let z1b = z1a &* (-fix0_899976223)
        let z2b = z2a &* (-fix2_562915447)
        let tmp3 = i1 &* fix1_501321110 &+ z1b &+ z4
        let tmp2 = i3 &* fix3_072711026 &+ z2b &+ z3
        let tmp1 = i5 &* fix2_053119869 &+ z2b &+ z4
        let tmp0 = i7 &* fix0_298631336 &+ z1b &+ z3
        let round = SIMD8<Int32>(repeating: 1 &<< (shift - 1))
        let s = SIMD8<Int32>(repeating: shift)
        return ((tmp10 &+ tmp3 &+ round) &>> s, (tmp11 &+ tmp2 &+ round) &>> s,
                (tmp12 &+ tmp1 &+ round) &>> s, (tmp13 &+ tmp0 &+ round) &>> s,
                (tmp13 &- tmp0 &+ round) &>> s, (tmp12 &- tmp1 &+ round) &>> s,
                (tmp11 &- tmp2 &+ round) &>> s, (tmp10 &- tmp3 &+ round) &>> s)
    }

    /// The quantization table as 8 row vectors of libjpeg's 16-bit signed multipliers.
    static func quantRows(_ quant: [UInt16]) -> [SIMD8<Int32>] {
        (0..<8).map { r in SIMD8<Int32>((0..<8).map { Int32(Int16(truncatingIfNeeded: quant[r * 8 + $0])) }) }
    }

    /// Transforms one row of `blocksWide` blocks into 8 sample rows at `output`.
    static func transformBlockRow(_ coefficients: UnsafePointer<Int16>, quant: UnsafePointer<SIMD8<Int32>>,
                                  blocksWide: Int, output: UnsafeMutablePointer<UInt8>, stride: Int) {
        for bx in 0..<blocksWide {
            transformSIMD(coefficients + bx * 64, quant: quant, output: output + bx * 8, stride: stride)
        }
    }

    /// Transforms every block of a component's coefficient plane into its sample plane.
    /// - Parameters:
    ///   - coefficients: `blocksWide · blocksHigh` blocks of 64, row-major.
    ///   - quant: the component's quantization table, natural order.
    ///   - samples: output plane `blocksWide · 8` samples wide, `blocksHigh · 8` high.
    static func transformPlane(_ coefficients: UnsafePointer<Int16>, quant: [UInt16],
                               blocksWide: Int, blocksHigh: Int,
                               samples: UnsafeMutablePointer<UInt8>) {
        let stride = blocksWide * 8
        quantRows(quant).withUnsafeBufferPointer { q in
            for by in 0..<blocksHigh {
                transformBlockRow(coefficients + by * blocksWide * 64, quant: q.baseAddress!, blocksWide: blocksWide,
                                  output: samples + by * 8 * stride, stride: stride)
            }
        }
    }
}
