/// libjpeg's accurate integer forward DCT (jfdctint.c `jpeg_fdct_islow`), bit-exact.
///
/// The Loeffler–Ligtenberg–Moschytz algorithm with 12 multiplies: 13-bit constants
/// (`CONST_BITS`), and pass 1 (rows) keeps 2 extra fraction bits (`PASS1_BITS`) that
/// pass 2 (columns) removes. `DESCALE(x, n)` is `(x + 2ⁿ⁻¹) >> n` (arithmetic shift).
/// Samples are centred by subtracting 128 as they are loaded (libjpeg-turbo's
/// `convsamp`). The outputs are the true DCT coefficients scaled up by 8, so the
/// quantizer divides by `8 · q` (``EncoderQuantizer``).
enum EncoderForwardDCT {
    static let constBits: Int32 = 13
    static let pass1Bits: Int32 = 2

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

    /// Transforms the 8×8 samples at `samples` (rows `stride` apart) into 64 coefficients
    /// (natural order, scaled by 8) at `output`.
    @inline(__always)
    static func transform(_ samples: UnsafePointer<UInt8>, stride: Int,
                          into output: UnsafeMutablePointer<Int32>) {
        transformRows(samples, stride: stride, into: output)
        transformColumns(output)
    }

    /// Pass 1 (rows), in place into `output`; results carry PASS1_BITS extra bits.
    @inline(__always)
    static func transformRows(_ samples: UnsafePointer<UInt8>, stride: Int,
                              into output: UnsafeMutablePointer<Int32>) {
        let f0298 = c0_298631336, f0390 = c0_390180644, f0541 = c0_541196100
        let f0765 = c0_765366865, f0899 = c0_899976223, f1175 = c1_175875602
        let f1501 = c1_501321110, f1847 = c1_847759065, f1961 = c1_961570560
        let f2053 = c2_053119869, f2562 = c2_562915447, f3072 = c3_072711026

        // Pass 1: rows. Results carry PASS1_BITS extra bits.
        let shift1: Int32 = 13 - 2
        let round1: Int32 = 1 << (shift1 - 1)
        for row in 0..<8 {
            let s = samples + row * stride
            let d0 = Int32(s[0]) - 128, d1 = Int32(s[1]) - 128
            let d2 = Int32(s[2]) - 128, d3 = Int32(s[3]) - 128
            let d4 = Int32(s[4]) - 128, d5 = Int32(s[5]) - 128
            let d6 = Int32(s[6]) - 128, d7 = Int32(s[7]) - 128
            let o = output + row * 8

            let tmp0 = d0 &+ d7, tmp7 = d0 &- d7
            let tmp1 = d1 &+ d6, tmp6 = d1 &- d6
            let tmp2 = d2 &+ d5, tmp5 = d2 &- d5
            let tmp3 = d3 &+ d4, tmp4 = d3 &- d4

            let tmp10 = tmp0 &+ tmp3, tmp13 = tmp0 &- tmp3
            let tmp11 = tmp1 &+ tmp2, tmp12 = tmp1 &- tmp2

            o[0] = (tmp10 &+ tmp11) &<< 2
            o[4] = (tmp10 &- tmp11) &<< 2

            let z1e = (tmp12 &+ tmp13) &* f0541
            o[2] = (z1e &+ tmp13 &* f0765 &+ round1) &>> shift1
            o[6] = (z1e &- tmp12 &* f1847 &+ round1) &>> shift1

            let z3 = tmp4 &+ tmp6, z4 = tmp5 &+ tmp7
            let z5 = (z3 &+ z4) &* f1175
            let p4 = tmp4 &* f0298, p5 = tmp5 &* f2053
            let p6 = tmp6 &* f3072, p7 = tmp7 &* f1501
            let z1 = (tmp4 &+ tmp7) &* (0 &- f0899)
            let z2 = (tmp5 &+ tmp6) &* (0 &- f2562)
            let z3m = z3 &* (0 &- f1961) &+ z5
            let z4m = z4 &* (0 &- f0390) &+ z5

            o[7] = (p4 &+ z1 &+ z3m &+ round1) &>> shift1
            o[5] = (p5 &+ z2 &+ z4m &+ round1) &>> shift1
            o[3] = (p6 &+ z2 &+ z3m &+ round1) &>> shift1
            o[1] = (p7 &+ z1 &+ z4m &+ round1) &>> shift1
        }

    }

    /// Pass 2 (columns), in place; removes PASS1_BITS and the constant scaling.
    @inline(__always)
    static func transformColumns(_ output: UnsafeMutablePointer<Int32>) {
        let f0298 = c0_298631336, f0390 = c0_390180644, f0541 = c0_541196100
        let f0765 = c0_765366865, f0899 = c0_899976223, f1175 = c1_175875602
        let f1501 = c1_501321110, f1847 = c1_847759065, f1961 = c1_961570560
        let f2053 = c2_053119869, f2562 = c2_562915447, f3072 = c3_072711026
        let shift2: Int32 = 13 + 2
        let round2: Int32 = 1 << (shift2 - 1)
        for column in 0..<8 {
            let c = output + column
            let d0 = c[0], d1 = c[8], d2 = c[16], d3 = c[24]
            let d4 = c[32], d5 = c[40], d6 = c[48], d7 = c[56]

            let tmp0 = d0 &+ d7, tmp7 = d0 &- d7
            let tmp1 = d1 &+ d6, tmp6 = d1 &- d6
            let tmp2 = d2 &+ d5, tmp5 = d2 &- d5
            let tmp3 = d3 &+ d4, tmp4 = d3 &- d4

            let tmp10 = tmp0 &+ tmp3, tmp13 = tmp0 &- tmp3
            let tmp11 = tmp1 &+ tmp2, tmp12 = tmp1 &- tmp2

            c[0] = (tmp10 &+ tmp11 &+ 2) &>> 2
            c[32] = (tmp10 &- tmp11 &+ 2) &>> 2

            let z1e = (tmp12 &+ tmp13) &* f0541
            c[16] = (z1e &+ tmp13 &* f0765 &+ round2) &>> shift2
            c[48] = (z1e &- tmp12 &* f1847 &+ round2) &>> shift2

            let z3 = tmp4 &+ tmp6, z4 = tmp5 &+ tmp7
            let z5 = (z3 &+ z4) &* f1175
            let p4 = tmp4 &* f0298, p5 = tmp5 &* f2053
            let p6 = tmp6 &* f3072, p7 = tmp7 &* f1501
            let z1 = (tmp4 &+ tmp7) &* (0 &- f0899)
            let z2 = (tmp5 &+ tmp6) &* (0 &- f2562)
            let z3m = z3 &* (0 &- f1961) &+ z5
            let z4m = z4 &* (0 &- f0390) &+ z5

            c[56] = (p4 &+ z1 &+ z3m &+ round2) &>> shift2
            c[40] = (p5 &+ z2 &+ z4m &+ round2) &>> shift2
            c[24] = (p6 &+ z2 &+ z3m &+ round2) &>> shift2
            c[8] = (p7 &+ z1 &+ z4m &+ round2) &>> shift2
        }
    }

    /// The fast path: the same transform with pass 2 (columns) done on `SIMD8<Int32>`
    /// rows (one lane per column), then ``EncoderQuantizer``'s rounding division on
    /// `SIMD8<UInt64>` lanes, storing 64 quantized coefficients in natural order.
    /// Bit-identical to ``transform(_:stride:into:)`` followed by
    /// ``EncoderQuantizer/quantizeBlock(_:multipliers:halves:into:zigzag:)``.
    ///
    /// - Parameters:
    ///   - workspace: 64 `Int32` of scratch (pass-1 output).
    ///   - multipliers, halves: natural-order quantizer constants (64 each).
    @inline(__always)
    static func transformAndQuantize(_ samples: UnsafePointer<UInt8>, stride: Int,
                                     workspace: UnsafeMutablePointer<Int32>,
                                     multipliers: UnsafePointer<UInt64>, halves: UnsafePointer<UInt64>,
                                     into output: UnsafeMutablePointer<Int16>) {
        transformRows(samples, stride: stride, into: workspace)
        typealias V = SIMD8<Int32>
        let raw = UnsafeRawPointer(workspace)
        let v0 = raw.loadUnaligned(fromByteOffset: 0, as: V.self)
        let v1 = raw.loadUnaligned(fromByteOffset: 32, as: V.self)
        let v2 = raw.loadUnaligned(fromByteOffset: 64, as: V.self)
        let v3 = raw.loadUnaligned(fromByteOffset: 96, as: V.self)
        let v4 = raw.loadUnaligned(fromByteOffset: 128, as: V.self)
        let v5 = raw.loadUnaligned(fromByteOffset: 160, as: V.self)
        let v6 = raw.loadUnaligned(fromByteOffset: 192, as: V.self)
        let v7 = raw.loadUnaligned(fromByteOffset: 224, as: V.self)

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
        @inline(__always)
        func quantizeRow(_ x: V, _ row: Int) {
            let m = UnsafeRawPointer(multipliers + 8 * row).loadUnaligned(as: SIMD8<UInt64>.self)
            let h = UnsafeRawPointer(halves + 8 * row).loadUnaligned(as: SIMD8<UInt64>.self)
            let sign = x &>> 31  // 0 or −1 per lane
            let magnitude = SIMD8<UInt64>(truncatingIfNeeded: SIMD8<UInt32>(truncatingIfNeeded: (x ^ sign) &- sign))
            let q = SIMD8<Int32>(truncatingIfNeeded: ((magnitude &+ h) &* m) &>> 40)
            let signed = (q ^ sign) &- sign
            out.storeBytes(of: SIMD8<Int16>(truncatingIfNeeded: signed), toByteOffset: 16 * row,
                           as: SIMD8<Int16>.self)
        }
        quantizeRow(o0, 0); quantizeRow(o1, 1); quantizeRow(o2, 2); quantizeRow(o3, 3)
        quantizeRow(o4, 4); quantizeRow(o5, 5); quantizeRow(o6, 6); quantizeRow(o7, 7)
    }
}
