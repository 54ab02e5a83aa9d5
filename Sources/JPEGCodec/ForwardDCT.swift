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

    /// `FIX(x)` with 13 fraction bits.
    static func fix(_ x: Double) -> Int32 { Int32(x * 8192 + 0.5) }

    static let c0_298631336 = fix(0.298631336)
    static let c0_390180644 = fix(0.390180644)
    static let c0_541196100 = fix(0.541196100)
    static let c0_765366865 = fix(0.765366865)
    static let c0_899976223 = fix(0.899976223)
    static let c1_175875602 = fix(1.175875602)
    static let c1_501321110 = fix(1.501321110)
    static let c1_847759065 = fix(1.847759065)
    static let c1_961570560 = fix(1.961570560)
    static let c2_053119869 = fix(2.053119869)
    static let c2_562915447 = fix(2.562915447)
    static let c3_072711026 = fix(3.072711026)

    /// Transforms the 8×8 samples at `samples` (rows `stride` apart) into 64 coefficients
    /// (natural order, scaled by 8) at `output`.
    @inline(__always)
    static func transform(_ samples: UnsafePointer<UInt8>, stride: Int,
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

        // Pass 2: columns. Removes PASS1_BITS and the constant scaling.
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
}
