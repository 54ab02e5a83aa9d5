// Packing: copies a block of op(A) or op(B) into the contiguous, zero-padded micro-panel layout
// the micro-kernel streams through. Transposition is absorbed here.
//
// Packed A (block mc × kc): micro-panel q holds rows q·MR ..< q·MR+MR, stored k-major:
//   packedA[q·MR·kc + p·MR + r] = op(A)[ic + q·MR + r][pc + p]   (0 for rows past the block)
// Packed B (block kc × nc): micro-panel q holds columns q·NR ..< q·NR+NR, stored k-major:
//   packedB[q·NR·kc + p·NR + j] = op(B)[pc + p][jc + q·NR + j]   (0 for columns past the block)

/// Packs `op(A)[ic ..< ic+mc, pc ..< pc+kc]` into `dst` as MR-tall micro-panels.
@inline(never)
func packA<K: MicroKernel>(_ kernel: K.Type, _ op: GEMMOperands, rows ic: Int, mc: Int,
                           depth pc: Int, kc: Int, into dst: UnsafeMutablePointer<Float>) {
    let mr = K.mr
    var ir = 0
    while ir < mc {
        let mEff = min(mr, mc - ir)
        let panel = dst + ir * kc
        if op.transA == .none {
            // A stored m × k: row r of the panel is contiguous in p.
            if mr == 8 && ir + 16 <= mc {
                // Two full 8-row panels at once from 16 × 16 register transposes.
                let src = op.a + (ic + ir) * op.lda + pc
                let next = panel + 8 * kc
                let kc16 = kc & ~15
                var q = 0
                while q < kc16 {
                    transpose16x16Split(src + q, srcStride: op.lda, lo: panel + q * 8, hi: next + q * 8)
                    q += 16
                }
                for r in 0..<16 {
                    let row = src + r * op.lda
                    let out = r < 8 ? panel + r : next + (r - 8)
                    for p in kc16..<kc { out[p * 8] = row[p] }
                }
                ir += 16
                continue
            }
            if mEff == mr {
                packRowsInterleaved(K.self, src: op.a + (ic + ir) * op.lda + pc, ld: op.lda,
                                    kc: kc, into: panel)
            } else {
                for r in 0..<mr {
                    if r < mEff {
                        let src = op.a + (ic + ir + r) * op.lda + pc
                        for p in 0..<kc { panel[p * mr + r] = src[p] }
                    } else {
                        for p in 0..<kc { panel[p * mr + r] = 0 }
                    }
                }
            }
        } else {
            // A stored k × m: for each p, the panel's MR values are contiguous.
            var src = op.a + pc * op.lda + ic + ir
            var out = panel
            if mEff == mr {
                for _ in 0..<kc {
                    for r in 0..<mr { out[r] = src[r] }
                    src += op.lda; out += mr
                }
            } else {
                for _ in 0..<kc {
                    for r in 0..<mr { out[r] = r < mEff ? src[r] : 0 }
                    src += op.lda; out += mr
                }
            }
        }
        ir += mr
    }
}

/// Interleaves MR full rows (each contiguous, `kc` long, row stride `ld`) into k-major order.
@inline(__always)
func packRowsInterleaved<K: MicroKernel>(_ kernel: K.Type, src: UnsafePointer<Float>, ld: Int,
                                         kc: Int, into dst: UnsafeMutablePointer<Float>) {
    let mr = K.mr
    for r in 0..<mr {
        let row = src + r * ld
        var out = dst + r
        for p in 0..<kc {
            out.pointee = row[p]
            out += mr
        }
    }
}

/// Packs `op(B)[pc ..< pc+kc, jc ..< jc+nc]` into `dst` as NR-wide micro-panels.
@inline(never)
func packB<K: MicroKernel>(_ kernel: K.Type, _ op: GEMMOperands, depth pc: Int, kc: Int,
                           cols jc: Int, nc: Int, into dst: UnsafeMutablePointer<Float>) {
    let nr = K.nr
    var jr = 0
    while jr < nc {
        let nEff = min(nr, nc - jr)
        let panel = dst + jr * kc
        if op.transB == .none {
            // B stored k × n: each k step of the panel is NR contiguous floats.
            var src = op.b + pc * op.ldb + jc + jr
            var out = UnsafeMutableRawPointer(panel)
            if nEff == nr {
                for _ in 0..<kc {
                    let raw = UnsafeRawPointer(src)
                    var j = 0
                    while j < nr {
                        out.storeBytes(of: raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self),
                                       toByteOffset: j * 4, as: SIMD16<Float>.self)
                        j += 16
                    }
                    src += op.ldb; out += nr * 4
                }
            } else {
                var o = panel
                for _ in 0..<kc {
                    for j in 0..<nr { o[j] = j < nEff ? src[j] : 0 }
                    src += op.ldb; o += nr
                }
            }
        } else {
            // B stored n × k: column j of op(B) is row j of storage, contiguous in p.
            // Full panels: 16 × 16 register transposes, then the leftover depth one by one.
            var p0 = 0
            if nEff == nr {
                // 16 source rows at a time, each read sequentially along the whole depth.
                let kc16 = kc & ~15
                var g = 0
                while g < nr {
                    var q = 0
                    while q < kc16 {
                        transpose16x16(op.b + (jc + jr + g) * op.ldb + pc + q, srcStride: op.ldb,
                                       panel + q * nr + g, dstStride: nr)
                        q += 16
                    }
                    g += 16
                }
                p0 = kc16
            }
            for j in 0..<nr {
                var out = panel + j
                out += p0 * nr
                if j < nEff {
                    let src = op.b + (jc + jr + j) * op.ldb + pc
                    for p in p0..<kc { out.pointee = src[p]; out += nr }
                } else {
                    for _ in p0..<kc { out.pointee = 0; out += nr }
                }
            }
        }
        jr += nr
    }
}

/// Transposes a 16 × 16 block: `dst[q·dstStride + r] = src[r·srcStride + q]` for r, q < 16.
///
/// Four rounds of "unzip" (even lanes of two vectors, then odd lanes) over the 256 elements
/// viewed as one array: each round rotates the 8-bit element index right by one bit, so four
/// rounds swap its row and column nibbles. With AVX-512 each unzip is one two-source permute.
@inline(__always)
func transpose16x16(_ src: UnsafePointer<Float>, srcStride: Int,
                    _ dst: UnsafeMutablePointer<Float>, dstStride: Int) {
    typealias V = SIMD16<Float>
    let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
    let sb = srcStride &* 4, db = dstStride &* 4
    let v0 = s.loadUnaligned(fromByteOffset: 0 &* sb, as: V.self)
    let v1 = s.loadUnaligned(fromByteOffset: 1 &* sb, as: V.self)
    let v2 = s.loadUnaligned(fromByteOffset: 2 &* sb, as: V.self)
    let v3 = s.loadUnaligned(fromByteOffset: 3 &* sb, as: V.self)
    let v4 = s.loadUnaligned(fromByteOffset: 4 &* sb, as: V.self)
    let v5 = s.loadUnaligned(fromByteOffset: 5 &* sb, as: V.self)
    let v6 = s.loadUnaligned(fromByteOffset: 6 &* sb, as: V.self)
    let v7 = s.loadUnaligned(fromByteOffset: 7 &* sb, as: V.self)
    let v8 = s.loadUnaligned(fromByteOffset: 8 &* sb, as: V.self)
    let v9 = s.loadUnaligned(fromByteOffset: 9 &* sb, as: V.self)
    let v10 = s.loadUnaligned(fromByteOffset: 10 &* sb, as: V.self)
    let v11 = s.loadUnaligned(fromByteOffset: 11 &* sb, as: V.self)
    let v12 = s.loadUnaligned(fromByteOffset: 12 &* sb, as: V.self)
    let v13 = s.loadUnaligned(fromByteOffset: 13 &* sb, as: V.self)
    let v14 = s.loadUnaligned(fromByteOffset: 14 &* sb, as: V.self)
    let v15 = s.loadUnaligned(fromByteOffset: 15 &* sb, as: V.self)
    let w0 = V(lowHalf: v0.evenHalf, highHalf: v1.evenHalf)
    let w1 = V(lowHalf: v2.evenHalf, highHalf: v3.evenHalf)
    let w2 = V(lowHalf: v4.evenHalf, highHalf: v5.evenHalf)
    let w3 = V(lowHalf: v6.evenHalf, highHalf: v7.evenHalf)
    let w4 = V(lowHalf: v8.evenHalf, highHalf: v9.evenHalf)
    let w5 = V(lowHalf: v10.evenHalf, highHalf: v11.evenHalf)
    let w6 = V(lowHalf: v12.evenHalf, highHalf: v13.evenHalf)
    let w7 = V(lowHalf: v14.evenHalf, highHalf: v15.evenHalf)
    let w8 = V(lowHalf: v0.oddHalf, highHalf: v1.oddHalf)
    let w9 = V(lowHalf: v2.oddHalf, highHalf: v3.oddHalf)
    let w10 = V(lowHalf: v4.oddHalf, highHalf: v5.oddHalf)
    let w11 = V(lowHalf: v6.oddHalf, highHalf: v7.oddHalf)
    let w12 = V(lowHalf: v8.oddHalf, highHalf: v9.oddHalf)
    let w13 = V(lowHalf: v10.oddHalf, highHalf: v11.oddHalf)
    let w14 = V(lowHalf: v12.oddHalf, highHalf: v13.oddHalf)
    let w15 = V(lowHalf: v14.oddHalf, highHalf: v15.oddHalf)
    let x0 = V(lowHalf: w0.evenHalf, highHalf: w1.evenHalf)
    let x1 = V(lowHalf: w2.evenHalf, highHalf: w3.evenHalf)
    let x2 = V(lowHalf: w4.evenHalf, highHalf: w5.evenHalf)
    let x3 = V(lowHalf: w6.evenHalf, highHalf: w7.evenHalf)
    let x4 = V(lowHalf: w8.evenHalf, highHalf: w9.evenHalf)
    let x5 = V(lowHalf: w10.evenHalf, highHalf: w11.evenHalf)
    let x6 = V(lowHalf: w12.evenHalf, highHalf: w13.evenHalf)
    let x7 = V(lowHalf: w14.evenHalf, highHalf: w15.evenHalf)
    let x8 = V(lowHalf: w0.oddHalf, highHalf: w1.oddHalf)
    let x9 = V(lowHalf: w2.oddHalf, highHalf: w3.oddHalf)
    let x10 = V(lowHalf: w4.oddHalf, highHalf: w5.oddHalf)
    let x11 = V(lowHalf: w6.oddHalf, highHalf: w7.oddHalf)
    let x12 = V(lowHalf: w8.oddHalf, highHalf: w9.oddHalf)
    let x13 = V(lowHalf: w10.oddHalf, highHalf: w11.oddHalf)
    let x14 = V(lowHalf: w12.oddHalf, highHalf: w13.oddHalf)
    let x15 = V(lowHalf: w14.oddHalf, highHalf: w15.oddHalf)
    let y0 = V(lowHalf: x0.evenHalf, highHalf: x1.evenHalf)
    let y1 = V(lowHalf: x2.evenHalf, highHalf: x3.evenHalf)
    let y2 = V(lowHalf: x4.evenHalf, highHalf: x5.evenHalf)
    let y3 = V(lowHalf: x6.evenHalf, highHalf: x7.evenHalf)
    let y4 = V(lowHalf: x8.evenHalf, highHalf: x9.evenHalf)
    let y5 = V(lowHalf: x10.evenHalf, highHalf: x11.evenHalf)
    let y6 = V(lowHalf: x12.evenHalf, highHalf: x13.evenHalf)
    let y7 = V(lowHalf: x14.evenHalf, highHalf: x15.evenHalf)
    let y8 = V(lowHalf: x0.oddHalf, highHalf: x1.oddHalf)
    let y9 = V(lowHalf: x2.oddHalf, highHalf: x3.oddHalf)
    let y10 = V(lowHalf: x4.oddHalf, highHalf: x5.oddHalf)
    let y11 = V(lowHalf: x6.oddHalf, highHalf: x7.oddHalf)
    let y12 = V(lowHalf: x8.oddHalf, highHalf: x9.oddHalf)
    let y13 = V(lowHalf: x10.oddHalf, highHalf: x11.oddHalf)
    let y14 = V(lowHalf: x12.oddHalf, highHalf: x13.oddHalf)
    let y15 = V(lowHalf: x14.oddHalf, highHalf: x15.oddHalf)
    let z0 = V(lowHalf: y0.evenHalf, highHalf: y1.evenHalf)
    let z1 = V(lowHalf: y2.evenHalf, highHalf: y3.evenHalf)
    let z2 = V(lowHalf: y4.evenHalf, highHalf: y5.evenHalf)
    let z3 = V(lowHalf: y6.evenHalf, highHalf: y7.evenHalf)
    let z4 = V(lowHalf: y8.evenHalf, highHalf: y9.evenHalf)
    let z5 = V(lowHalf: y10.evenHalf, highHalf: y11.evenHalf)
    let z6 = V(lowHalf: y12.evenHalf, highHalf: y13.evenHalf)
    let z7 = V(lowHalf: y14.evenHalf, highHalf: y15.evenHalf)
    let z8 = V(lowHalf: y0.oddHalf, highHalf: y1.oddHalf)
    let z9 = V(lowHalf: y2.oddHalf, highHalf: y3.oddHalf)
    let z10 = V(lowHalf: y4.oddHalf, highHalf: y5.oddHalf)
    let z11 = V(lowHalf: y6.oddHalf, highHalf: y7.oddHalf)
    let z12 = V(lowHalf: y8.oddHalf, highHalf: y9.oddHalf)
    let z13 = V(lowHalf: y10.oddHalf, highHalf: y11.oddHalf)
    let z14 = V(lowHalf: y12.oddHalf, highHalf: y13.oddHalf)
    let z15 = V(lowHalf: y14.oddHalf, highHalf: y15.oddHalf)
    d.storeBytes(of: z0, toByteOffset: 0 &* db, as: V.self)
    d.storeBytes(of: z1, toByteOffset: 1 &* db, as: V.self)
    d.storeBytes(of: z2, toByteOffset: 2 &* db, as: V.self)
    d.storeBytes(of: z3, toByteOffset: 3 &* db, as: V.self)
    d.storeBytes(of: z4, toByteOffset: 4 &* db, as: V.self)
    d.storeBytes(of: z5, toByteOffset: 5 &* db, as: V.self)
    d.storeBytes(of: z6, toByteOffset: 6 &* db, as: V.self)
    d.storeBytes(of: z7, toByteOffset: 7 &* db, as: V.self)
    d.storeBytes(of: z8, toByteOffset: 8 &* db, as: V.self)
    d.storeBytes(of: z9, toByteOffset: 9 &* db, as: V.self)
    d.storeBytes(of: z10, toByteOffset: 10 &* db, as: V.self)
    d.storeBytes(of: z11, toByteOffset: 11 &* db, as: V.self)
    d.storeBytes(of: z12, toByteOffset: 12 &* db, as: V.self)
    d.storeBytes(of: z13, toByteOffset: 13 &* db, as: V.self)
    d.storeBytes(of: z14, toByteOffset: 14 &* db, as: V.self)
    d.storeBytes(of: z15, toByteOffset: 15 &* db, as: V.self)
}

/// Transposes 16 rows × 16 columns into two 8-row k-major panels (A packing with MR = 8):
/// `lo[q·8 + r] = src[r·srcStride + q]` for r < 8 and `hi[q·8 + r − 8] = …` for 8 ≤ r < 16.
/// Same four unzip rounds as ``transpose16x16(_:srcStride:_:dstStride:)``.
@inline(__always)
func transpose16x16Split(_ src: UnsafePointer<Float>, srcStride: Int,
                         lo: UnsafeMutablePointer<Float>, hi: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    let s = UnsafeRawPointer(src), dl = UnsafeMutableRawPointer(lo), dh = UnsafeMutableRawPointer(hi)
    let sb = srcStride &* 4
    let v0 = s.loadUnaligned(fromByteOffset: 0 &* sb, as: V.self)
    let v1 = s.loadUnaligned(fromByteOffset: 1 &* sb, as: V.self)
    let v2 = s.loadUnaligned(fromByteOffset: 2 &* sb, as: V.self)
    let v3 = s.loadUnaligned(fromByteOffset: 3 &* sb, as: V.self)
    let v4 = s.loadUnaligned(fromByteOffset: 4 &* sb, as: V.self)
    let v5 = s.loadUnaligned(fromByteOffset: 5 &* sb, as: V.self)
    let v6 = s.loadUnaligned(fromByteOffset: 6 &* sb, as: V.self)
    let v7 = s.loadUnaligned(fromByteOffset: 7 &* sb, as: V.self)
    let v8 = s.loadUnaligned(fromByteOffset: 8 &* sb, as: V.self)
    let v9 = s.loadUnaligned(fromByteOffset: 9 &* sb, as: V.self)
    let v10 = s.loadUnaligned(fromByteOffset: 10 &* sb, as: V.self)
    let v11 = s.loadUnaligned(fromByteOffset: 11 &* sb, as: V.self)
    let v12 = s.loadUnaligned(fromByteOffset: 12 &* sb, as: V.self)
    let v13 = s.loadUnaligned(fromByteOffset: 13 &* sb, as: V.self)
    let v14 = s.loadUnaligned(fromByteOffset: 14 &* sb, as: V.self)
    let v15 = s.loadUnaligned(fromByteOffset: 15 &* sb, as: V.self)
    let w0 = V(lowHalf: v0.evenHalf, highHalf: v1.evenHalf)
    let w1 = V(lowHalf: v2.evenHalf, highHalf: v3.evenHalf)
    let w2 = V(lowHalf: v4.evenHalf, highHalf: v5.evenHalf)
    let w3 = V(lowHalf: v6.evenHalf, highHalf: v7.evenHalf)
    let w4 = V(lowHalf: v8.evenHalf, highHalf: v9.evenHalf)
    let w5 = V(lowHalf: v10.evenHalf, highHalf: v11.evenHalf)
    let w6 = V(lowHalf: v12.evenHalf, highHalf: v13.evenHalf)
    let w7 = V(lowHalf: v14.evenHalf, highHalf: v15.evenHalf)
    let w8 = V(lowHalf: v0.oddHalf, highHalf: v1.oddHalf)
    let w9 = V(lowHalf: v2.oddHalf, highHalf: v3.oddHalf)
    let w10 = V(lowHalf: v4.oddHalf, highHalf: v5.oddHalf)
    let w11 = V(lowHalf: v6.oddHalf, highHalf: v7.oddHalf)
    let w12 = V(lowHalf: v8.oddHalf, highHalf: v9.oddHalf)
    let w13 = V(lowHalf: v10.oddHalf, highHalf: v11.oddHalf)
    let w14 = V(lowHalf: v12.oddHalf, highHalf: v13.oddHalf)
    let w15 = V(lowHalf: v14.oddHalf, highHalf: v15.oddHalf)
    let x0 = V(lowHalf: w0.evenHalf, highHalf: w1.evenHalf)
    let x1 = V(lowHalf: w2.evenHalf, highHalf: w3.evenHalf)
    let x2 = V(lowHalf: w4.evenHalf, highHalf: w5.evenHalf)
    let x3 = V(lowHalf: w6.evenHalf, highHalf: w7.evenHalf)
    let x4 = V(lowHalf: w8.evenHalf, highHalf: w9.evenHalf)
    let x5 = V(lowHalf: w10.evenHalf, highHalf: w11.evenHalf)
    let x6 = V(lowHalf: w12.evenHalf, highHalf: w13.evenHalf)
    let x7 = V(lowHalf: w14.evenHalf, highHalf: w15.evenHalf)
    let x8 = V(lowHalf: w0.oddHalf, highHalf: w1.oddHalf)
    let x9 = V(lowHalf: w2.oddHalf, highHalf: w3.oddHalf)
    let x10 = V(lowHalf: w4.oddHalf, highHalf: w5.oddHalf)
    let x11 = V(lowHalf: w6.oddHalf, highHalf: w7.oddHalf)
    let x12 = V(lowHalf: w8.oddHalf, highHalf: w9.oddHalf)
    let x13 = V(lowHalf: w10.oddHalf, highHalf: w11.oddHalf)
    let x14 = V(lowHalf: w12.oddHalf, highHalf: w13.oddHalf)
    let x15 = V(lowHalf: w14.oddHalf, highHalf: w15.oddHalf)
    let y0 = V(lowHalf: x0.evenHalf, highHalf: x1.evenHalf)
    let y1 = V(lowHalf: x2.evenHalf, highHalf: x3.evenHalf)
    let y2 = V(lowHalf: x4.evenHalf, highHalf: x5.evenHalf)
    let y3 = V(lowHalf: x6.evenHalf, highHalf: x7.evenHalf)
    let y4 = V(lowHalf: x8.evenHalf, highHalf: x9.evenHalf)
    let y5 = V(lowHalf: x10.evenHalf, highHalf: x11.evenHalf)
    let y6 = V(lowHalf: x12.evenHalf, highHalf: x13.evenHalf)
    let y7 = V(lowHalf: x14.evenHalf, highHalf: x15.evenHalf)
    let y8 = V(lowHalf: x0.oddHalf, highHalf: x1.oddHalf)
    let y9 = V(lowHalf: x2.oddHalf, highHalf: x3.oddHalf)
    let y10 = V(lowHalf: x4.oddHalf, highHalf: x5.oddHalf)
    let y11 = V(lowHalf: x6.oddHalf, highHalf: x7.oddHalf)
    let y12 = V(lowHalf: x8.oddHalf, highHalf: x9.oddHalf)
    let y13 = V(lowHalf: x10.oddHalf, highHalf: x11.oddHalf)
    let y14 = V(lowHalf: x12.oddHalf, highHalf: x13.oddHalf)
    let y15 = V(lowHalf: x14.oddHalf, highHalf: x15.oddHalf)
    let z0 = V(lowHalf: y0.evenHalf, highHalf: y1.evenHalf)
    let z1 = V(lowHalf: y2.evenHalf, highHalf: y3.evenHalf)
    let z2 = V(lowHalf: y4.evenHalf, highHalf: y5.evenHalf)
    let z3 = V(lowHalf: y6.evenHalf, highHalf: y7.evenHalf)
    let z4 = V(lowHalf: y8.evenHalf, highHalf: y9.evenHalf)
    let z5 = V(lowHalf: y10.evenHalf, highHalf: y11.evenHalf)
    let z6 = V(lowHalf: y12.evenHalf, highHalf: y13.evenHalf)
    let z7 = V(lowHalf: y14.evenHalf, highHalf: y15.evenHalf)
    let z8 = V(lowHalf: y0.oddHalf, highHalf: y1.oddHalf)
    let z9 = V(lowHalf: y2.oddHalf, highHalf: y3.oddHalf)
    let z10 = V(lowHalf: y4.oddHalf, highHalf: y5.oddHalf)
    let z11 = V(lowHalf: y6.oddHalf, highHalf: y7.oddHalf)
    let z12 = V(lowHalf: y8.oddHalf, highHalf: y9.oddHalf)
    let z13 = V(lowHalf: y10.oddHalf, highHalf: y11.oddHalf)
    let z14 = V(lowHalf: y12.oddHalf, highHalf: y13.oddHalf)
    let z15 = V(lowHalf: y14.oddHalf, highHalf: y15.oddHalf)
    dl.storeBytes(of: z0.lowHalf, toByteOffset: 0, as: SIMD8<Float>.self)
    dh.storeBytes(of: z0.highHalf, toByteOffset: 0, as: SIMD8<Float>.self)
    dl.storeBytes(of: z1.lowHalf, toByteOffset: 32, as: SIMD8<Float>.self)
    dh.storeBytes(of: z1.highHalf, toByteOffset: 32, as: SIMD8<Float>.self)
    dl.storeBytes(of: z2.lowHalf, toByteOffset: 64, as: SIMD8<Float>.self)
    dh.storeBytes(of: z2.highHalf, toByteOffset: 64, as: SIMD8<Float>.self)
    dl.storeBytes(of: z3.lowHalf, toByteOffset: 96, as: SIMD8<Float>.self)
    dh.storeBytes(of: z3.highHalf, toByteOffset: 96, as: SIMD8<Float>.self)
    dl.storeBytes(of: z4.lowHalf, toByteOffset: 128, as: SIMD8<Float>.self)
    dh.storeBytes(of: z4.highHalf, toByteOffset: 128, as: SIMD8<Float>.self)
    dl.storeBytes(of: z5.lowHalf, toByteOffset: 160, as: SIMD8<Float>.self)
    dh.storeBytes(of: z5.highHalf, toByteOffset: 160, as: SIMD8<Float>.self)
    dl.storeBytes(of: z6.lowHalf, toByteOffset: 192, as: SIMD8<Float>.self)
    dh.storeBytes(of: z6.highHalf, toByteOffset: 192, as: SIMD8<Float>.self)
    dl.storeBytes(of: z7.lowHalf, toByteOffset: 224, as: SIMD8<Float>.self)
    dh.storeBytes(of: z7.highHalf, toByteOffset: 224, as: SIMD8<Float>.self)
    dl.storeBytes(of: z8.lowHalf, toByteOffset: 256, as: SIMD8<Float>.self)
    dh.storeBytes(of: z8.highHalf, toByteOffset: 256, as: SIMD8<Float>.self)
    dl.storeBytes(of: z9.lowHalf, toByteOffset: 288, as: SIMD8<Float>.self)
    dh.storeBytes(of: z9.highHalf, toByteOffset: 288, as: SIMD8<Float>.self)
    dl.storeBytes(of: z10.lowHalf, toByteOffset: 320, as: SIMD8<Float>.self)
    dh.storeBytes(of: z10.highHalf, toByteOffset: 320, as: SIMD8<Float>.self)
    dl.storeBytes(of: z11.lowHalf, toByteOffset: 352, as: SIMD8<Float>.self)
    dh.storeBytes(of: z11.highHalf, toByteOffset: 352, as: SIMD8<Float>.self)
    dl.storeBytes(of: z12.lowHalf, toByteOffset: 384, as: SIMD8<Float>.self)
    dh.storeBytes(of: z12.highHalf, toByteOffset: 384, as: SIMD8<Float>.self)
    dl.storeBytes(of: z13.lowHalf, toByteOffset: 416, as: SIMD8<Float>.self)
    dh.storeBytes(of: z13.highHalf, toByteOffset: 416, as: SIMD8<Float>.self)
    dl.storeBytes(of: z14.lowHalf, toByteOffset: 448, as: SIMD8<Float>.self)
    dh.storeBytes(of: z14.highHalf, toByteOffset: 448, as: SIMD8<Float>.self)
    dl.storeBytes(of: z15.lowHalf, toByteOffset: 480, as: SIMD8<Float>.self)
    dh.storeBytes(of: z15.highHalf, toByteOffset: 480, as: SIMD8<Float>.self)
}
