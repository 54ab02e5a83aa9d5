// Packing: copies a block of op(A) or op(B) into the contiguous, zero-padded micro-panel layout
// the micro-kernel streams through. Transposition is absorbed here.
//
// Packed A (block mc × kc): micro-panel q holds rows q·MR ..< q·MR+MR, stored k-major:
//   packedA[q·MR·kc + p·MR + r] = op(A)[ic + q·MR + r][pc + p]   (0 for rows past the block)
// Packed B (block kc × nc): micro-panel q holds columns q·NR ..< q·NR+NR, stored k-major:
//   packedB[q·NR·kc + p·NR + j] = op(B)[pc + p][jc + q·NR + j]   (0 for columns past the block)

/// Packs `op(A)[ic ..< ic+mc, pc ..< pc+kc]` into `dst` as MR-tall micro-panels.
@inline(__always)
func packA<K: MicroKernel>(_ kernel: K.Type, _ op: GEMMOperands, rows ic: Int, mc: Int,
                           depth pc: Int, kc: Int, into dst: UnsafeMutablePointer<Float>) {
    let mr = K.mr
    var ir = 0
    while ir < mc {
        let mEff = min(mr, mc - ir)
        let panel = dst + ir * kc
        if op.transA == .none {
            // A stored m × k: row r of the panel is contiguous in p.
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
@inline(__always)
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
            for j in 0..<nr {
                var out = panel + j
                if j < nEff {
                    let src = op.b + (jc + jr + j) * op.ldb + pc
                    for p in 0..<kc { out.pointee = src[p]; out += nr }
                } else {
                    for _ in 0..<kc { out.pointee = 0; out += nr }
                }
            }
        }
        jr += nr
    }
}
