/// libjpeg's accurate integer forward DCT (jfdctint.c `jpeg_fdct_islow`), bit-exact.
///
/// The Loeffler–Ligtenberg–Moschytz algorithm with 12 multiplies: 13-bit constants
/// (`CONST_BITS`), and pass 1 (rows) keeps 2 extra fraction bits (`PASS1_BITS`) that
/// pass 2 (columns) removes. `DESCALE(x, n)` is `(x + 2ⁿ⁻¹) >> n` (arithmetic shift).
/// Samples are centred by subtracting 128 as they are loaded (libjpeg-turbo's
/// `convsamp`). The outputs are the true DCT coefficients scaled up by 8, so the
/// quantizer divides by `8 · q` (``EncoderQuantizer``).
enum EncoderForwardDCT {
    /// `FIX(x)` with 13 fraction bits (the constants below are its values; a test checks).
    static func fix(_ x: Double) -> Int32 { Int32(x * 8192 + 0.5) }

    static let c0_298631336: Int32 = 2446  // FIX(0.298631336)
    static let c0_390180644: Int32 = 3196  // FIX(0.390180644)
    static let c0_541196100: Int32 = 4433  // FIX(0.541196100)
    static let c0_765366865: Int32 = 6270  // FIX(0.765366865)
    static let c0_899976223: Int32 = 7373  // FIX(0.899976223)
    static let c1_175875602: Int32 = 9633  // FIX(1.175875602)
    static let c1_501321110: Int32 = 12299  // FIX(1.501321110)
    static let c1_847759065: Int32 = 15137  // FIX(1.847759065)
    static let c1_961570560: Int32 = 16069  // FIX(1.961570560)
    static let c2_053119869: Int32 = 16819  // FIX(2.053119869)
    static let c2_562915447: Int32 = 20995  // FIX(2.562915447)
    static let c3_072711026: Int32 = 25172  // FIX(3.072711026)

    /// Pass 1 on eight rows at once: `d0…d7` hold columns 0…7 (one lane per row); the
    /// results hold coefficients 0…7 of every row, with PASS1_BITS extra bits.
    @inline(__always)
    static func pass1(_ d0: SIMD8<Int32>, _ d1: SIMD8<Int32>, _ d2: SIMD8<Int32>, _ d3: SIMD8<Int32>,
                      _ d4: SIMD8<Int32>, _ d5: SIMD8<Int32>, _ d6: SIMD8<Int32>, _ d7: SIMD8<Int32>)
        -> (SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>,
            SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>) {
        typealias V = SIMD8<Int32>
        let tmp0 = d0 &+ d7, tmp7 = d0 &- d7
        let tmp1 = d1 &+ d6, tmp6 = d1 &- d6
        let tmp2 = d2 &+ d5, tmp5 = d2 &- d5
        let tmp3 = d3 &+ d4, tmp4 = d3 &- d4
        let tmp10 = tmp0 &+ tmp3, tmp13 = tmp0 &- tmp3
        let tmp11 = tmp1 &+ tmp2, tmp12 = tmp1 &- tmp2

        let round1 = V(repeating: 1 << 10)
        // (x · 2¹³ + 2¹⁰) >> 11 is x << 2 (libjpeg's DC and 4 terms); written with the
        // same rounding shift as the other outputs so that LLVM does not merge the
        // different shifts with the transpose that follows into per-lane variable shifts.
        let o0 = (((tmp10 &+ tmp11) &<< 13) &+ round1) &>> 11
        let o4 = (((tmp10 &- tmp11) &<< 13) &+ round1) &>> 11
        let z1e = (tmp12 &+ tmp13) &* c0_541196100
        let o2 = (z1e &+ tmp13 &* c0_765366865 &+ round1) &>> 11
        let o6 = (z1e &- tmp12 &* c1_847759065 &+ round1) &>> 11

        let z3 = tmp4 &+ tmp6, z4 = tmp5 &+ tmp7
        let z5 = (z3 &+ z4) &* c1_175875602
        let p4 = tmp4 &* c0_298631336, p5 = tmp5 &* c2_053119869
        let p6 = tmp6 &* c3_072711026, p7 = tmp7 &* c1_501321110
        let z1 = (tmp4 &+ tmp7) &* (0 &- c0_899976223)
        let z2 = (tmp5 &+ tmp6) &* (0 &- c2_562915447)
        let z3m = z3 &* (0 &- c1_961570560) &+ z5
        let z4m = z4 &* (0 &- c0_390180644) &+ z5
        let o7 = (p4 &+ z1 &+ z3m &+ round1) &>> 11
        let o5 = (p5 &+ z2 &+ z4m &+ round1) &>> 11
        let o3 = (p6 &+ z2 &+ z3m &+ round1) &>> 11
        let o1 = (p7 &+ z1 &+ z4m &+ round1) &>> 11
        return (o0, o1, o2, o3, o4, o5, o6, o7)
    }

    /// The transform on `SIMD8<Int32>` vectors (pass 1 with one lane per row, a transpose,
    /// pass 2 with one lane per column), then ``EncoderQuantizer``'s rounding division
    /// (32 × 32 → 64-bit products of 8 lanes), storing 64 quantized coefficients in natural order.
    /// Bit-identical to jfdctint.c's scalar code followed by ``EncoderQuantizer``'s scalar
    /// rounding division of each coefficient (both kept in the tests as references; a test checks).
    ///
    /// - Parameters:
    ///   - quantizer: ``EncoderQuantizer/constants`` (multipliers, halves, shifts; 64 each).
    @inline(__always)
    static func transformAndQuantize(_ samples: UnsafePointer<UInt8>, stride: Int,
                                     quantizer: UnsafePointer<UInt32>,
                                     into output: UnsafeMutablePointer<Int16>) {
        typealias V = SIMD8<Int32>
        // Pass 1 on all rows at once, one lane per row: column c of the block is byte c
        // of each row read as a little-endian UInt64.
        let rows = SIMD8<UInt64>(
            UInt64(littleEndian: UnsafeRawPointer(samples).loadUnaligned(as: UInt64.self)),
            UInt64(littleEndian: UnsafeRawPointer(samples + stride).loadUnaligned(as: UInt64.self)),
            UInt64(littleEndian: UnsafeRawPointer(samples + 2 * stride).loadUnaligned(as: UInt64.self)),
            UInt64(littleEndian: UnsafeRawPointer(samples + 3 * stride).loadUnaligned(as: UInt64.self)),
            UInt64(littleEndian: UnsafeRawPointer(samples + 4 * stride).loadUnaligned(as: UInt64.self)),
            UInt64(littleEndian: UnsafeRawPointer(samples + 5 * stride).loadUnaligned(as: UInt64.self)),
            UInt64(littleEndian: UnsafeRawPointer(samples + 6 * stride).loadUnaligned(as: UInt64.self)),
            UInt64(littleEndian: UnsafeRawPointer(samples + 7 * stride).loadUnaligned(as: UInt64.self)))
        @inline(__always)
        func column(_ c: UInt64) -> V {
            SIMDLanes.lowHalves((rows &>> (8 * c)) & 0xFF) &- 128
        }
        let (y0, y1, y2, y3, y4, y5, y6, y7) = pass1(column(0), column(1), column(2), column(3),
                                                    column(4), column(5), column(6), column(7))
        // Transpose: v_r holds row r of the pass-1 output, one lane per column.
        var rows1 = (y0, y1, y2, y3, y4, y5, y6, y7)
        SIMDLanes.transpose(&rows1)
        let (v0, v1, v2, v3, v4, v5, v6, v7) = rows1

        let tmp0 = v0 &+ v7, tmp7 = v0 &- v7
        let tmp1 = v1 &+ v6, tmp6 = v1 &- v6
        let tmp2 = v2 &+ v5, tmp5 = v2 &- v5
        let tmp3 = v3 &+ v4, tmp4 = v3 &- v4
        let tmp10 = tmp0 &+ tmp3, tmp13 = tmp0 &- tmp3
        let tmp11 = tmp1 &+ tmp2, tmp12 = tmp1 &- tmp2

        let round2 = V(repeating: 1 << 14)
        let two = V(repeating: 2)
        let o0 = (tmp10 &+ tmp11 &+ two) &>> 2
        let o4 = (tmp10 &- tmp11 &+ two) &>> 2
        let z1e = (tmp12 &+ tmp13) &* c0_541196100
        let o2 = (z1e &+ tmp13 &* c0_765366865 &+ round2) &>> 15
        let o6 = (z1e &- tmp12 &* c1_847759065 &+ round2) &>> 15

        let z3 = tmp4 &+ tmp6, z4 = tmp5 &+ tmp7
        let z5 = (z3 &+ z4) &* c1_175875602
        let p4 = tmp4 &* c0_298631336, p5 = tmp5 &* c2_053119869
        let p6 = tmp6 &* c3_072711026, p7 = tmp7 &* c1_501321110
        let z1 = (tmp4 &+ tmp7) &* (0 &- c0_899976223)
        let z2 = (tmp5 &+ tmp6) &* (0 &- c2_562915447)
        let z3m = z3 &* (0 &- c1_961570560) &+ z5
        let z4m = z4 &* (0 &- c0_390180644) &+ z5
        let o7 = (p4 &+ z1 &+ z3m &+ round2) &>> 15
        let o5 = (p5 &+ z2 &+ z4m &+ round2) &>> 15
        let o3 = (p6 &+ z2 &+ z3m &+ round2) &>> 15
        let o1 = (p7 &+ z1 &+ z4m &+ round2) &>> 15

        let out = UnsafeMutableRawPointer(output)
        let constants = UnsafeRawPointer(quantizer)
        @inline(__always)
        func quantizeRow(_ x: V, _ row: Int) {
            let m = constants.loadUnaligned(fromByteOffset: 32 * row, as: SIMD8<UInt32>.self)
            let h = constants.loadUnaligned(fromByteOffset: 256 + 32 * row, as: SIMD8<UInt32>.self)
            let s = constants.loadUnaligned(fromByteOffset: 512 + 32 * row, as: SIMD8<UInt32>.self)
            let sign = x &>> 31  // 0 or −1 per lane
            let n = unsafeBitCast((x ^ sign) &- sign, to: SIMD8<UInt32>.self) &+ h
            let high = SIMDLanes.highHalvesOfProducts(n, m)
            let q = unsafeBitCast(high &>> s, to: SIMD8<Int32>.self)
            let signed = (q ^ sign) &- sign
            out.storeBytes(of: SIMDLanes.lowHalves(signed), toByteOffset: 16 * row, as: SIMD8<Int16>.self)
        }
        quantizeRow(o0, 0); quantizeRow(o1, 1); quantizeRow(o2, 2); quantizeRow(o3, 3)
        quantizeRow(o4, 4); quantizeRow(o5, 5); quantizeRow(o6, 6); quantizeRow(o7, 7)
    }
}
