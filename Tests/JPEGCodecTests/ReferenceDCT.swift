@testable import JPEGCodec

// The scalar reference DCTs, written line by line after libjpeg's jfdctint.c and jidctint.c,
// and the scalar block quantizer after jcdctmgr.c. The library runs only the SIMD versions;
// the tests check those bit-exact against these.

extension InverseDCT {
    /// libjpeg's range-limit table after the IDCT, indexed by `value & 1023` where `value`
    /// is the descaled output before the +128 level shift: values −128…127 map to 0…255,
    /// 128…511 clamp to 255, −512…−129 clamp to 0, and larger magnitudes wrap as in libjpeg.
    static let rangeLimit: [UInt8] = (0..<1024).map { i in
        let y = (i + 128) & 1023
        return y < 256 ? UInt8(y) : (y < 640 ? 255 : 0)
    }

    /// Dequantizes and inverse-transforms one block.
    /// - Parameters:
    ///   - coefficients: 64 quantized coefficients, natural order.
    ///   - quant: 64 dequantization multipliers, natural order (libjpeg stores them as
    ///     16-bit signed values).
    ///   - output: first sample of the 8×8 output; rows `stride` apart.
    ///   - range: ``rangeLimit``.
    @inline(__always)
    static func transform(_ coefficients: UnsafePointer<Int16>, quant: UnsafePointer<Int32>,
                          output: UnsafeMutablePointer<UInt8>, stride: Int,
                          range: UnsafePointer<UInt8>, workspace ws: UnsafeMutablePointer<Int32>) {
        // Pass 1: columns, results scaled up by PASS1_BITS.
        for col in 0..<8 {
            let c = coefficients + col
            let q = quant + col
            if c[8] == 0 && c[16] == 0 && c[24] == 0 && c[32] == 0 && c[40] == 0 && c[48] == 0 && c[56] == 0 {
                let dc = (Int32(c[0]) &* q[0]) &<< pass1Bits
                for r in 0..<8 { ws[r * 8 + col] = dc }
                continue
            }
            var z2 = Int32(c[16]) &* q[16]
            var z3 = Int32(c[48]) &* q[48]
            var z1 = (z2 &+ z3) &* fix0_541196100
            var tmp2 = z1 &+ z3 &* (-fix1_847759065)
            var tmp3 = z1 &+ z2 &* fix0_765366865
            z2 = Int32(c[0]) &* q[0]
            z3 = Int32(c[32]) &* q[32]
            var tmp0 = (z2 &+ z3) &<< constBits
            var tmp1 = (z2 &- z3) &<< constBits
            let tmp10 = tmp0 &+ tmp3, tmp13 = tmp0 &- tmp3
            let tmp11 = tmp1 &+ tmp2, tmp12 = tmp1 &- tmp2
            tmp3 = Int32(c[8]) &* q[8]
            tmp2 = Int32(c[24]) &* q[24]
            tmp1 = Int32(c[40]) &* q[40]
            tmp0 = Int32(c[56]) &* q[56]
            var z4 = tmp1 &+ tmp3
            z3 = tmp0 &+ tmp2
            z2 = tmp1 &+ tmp2
            z1 = tmp0 &+ tmp3
            let z5 = (z3 &+ z4) &* fix1_175875602
            tmp3 = tmp3 &* fix1_501321110
            tmp2 = tmp2 &* fix3_072711026
            tmp1 = tmp1 &* fix2_053119869
            tmp0 = tmp0 &* fix0_298631336
            z4 = z4 &* (-fix0_390180644) &+ z5
            z3 = z3 &* (-fix1_961570560) &+ z5
            z1 = z1 &* (-fix0_899976223)
            z2 = z2 &* (-fix2_562915447)
            tmp3 = tmp3 &+ z1 &+ z4
            tmp2 = tmp2 &+ z2 &+ z3
            tmp1 = tmp1 &+ z2 &+ z4
            tmp0 = tmp0 &+ z1 &+ z3
            let shift = constBits - pass1Bits
            let round: Int32 = 1 << (shift - 1)
            ws[0 * 8 + col] = (tmp10 &+ tmp3 &+ round) &>> shift
            ws[7 * 8 + col] = (tmp10 &- tmp3 &+ round) &>> shift
            ws[1 * 8 + col] = (tmp11 &+ tmp2 &+ round) &>> shift
            ws[6 * 8 + col] = (tmp11 &- tmp2 &+ round) &>> shift
            ws[2 * 8 + col] = (tmp12 &+ tmp1 &+ round) &>> shift
            ws[5 * 8 + col] = (tmp12 &- tmp1 &+ round) &>> shift
            ws[3 * 8 + col] = (tmp13 &+ tmp0 &+ round) &>> shift
            ws[4 * 8 + col] = (tmp13 &- tmp0 &+ round) &>> shift
        }
        // Pass 2: rows, descaled by CONST_BITS + PASS1_BITS + 3, range-limited.
        let shift = constBits + pass1Bits + 3
        let round: Int32 = 1 << (shift - 1)
        for row in 0..<8 {
            let w = ws + row * 8
            let out = output + row * stride
            if w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0 {
                let v = range[Int((w[0] &+ (1 << (pass1Bits + 2))) &>> (pass1Bits + 3)) & 1023]
                for x in 0..<8 { out[x] = v }
                continue
            }
            var z2 = w[2], z3 = w[6]
            var z1 = (z2 &+ z3) &* fix0_541196100
            var tmp2 = z1 &+ z3 &* (-fix1_847759065)
            var tmp3 = z1 &+ z2 &* fix0_765366865
            var tmp0 = (w[0] &+ w[4]) &<< constBits
            var tmp1 = (w[0] &- w[4]) &<< constBits
            let tmp10 = tmp0 &+ tmp3, tmp13 = tmp0 &- tmp3
            let tmp11 = tmp1 &+ tmp2, tmp12 = tmp1 &- tmp2
            tmp3 = w[1]; tmp2 = w[3]; tmp1 = w[5]; tmp0 = w[7]
            var z4 = tmp1 &+ tmp3
            z3 = tmp0 &+ tmp2
            z2 = tmp1 &+ tmp2
            z1 = tmp0 &+ tmp3
            let z5 = (z3 &+ z4) &* fix1_175875602
            tmp3 = tmp3 &* fix1_501321110
            tmp2 = tmp2 &* fix3_072711026
            tmp1 = tmp1 &* fix2_053119869
            tmp0 = tmp0 &* fix0_298631336
            z4 = z4 &* (-fix0_390180644) &+ z5
            z3 = z3 &* (-fix1_961570560) &+ z5
            z1 = z1 &* (-fix0_899976223)
            z2 = z2 &* (-fix2_562915447)
            tmp3 = tmp3 &+ z1 &+ z4
            tmp2 = tmp2 &+ z2 &+ z3
            tmp1 = tmp1 &+ z2 &+ z4
            tmp0 = tmp0 &+ z1 &+ z3
            out[0] = range[Int((tmp10 &+ tmp3 &+ round) &>> shift) & 1023]
            out[7] = range[Int((tmp10 &- tmp3 &+ round) &>> shift) & 1023]
            out[1] = range[Int((tmp11 &+ tmp2 &+ round) &>> shift) & 1023]
            out[6] = range[Int((tmp11 &- tmp2 &+ round) &>> shift) & 1023]
            out[2] = range[Int((tmp12 &+ tmp1 &+ round) &>> shift) & 1023]
            out[5] = range[Int((tmp12 &- tmp1 &+ round) &>> shift) & 1023]
            out[3] = range[Int((tmp13 &+ tmp0 &+ round) &>> shift) & 1023]
            out[4] = range[Int((tmp13 &- tmp0 &+ round) &>> shift) & 1023]
        }
    }
}

extension EncoderForwardDCT {
    /// The scalar reference: transforms the 8×8 samples at `samples` (rows `stride`
    /// apart) into 64 coefficients (natural order, scaled by 8) at `output`, row by row
    /// and column by column exactly as jfdctint.c does. The encoder's
    /// `transformAndQuantize(_:stride:quantizer:into:)` must agree with it.
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
}

extension EncoderQuantizer {
    /// Quantizes 64 natural-order coefficients (natural order out), one scalar
    /// ``quantize(_:multiplier:half:shift:)`` at a time.
    func quantizeBlock(_ coefficients: UnsafePointer<Int32>, into output: UnsafeMutablePointer<Int16>) {
        for n in 0..<64 {
            output[n] = EncoderQuantizer.quantize(coefficients[n], multiplier: multipliers[n], half: halves[n],
                                                  shift: shifts[n])
        }
    }
}
