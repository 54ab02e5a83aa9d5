import Dispatch

// The GotoBLAS / BLIS blocked algorithm (Goto & van de Geijn 2008; Van Zee & van de Geijn 2015):
//
//   pack all of op(A) into MR-tall micro-panels, per KC slice   (once per call, shared by threads;
//                                                                 per MC×KC block if A > 16 MB;
//                                                                 not at all for NN/NT when MR | m:
//                                                                 the kernel then reads A's rows)
//   for jc in 0..<n step NC                       columns of C handled by this block
//     for pc in 0..<k step KC                     one slice of the inner dimension
//       pack op(B)[pc..<pc+KC, jc..<jc+NC]        → KC×NC block, NR-wide micro-panels (L2 resident)
//       for ic in 0..<m step MC
//         for ir in 0..<MC step MR                one A micro-panel (MR×KC, stays in L1)
//           for jr in 0..<NC step NR              stream the B micro-panels from L2
//             micro-kernel: C[ir, jr] tile (MR×NR) = alpha·Apanel·Bpanel + beta'·C (+ bias)
//
// beta' is the caller's beta for the first KC slice and 1 afterwards; the bias and activation are
// applied with the last slice only, while the tile is hot in L1. Transposition is absorbed by the
// packing routines, so one kernel serves NN, NT and TN. Packed panels are zero-padded to whole
// MR/NR multiples; partial tiles of C go through a small MR×NR scratch tile so the kernel never
// reads or writes outside C.
//
// Threads split C into independent blocks (columns in NR multiples, or rows in MR multiples when
// C is narrow); each packs its own B blocks, so after the shared A packing no synchronisation
// is needed.

/// All arguments of one GEMM call, bundled for the blocked driver.
struct GEMMOperands: @unchecked Sendable {
    var transA: Transpose
    var transB: Transpose
    var m: Int
    var n: Int
    var k: Int
    var alpha: Float
    var a: UnsafePointer<Float>
    var lda: Int
    var b: UnsafePointer<Float>
    var ldb: Int
    var beta: Float
    var c: UnsafeMutablePointer<Float>
    var ldc: Int
    var epilogue: GEMMEpilogue

    /// The per-column bias of the epilogue, if any.
    var bias: UnsafePointer<Float>? {
        switch epilogue {
        case .bias(let p), .biasScaledTanh(let p): return p
        case .none, .scaledTanh, .scaledTanhDerivative: return nil
        }
    }

    /// For the derivative epilogue: the activation outputs and their row stride.
    var derivativeOutput: (pointer: UnsafePointer<Float>, ld: Int)? {
        if case .scaledTanhDerivative(let y, let ld) = epilogue { return (y, ld) }
        return nil
    }

    /// Whether the epilogue applies the scaled tanh.
    var appliesTanh: Bool {
        switch epilogue {
        case .biasScaledTanh, .scaledTanh: return true
        case .none, .bias, .scaledTanhDerivative: return false
        }
    }
}

/// A register-blocked micro-kernel: computes an `mr × nr` tile of C from packed panels.
protocol MicroKernel: Sendable {
    /// Tile height: rows of C (and values of A broadcast per k step).
    static var mr: Int { get }
    /// Tile width: columns of C (a multiple of 16).
    static var nr: Int { get }
    /// Whether ``run(k:a:b:c:ldc:alpha:beta:bias:tanh:)`` applies the scaled tanh itself, in
    /// registers; when false it ignores `tanh` and the driver applies it to the stored tile.
    static var fusesTanh: Bool { get }
    /// `C[r][j] = f(alpha · Σ_p a[p·mr + r] · b[p·nr + j] + beta · C[r][j] + bias[j])` for the
    /// whole `mr × nr` tile (`C` row stride `ldc`), with `f` the scaled tanh when `tanh` (and the
    /// kernel ``fusesTanh``), else the identity; C is not read when `beta == 0`; `bias`, when
    /// present, holds `nr` readable floats.
    static func run(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float, bias: UnsafePointer<Float>?, tanh: Bool)
    /// The same with A read unpacked: row `r` of the tile's A rows at `a + r·lda`, contiguous in k.
    static func run(k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float, bias: UnsafePointer<Float>?, tanh: Bool)
}

extension MicroKernel {
    /// Traps unless the kernel's tile fits what the packing routines and the driver assume:
    /// - `NR` is a positive multiple of 16: `packB` copies B micro-panel rows as `SIMD16<Float>`
    ///   and transposes B in 16 × 16 blocks, so other widths would read or write past a panel;
    /// - `MR` is positive and divides `GEMMBlocking.mc`: MC blocks then hold whole MR-row micro-
    ///   panels, which the pre-packed A layout (panel of row `i` at `i · kc`) relies on.
    /// `mr` and `nr` are constants, so after specialisation these checks cost nothing.
    static func checkInvariants() {
        precondition(nr > 0 && nr % 16 == 0, "GEMM micro-kernel NR = \(nr): must be a positive multiple of 16 (SIMD16 B packing)")
        precondition(mr > 0 && GEMMBlocking.mc % mr == 0, "GEMM micro-kernel MR = \(mr): must divide MC = \(GEMMBlocking.mc)")
    }
}


/// Cache-blocking sizes (in elements) shared by both kernels.
///
/// KC = 512: an A micro-panel is 8·512·4 = 16 KB and stays in L1 (48 KB on Zen 5) while the
/// kernel sweeps the packed B block, KC·NC·4 ≤ 512 KB, which stays in L2 (1 MB per core). A long KC
/// amortises the load/store of each C tile over more FMAs (measured: 512/256 beat 256/512 and
/// 384/384 by a few % on the MLP shapes). MC bounds the packed A block when A is not packed whole
/// (144·512·4 = 288 KB).
enum GEMMBlocking {
    static var kc: Int { 512 }
    static var mc: Int { 144 }
    static var nc: Int { 256 }
    /// NC rounded down to a multiple of the kernel's NR (240 for NR = 48), so blocks hold whole panels.
    static func nc(nr: Int) -> Int { max(nr, nc / nr * nr) }
    /// The largest op(A), in floats (m rounded up to MR, times k), that is packed whole up front
    /// (32 MB); larger ones are packed MC × KC at a time, once per NC block. 32 MB takes in a
    /// 2048 × 2048 A (16.8 MB packed with MR = 6): re-packing it for each of its eight NC blocks
    /// cost 0.84× OpenBLAS on Zen 3, packing it once 0.95× (`Notes/linalg-gemm.md`). The MLP's
    /// products are far below either limit, so the cleaner's memory does not change.
    static var maxPrepackedA: Int { 8 << 20 }
    /// Each thread gets at least this many multiply-adds (2²⁰ ≈ 10 µs of work), so small products
    /// are not slowed down by the cost of waking threads.
    static var minWorkPerThread: Int { 1 << 20 }
}

/// The blocked driver: packs op(A) once (shared by all threads) when it is not too large, then
/// splits C over threads and runs ``runBlock(_:_:rows:cols:prepackedA:)`` on each part.
func packedGEMM<K: MicroKernel>(_ kernel: K.Type, _ op: GEMMOperands, threads: Int,
                                prepackLimit: Int = GEMMBlocking.maxPrepackedA,
                                minWorkPerThread: Int = GEMMBlocking.minWorkPerThread) {
    K.checkInvariants()
    if op.k == 0 {
        scaleOnly(op)
        return
    }
    let work = op.m * op.n * op.k
    var t = max(1, min(threads, work / max(1, minWorkPerThread)))
    // Prefer splitting columns (each thread then packs only its part of B, the larger operand
    // in the MLP); fall back to rows when C is too narrow.
    let colTiles = (op.n + K.nr - 1) / K.nr
    let rowTiles = (op.m + K.mr - 1) / K.mr
    let splitColumns = colTiles >= 2 * t || colTiles >= rowTiles
    t = min(t, splitColumns ? colTiles : rowTiles)
    let parts = t
    let tiles = splitColumns ? colTiles : rowTiles
    let tileSize = splitColumns ? K.nr : K.mr
    let extent = splitColumns ? op.n : op.m

    // Pack all of op(A) up front when it is reused by several column blocks, so it is packed once
    // rather than once per NC block (and once per thread).
    let mPad = rowTiles * K.mr
    // NN/NT with whole MR-row panels: the kernel reads A's rows in place (MR sequential streams,
    // each row contiguous in k), so op(A) is not packed at all. Measured 2–3 % faster on the MLP
    // shapes and ~15 % on narrow outputs (n = 192), where packing A is a larger share.
    let unpackedA = op.transA == .none && op.m % K.mr == 0
    let prepack = !unpackedA && (op.n > GEMMBlocking.nc(nr: K.nr) / 2 || parts > 1)
    let prepackedA: UnsafeMutablePointer<Float>?
    var aScratch: ScratchPool.Buffer? = nil
    if prepack && mPad * op.k <= prepackLimit {
        aScratch = ScratchPool.shared.take(byteCount: mPad * op.k * 4)
        let buffer = aScratch!.pointer.bindMemory(to: Float.self, capacity: mPad * op.k)
        let target = SendablePointer(pointer: buffer)
        if parts > 1 {
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                prepackA(K.self, op, into: target.pointer!, mPad: mPad,
                         panels: (rowTiles * part / parts)..<(rowTiles * (part + 1) / parts))
            }
        } else {
            prepackA(K.self, op, into: buffer, mPad: mPad, panels: 0..<rowTiles)
        }
        prepackedA = buffer
    } else {
        prepackedA = nil
    }
    defer { if let aScratch { ScratchPool.shared.give(aScratch) } }

    if parts <= 1 {
        runBlock(K.self, op, rows: 0..<op.m, cols: 0..<op.n, prepackedA: prepackedA, unpackedA: unpackedA)
        return
    }
    let shared = SendablePointer(pointer: prepackedA)
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let lo = min(extent, (tiles * part / parts) * tileSize)
        let hi = min(extent, (tiles * (part + 1) / parts) * tileSize)
        if lo >= hi { return }
        if splitColumns {
            runBlock(K.self, op, rows: 0..<op.m, cols: lo..<hi, prepackedA: shared.pointer,
                     unpackedA: unpackedA)
        } else {
            runBlock(K.self, op, rows: lo..<hi, cols: 0..<op.n, prepackedA: shared.pointer,
                     unpackedA: unpackedA)
        }
    }
}

/// Packs the MR-row micro-panels `panels` of op(A), for every KC slice, into the whole-A layout
/// described at ``runBlock(_:_:rows:cols:prepackedA:)``.
func prepackA<K: MicroKernel>(_ kernel: K.Type, _ op: GEMMOperands,
                              into buffer: UnsafeMutablePointer<Float>, mPad: Int, panels: Range<Int>) {
    let rowLo = panels.lowerBound * K.mr, rowHi = min(op.m, panels.upperBound * K.mr)
    if rowLo >= rowHi { return }
    var pc = 0
    while pc < op.k {
        let kc = min(GEMMBlocking.kc, op.k - pc)
        packA(K.self, op, rows: rowLo, mc: rowHi - rowLo, depth: pc, kc: kc,
              into: buffer + pc * mPad + rowLo * kc)
        pc += kc
    }
}

/// A buffer shared read-only by the worker threads after it has been filled.
struct SendablePointer: @unchecked Sendable {
    var pointer: UnsafeMutablePointer<Float>?
}

/// `C = epilogue(beta · C)`: the whole product when `k == 0`.
func scaleOnly(_ op: GEMMOperands) {
    for i in 0..<op.m {
        let row = op.c + i * op.ldc
        for j in 0..<op.n {
            var z: Float = op.beta == 0 ? 0 : op.beta * row[j]
            if let bias = op.bias { z += bias[j] }
            row[j] = z
        }
        if op.appliesTanh { ScaledTanh.apply(row, count: op.n) }
        if let (y, ldy) = op.derivativeOutput {
            ScaledTanh.multiplyByDerivative(output: y + i * ldy, gradient: row, count: op.n)
        }
    }
}

/// Computes the block `rows × cols` of C on the calling thread.
///
/// `prepackedA`, when given, holds all of op(A) packed: the KC slice starting at depth `pc` is at
/// offset `pc · mPad` (mPad = m rounded up to MR), and within it row `i` (a multiple of MR) starts
/// its micro-panel at `i · kc`. `rows.lowerBound` must then be a multiple of MR.
func runBlock<K: MicroKernel>(_ kernel: K.Type, _ op: GEMMOperands,
                              rows: Range<Int>, cols: Range<Int>,
                              prepackedA: UnsafeMutablePointer<Float>?, unpackedA: Bool = false) {
    let mr = K.mr, nr = K.nr
    let kcMax = min(GEMMBlocking.kc, op.k)
    let mcMax = prepackedA == nil ? min(GEMMBlocking.mc, (rows.count + mr - 1) / mr * mr) : 0
    let ncMax = min(GEMMBlocking.nc(nr: nr), (cols.count + nr - 1) / nr * nr)
    let mPad = (op.m + mr - 1) / mr * mr
    // One allocation per call and thread: packed A, packed B, a scratch tile and a bias strip.
    func roundUp16(_ x: Int) -> Int { (x + 15) & ~15 }
    let aCount = roundUp16(mcMax * kcMax), bCount = roundUp16(kcMax * ncMax)
    let tileCount = roundUp16(mr * nr)
    let total = aCount + bCount + tileCount + nr
    let scratch = ScratchPool.shared.take(byteCount: total * 4)
    defer { ScratchPool.shared.give(scratch) }
    let base = scratch.pointer.bindMemory(to: Float.self, capacity: total)
    // Each region starts on a 64-byte boundary (counts are multiples of 16 floats).
    let packedA = base
    let packedB = base + aCount
    let tile = packedB + bCount
    let biasStrip = tile + tileCount

    var jc = cols.lowerBound
    while jc < cols.upperBound {
        let nc = min(GEMMBlocking.nc(nr: nr), cols.upperBound - jc)
        var pc = 0
        while pc < op.k {
            let kc = min(GEMMBlocking.kc, op.k - pc)
            let isFirst = pc == 0, isLast = pc + kc == op.k
            let beta: Float = isFirst ? op.beta : 1
            packB(K.self, op, depth: pc, kc: kc, cols: jc, nc: nc, into: packedB)
            let step = GEMMBlocking.mc
            var ic = rows.lowerBound
            while ic < rows.upperBound {
                let mc = min(step, rows.upperBound - ic)
                let aBlock: UnsafeMutablePointer<Float>
                if unpackedA {
                    aBlock = packedA  // not read: macroKernel gets `aRows`
                } else if let prepackedA {
                    aBlock = prepackedA + pc * mPad + ic * kc
                } else {
                    packA(K.self, op, rows: ic, mc: mc, depth: pc, kc: kc, into: packedA)
                    aBlock = packedA
                }
                macroKernel(K.self, op, aBlock: aBlock, rows: ic, mc: mc, bBlock: packedB,
                            cols: jc, nc: nc, kc: kc, beta: beta, isLast: isLast,
                            tile: tile, biasStrip: biasStrip,
                            aRows: unpackedA ? op.a + ic * op.lda + pc : nil)
                ic += mc
            }
            pc += kc
        }
        jc += nc
    }
}

/// Runs the micro-kernel over every MR × NR tile of the block `C[ic ..< ic+mc, jc ..< jc+nc]`
/// from packed A (`mc × kc`) and packed B (`kc × nc`); partial tiles go through `tile`.
@inline(__always)
func macroKernel<K: MicroKernel>(_ kernel: K.Type, _ op: GEMMOperands,
                                 aBlock: UnsafePointer<Float>, rows ic: Int, mc: Int,
                                 bBlock: UnsafePointer<Float>, cols jc: Int, nc: Int,
                                 kc: Int, beta: Float, isLast: Bool,
                                 tile: UnsafeMutablePointer<Float>,
                                 biasStrip: UnsafeMutablePointer<Float>,
                                 aRows: UnsafePointer<Float>? = nil) {
    let mr = K.mr, nr = K.nr
    let applyTanh = isLast && op.appliesTanh
    let fusedTanh = applyTanh && K.fusesTanh, separateTanh = applyTanh && !K.fusesTanh
    let derivative = isLast ? op.derivativeOutput : nil
    var ir = 0
    while ir < mc {
        let mEff = min(mr, mc - ir)
        let aPanel = aBlock + ir * kc
        var jr = 0
        while jr < nc {
            let nEff = min(nr, nc - jr)
            let bPanel = bBlock + jr * kc
            let cTile = op.c + (ic + ir) * op.ldc + (jc + jr)
            let bias = isLast ? op.bias.map { $0 + (jc + jr) } : nil
            if mEff == mr && nEff == nr {
                if let aRows {
                    K.run(k: kc, a: aRows + ir * op.lda, lda: op.lda, b: bPanel, c: cTile, ldc: op.ldc,
                          alpha: op.alpha, beta: beta, bias: bias, tanh: fusedTanh)
                } else {
                    K.run(k: kc, a: aPanel, b: bPanel, c: cTile, ldc: op.ldc,
                          alpha: op.alpha, beta: beta, bias: bias, tanh: fusedTanh)
                }
                if separateTanh {
                    for r in 0..<mr { ScaledTanh.apply(cTile + r * op.ldc, count: nr) }
                }
                if let (y, ldy) = derivative {
                    let yTile = y + (ic + ir) * ldy + (jc + jr)
                    for r in 0..<mr {
                        ScaledTanh.multiplyByDerivative(output: yTile + r * ldy,
                                                        gradient: cTile + r * op.ldc, count: nr)
                    }
                }
            } else {
                // Partial tile: run the kernel on the scratch tile, copy the valid part.
                if beta != 0 {
                    for r in 0..<mr {
                        for j in 0..<nr {
                            tile[r * nr + j] = (r < mEff && j < nEff) ? cTile[r * op.ldc + j] : 0
                        }
                    }
                }
                var stripBias: UnsafePointer<Float>? = nil
                if let bias {
                    for j in 0..<nr { biasStrip[j] = j < nEff ? bias[j] : 0 }
                    stripBias = UnsafePointer(biasStrip)
                }
                if let aRows, mEff == mr {
                    K.run(k: kc, a: aRows + ir * op.lda, lda: op.lda, b: bPanel, c: tile, ldc: nr,
                          alpha: op.alpha, beta: beta, bias: stripBias, tanh: fusedTanh)
                } else {
                    K.run(k: kc, a: aPanel, b: bPanel, c: tile, ldc: nr,
                          alpha: op.alpha, beta: beta, bias: stripBias, tanh: fusedTanh)
                }
                for r in 0..<mEff {
                    let src = tile + r * nr, dst = cTile + r * op.ldc
                    if separateTanh { ScaledTanh.apply(src, count: nEff) }
                    if let (y, ldy) = derivative {
                        ScaledTanh.multiplyByDerivative(output: y + (ic + ir + r) * ldy + (jc + jr),
                                                        gradient: src, count: nEff)
                    }
                    dst.update(from: src, count: nEff)
                }
            }
            jr += nr
        }
        ir += mr
    }
}
