/// ``EncoderForwardDCT/transformAndQuantize(_:stride:quantizer:into:)`` on two horizontally
/// adjacent blocks at once, in `SIMD16<Int32>` lanes (see `SIMDLanes+Pairs.swift`). The
/// arithmetic is the same, lane by lane, so the results are the same (a test checks).
extension EncoderForwardDCT {
    /// One 1-D pass of jfdctint.c on 16 lanes: `d0…d7` are the 8 inputs of each lane's
    /// transform; returns outputs 0…7 of each lane, descaled by `shift` (the even outputs 0
    /// and 4, which libjpeg scales by `2^(13 − shift)` without rounding in pass 1 and rounds
    /// by 2 bits in pass 2, are written with the same rounding shift: `(x · 2¹³ + 2ˢ⁻¹) >> s`
    /// equals `x << (13 − s)` for s = 11, and `(x + 2) >> 2` for s = 15).
    @inline(__always)
    static func pass(_ d0: SIMD16<Int32>, _ d1: SIMD16<Int32>, _ d2: SIMD16<Int32>, _ d3: SIMD16<Int32>,
                     _ d4: SIMD16<Int32>, _ d5: SIMD16<Int32>, _ d6: SIMD16<Int32>, _ d7: SIMD16<Int32>,
                     shift: Int32) -> SIMDLanes.PairRows {
        typealias W = SIMD16<Int32>
        let tmp0 = d0 &+ d7, tmp7 = d0 &- d7
        let tmp1 = d1 &+ d6, tmp6 = d1 &- d6
        let tmp2 = d2 &+ d5, tmp5 = d2 &- d5
        let tmp3 = d3 &+ d4, tmp4 = d3 &- d4
        let tmp10 = tmp0 &+ tmp3, tmp13 = tmp0 &- tmp3
        let tmp11 = tmp1 &+ tmp2, tmp12 = tmp1 &- tmp2

        let round = W(repeating: 1 &<< (shift &- 1))
        let s = W(repeating: shift)
        let o0 = (((tmp10 &+ tmp11) &<< 13) &+ round) &>> s
        let o4 = (((tmp10 &- tmp11) &<< 13) &+ round) &>> s
        let z1e = (tmp12 &+ tmp13) &* c0_541196100
        let o2 = (z1e &+ tmp13 &* c0_765366865 &+ round) &>> s
        let o6 = (z1e &- tmp12 &* c1_847759065 &+ round) &>> s

        let z3 = tmp4 &+ tmp6, z4 = tmp5 &+ tmp7
        let z5 = (z3 &+ z4) &* c1_175875602
        let p4 = tmp4 &* c0_298631336, p5 = tmp5 &* c2_053119869
        let p6 = tmp6 &* c3_072711026, p7 = tmp7 &* c1_501321110
        let z1 = (tmp4 &+ tmp7) &* (0 &- c0_899976223)
        let z2 = (tmp5 &+ tmp6) &* (0 &- c2_562915447)
        let z3m = z3 &* (0 &- c1_961570560) &+ z5
        let z4m = z4 &* (0 &- c0_390180644) &+ z5
        let o7 = (p4 &+ z1 &+ z3m &+ round) &>> s
        let o5 = (p5 &+ z2 &+ z4m &+ round) &>> s
        let o3 = (p6 &+ z2 &+ z3m &+ round) &>> s
        let o1 = (p7 &+ z1 &+ z4m &+ round) &>> s
        return (o0, o1, o2, o3, o4, o5, o6, o7)
    }

    /// Transforms and quantizes the two blocks whose top-left samples are `samples` and
    /// `samples + 8` into `output` (block A) and `output + 64` (block B).
    /// - Parameters:
    ///   - quantizer: ``EncoderQuantizer/constants`` (multipliers, halves, shifts; 64 each).
    @inline(__always)
    static func transformAndQuantizePair(_ samples: UnsafePointer<UInt8>, stride: Int,
                                         quantizer: UnsafePointer<UInt32>,
                                         into output: UnsafeMutablePointer<Int16>) {
        typealias W = SIMD16<Int32>
        // Column c of both blocks (lane = row; block A in lanes 0…7, B in 8…15): byte c of
        // each row's two little-endian 64-bit words.
        @inline(__always)
        func words(_ r: Int) -> SIMD2<UInt64> {
            UnsafeRawPointer(samples + r * stride).loadUnaligned(as: SIMD2<UInt64>.self)
        }
        let w0 = words(0), w1 = words(1), w2 = words(2), w3 = words(3)
        let w4 = words(4), w5 = words(5), w6 = words(6), w7 = words(7)
        let rows = SIMD16<UInt64>(w0[0], w1[0], w2[0], w3[0], w4[0], w5[0], w6[0], w7[0],
                                  w0[1], w1[1], w2[1], w3[1], w4[1], w5[1], w6[1], w7[1])
        #if _endian(big)
        // Byte c of a row is bits 8c… of its word read little-endian.
        let rows = SIMD16<UInt64>((0..<16).map { UInt64(littleEndian: rows[$0]) })
        #endif
        @inline(__always)
        func column(_ c: UInt64) -> W {
            let bytes = (rows &>> (8 &* c)) & 0xFF
            return W(lowHalf: SIMDLanes.lowHalves(bytes.lowHalf), highHalf: SIMDLanes.lowHalves(bytes.highHalf)) &- 128
        }
        // (Loading rows and transposing them lets LLVM rebuild the columns byte by byte with
        // 120 `vpinsrb`; the shifts of the 64-bit words do not.)
        let v = (column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7))
        var y = pass(v.0, v.1, v.2, v.3, v.4, v.5, v.6, v.7, shift: 11)
        SIMDLanes.transposePairs(&y)
        let o = pass(y.0, y.1, y.2, y.3, y.4, y.5, y.6, y.7, shift: 15)

        let out = UnsafeMutableRawPointer(output)
        let constants = UnsafeRawPointer(quantizer)
        @inline(__always)
        func quantizeRow(_ x: W, _ row: Int) {
            let m8 = constants.loadUnaligned(fromByteOffset: 32 * row, as: SIMD8<UInt32>.self)
            let h8 = constants.loadUnaligned(fromByteOffset: 256 + 32 * row, as: SIMD8<UInt32>.self)
            let s8 = constants.loadUnaligned(fromByteOffset: 512 + 32 * row, as: SIMD8<UInt32>.self)
            let m = SIMD16(lowHalf: m8, highHalf: m8), h = SIMD16(lowHalf: h8, highHalf: h8)
            let s = SIMD16(lowHalf: s8, highHalf: s8)
            let sign = x &>> 31  // 0 or −1 per lane
            let n = unsafeBitCast((x ^ sign) &- sign, to: SIMD16<UInt32>.self) &+ h
            let q = unsafeBitCast(SIMDLanes.highHalvesOfProducts(n, m) &>> s, to: SIMD16<Int32>.self)
            let signed = SIMDLanes.lowHalves((q ^ sign) &- sign)
            out.storeBytes(of: signed.lowHalf, toByteOffset: 16 * row, as: SIMD8<Int16>.self)
            out.storeBytes(of: signed.highHalf, toByteOffset: 128 + 16 * row, as: SIMD8<Int16>.self)
        }
        quantizeRow(o.0, 0); quantizeRow(o.1, 1); quantizeRow(o.2, 2); quantizeRow(o.3, 3)
        quantizeRow(o.4, 4); quantizeRow(o.5, 5); quantizeRow(o.6, 6); quantizeRow(o.7, 7)
    }
}
