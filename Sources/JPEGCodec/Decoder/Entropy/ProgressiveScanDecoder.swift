/// Decodes the Huffman-coded data of one progressive scan (T.81 G.1.2) into the whole-image
/// coefficient planes, the way libjpeg's jdphuff.c does:
/// - DC first (`Ss = 0, Ah = 0`): DC differences, shifted left by `Al`; interleaved or not;
/// - DC refinement (`Ss = 0, Ah > 0`): one raw bit per block, ORed in at bit `Al`;
/// - AC first (`Ss > 0, Ah = 0`): one component, run/size symbols, end-of-band runs;
/// - AC refinement (`Ss > 0, Ah > 0`): new coefficients of magnitude `1 << Al` plus one
///   correction bit for every coefficient that is already nonzero, end-of-band runs.
///
/// Damaged data is handled like libjpeg: a run that overshoots the band writes
/// coefficient 63 (the overrun natural-order table), arithmetic wraps to 16 bits, a bad code
/// is symbol 0, restart markers are resynchronised by ``RestartSynchronizer``, and once the
/// data of a restart interval runs out, its remaining MCUs are left untouched (the reader's
/// zero bits finish the MCU in which it ran out).
struct ProgressiveScanDecoder {
    /// The Huffman tables (the sequential decoder's table storage and symbol decoding).
    let tables: ScanDecoder

    /// The kind of progressive scan, from its spectral selection and successive approximation.
    enum Kind { case dcFirst, dcRefine, acFirst, acRefine }

    /// Decodes all MCUs of `scan` into `planes` (one pointer per frame component, whole
    /// zero-initialised planes).
    /// - Returns: where the data was damaged (bad codes, running out), for warnings.
    func decode(scan: ScanHeader, frame: FrameHeader, segment: EntropySegment,
                planes: [UnsafeMutablePointer<Int16>], restartInterval: Int) throws(JPEGError) -> ScanDamage {
        let kind: Kind = scan.ss == 0 ? (scan.ah == 0 ? .dcFirst : .dcRefine) : (scan.ah == 0 ? .acFirst : .acRefine)
        let comps = scan.components
        let layout = try ScanLayout(scan: scan, frame: frame, framePlanes: planes)
        let interleaved = layout.interleaved
        let mcusX = layout.mcusX, mcusY = layout.mcusY
        let n = comps.count
        let hs = layout.hs, vs = layout.vs, strides = layout.strides, scanPlanes = layout.planes
        // The DC predictions through a pointer: an array captured by the block decoder below
        // would be checked for exclusive access at run time on every DC (3 % of a decode).
        let predictions = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        predictions.initialize(repeating: 0, count: max(n, 1))
        defer { predictions.deallocate() }
        // MCU rows of a non-interleaved scan are block rows; the frame's MCU rows hold v of them.
        let rowDivisor = interleaved ? 1 : max(frame.components[comps[0].frameIndex].verticalSampling, 1)
        let ss = scan.ss, se = scan.se, al = scan.al
        var sync = RestartSynchronizer(segment: segment)
        var damage = ScanDamage()
        let badCodes = tables.badCodes
        segment.bytes.withUnsafeBufferPointer { bytes in
            naturalOrderWithOverrun.withUnsafeBufferPointer { order in
            ZigzagMask.rows.withUnsafeBufferPointer { maskRows in
                let base = bytes.baseAddress!
                let natural = order.baseAddress!, masks = maskRows.baseAddress!
                var interval = sync.firstInterval
                var reader = BitReader(base: base, start: interval.start, end: interval.end)
                var left = restartInterval
                var eobRun = 0
                var insufficient = false
                /// One block of scan component `i`.
                @inline(__always)
                func decodeBlock(_ block: UnsafeMutablePointer<Int16>, component i: Int, dcSlot: Int, acSlot: Int) {
                    switch kind {
                    case .dcFirst:
                        decodeDCFirst(&reader, block: block, slot: dcSlot, prediction: &predictions[i], al: al)
                    case .dcRefine:
                        if reader.count < 8 { reader.refill() }
                        if reader.bits(1) != 0 { block[0] |= Int16(truncatingIfNeeded: 1 << al) }
                    case .acFirst:
                        // A block inside an end-of-band run has nothing to read: counted here,
                        // without the call.
                        if eobRun > 0 { eobRun -= 1; return }
                        decodeACFirst(&reader, block: block, slot: acSlot, ss: ss, se: se,
                                      al: al, eobRun: &eobRun, natural: natural)
                    case .acRefine:
                        decodeACRefine(&reader, block: block, slot: acSlot, ss: ss, se: se,
                                       al: al, eobRun: &eobRun, natural: natural, maskRows: masks)
                    }
                }
                // One component (an MCU is one block): its plane, stride and tables, read once.
                let plane0 = scanPlanes[0], stride0 = strides[0]
                let dcSlot0 = comps[0].dcTable, acSlot0 = 4 + comps[0].acTable
                for my in 0..<mcusY {
                    let row = my / rowDivisor
                    for mx in 0..<mcusX {
                        if restartInterval > 0 {
                            if left == 0 {
                                let expected = sync.expected
                                let next = sync.advance()
                                if next.resynchronized { damage.noteResync(expected: expected, position: reader.end) }
                                if next.markerRead { insufficient = false }
                                interval = (next.start, next.end)
                                reader = BitReader(base: base, start: next.start, end: next.end)
                                for i in 0..<n { predictions[i] = 0 }
                                eobRun = 0
                                left = restartInterval
                            }
                            left -= 1
                        }
                        // libjpeg: once the data of an interval ran out, its other MCUs are skipped.
                        if insufficient { continue }
                        damage.lastGoodRow = row
                        let seenBad = badCodes.pointee
                        if !interleaved {
                            decodeBlock(plane0 + (my * stride0 + mx) * 64, component: 0, dcSlot: dcSlot0, acSlot: acSlot0)
                        } else {
                            for i in 0..<n {
                                let dcSlot = comps[i].dcTable, acSlot = 4 + comps[i].acTable
                                for by in 0..<vs[i] {
                                    for bx in 0..<hs[i] {
                                        let blockIndex = (my * vs[i] + by) * strides[i] + mx * hs[i] + bx
                                        decodeBlock(scanPlanes[i] + blockIndex * 64, component: i, dcSlot: dcSlot, acSlot: acSlot)
                                    }
                                }
                            }
                        }
                        if badCodes.pointee != seenBad { damage.noteBadCode(reader) }
                        if reader.overrun(start: interval.start) > 0 {
                            insufficient = true
                            damage.noteRanOut(reader)
                        }
                    }
                }
            }
            }
        }
        return damage
    }

    /// DC first scan: one DC difference, added to the prediction, shifted left by `al`.
    @inline(__always)
    func decodeDCFirst(_ reader: inout BitReader, block: UnsafeMutablePointer<Int16>, slot: Int,
                       prediction: inout Int32, al: Int) {
        if reader.count < 32 { reader.refill() }
        let s = tables.decodeSymbol(&reader, slot: slot)
        var diff = 0
        if s != 0 {
            if reader.count < 16 { reader.refill() }
            diff = tables.extend(reader.bits(s), s)
        }
        prediction = prediction &+ Int32(truncatingIfNeeded: diff)
        block[0] = Int16(truncatingIfNeeded: prediction &<< Int32(al))
    }

    /// AC first scan of one block: coefficients `ss…se` in zigzag order, or one block of an
    /// end-of-band run (the caller counts those without calling, when it can).
    @inline(never)
    func decodeACFirst(_ state: inout BitReader, block: UnsafeMutablePointer<Int16>, slot: Int,
                       ss: Int, se: Int, al: Int, eobRun: inout Int, natural: UnsafePointer<UInt8>) {
        if eobRun > 0 { eobRun -= 1; return }
        var reader = state
        defer { state = reader }
        var k = ss
        let fast = tables.fastAC + (slot &<< HuffmanDecoder.lookupBits)
        while k <= se {
            if reader.count < 32 { reader.refill() }
            // Short code and magnitude bits in one lookup (the sequential decoder's table).
            let f = fast[Int(reader.buffer &>> UInt64(64 - HuffmanDecoder.lookupBits))]
            if f != 0 {
                k &+= Int((f &>> 8) & 15)
                reader.skip(Int(f & 0xFF))
                block[Int(natural[k])] = Int16(truncatingIfNeeded: Int(f &>> 16) &<< al)
                k &+= 1
                continue
            }
            let rs = tables.decodeSymbol(&reader, slot: slot)
            let r = rs &>> 4, s = rs & 15
            if s != 0 {
                k &+= r
                let value = tables.extend(reader.bits(s), s)
                block[Int(natural[k])] = Int16(truncatingIfNeeded: value &<< al)
            } else if r == 15 {
                k &+= 15
            } else {
                var run = 1 &<< r
                if r != 0 { run &+= reader.bits(r) }
                eobRun = run &- 1
                break
            }
            k &+= 1
        }
    }

    /// AC refinement of one block (T.81 G.1.2.3): correction bits for nonzero coefficients,
    /// new coefficients of magnitude `1 << al`, end-of-band runs. The coefficients already
    /// nonzero are found from the block's ``ZigzagMask`` (they do not change during the
    /// call ahead of the position being decoded), so zeros are skipped without a test each;
    /// the bits are read in the same order as libjpeg's coefficient-by-coefficient loop.
    @inline(never)
    func decodeACRefine(_ state: inout BitReader, block: UnsafeMutablePointer<Int16>, slot: Int,
                        ss: Int, se: Int, al: Int, eobRun: inout Int, natural: UnsafePointer<UInt8>,
                        maskRows: UnsafePointer<UInt64>) {
        var reader = state
        defer { state = reader }
        let p1 = Int16(truncatingIfNeeded: 1 &<< al)
        let m1 = Int16(truncatingIfNeeded: -1 &<< al)
        let nonzero = ZigzagMask.nonzero(block, rows: maskRows) & ZigzagMask.range(ss, se)
        /// Reads the correction bits of the nonzero coefficients in `bits` (lowest first).
        @inline(__always)
        func correct(_ bits: UInt64) {
            var left = bits
            while left != 0 {
                let position = Int(natural[left.trailingZeroBitCount])
                left &= left &- 1
                let coefficient = block[position]
                if reader.count < 8 { reader.refill() }
                // Branch-free (the bit is random: a branch on it mispredicts half the time):
                // add ±(1 << al), away from zero, when the bit is 1 and bit al is still 0.
                let bit = UInt16(truncatingIfNeeded: reader.bits(1))
                let c = UInt16(bitPattern: coefficient)
                let apply = bit & ~(c &>> UInt16(truncatingIfNeeded: al)) & 1
                let sign = UInt16(bitPattern: coefficient &>> 15)  // 0 or all ones
                let step = (UInt16(bitPattern: p1) ^ sign) &- sign  // p1 or −p1 (= m1)
                block[position] = coefficient &+ Int16(bitPattern: step & (0 &- apply))
            }
        }
        var k = ss
        if eobRun == 0 {
            while k <= se {
                if reader.count < 32 { reader.refill() }
                let rs = tables.decodeSymbol(&reader, slot: slot)
                let r = rs &>> 4
                var value: Int16 = 0
                let s = rs & 15
                if s != 0 {
                    // Size must be 1 (libjpeg warns otherwise and goes on).
                    value = reader.bits(1) != 0 ? p1 : m1
                } else if r != 15 {
                    var run = 1 &<< r
                    if r != 0 { run &+= reader.bits(r) }
                    eobRun = run
                    break
                }
                // Skip r zero coefficients, correcting the nonzero ones passed on the way: the
                // new coefficient goes at the (r + 1)-th zero from k, or past se if none.
                var zeros = ~nonzero & ZigzagMask.range(k, se)
                var skip = r
                while skip > 0 && zeros != 0 { zeros &= zeros &- 1; skip &-= 1 }
                let target = zeros == 0 ? se &+ 1 : zeros.trailingZeroBitCount
                correct(nonzero & ZigzagMask.range(k, target &- 1))
                k = target
                if value != 0 {
                    block[Int(natural[k])] = value
                }
                k &+= 1
            }
        }
        if eobRun > 0 {
            // Inside an end-of-band run: only correction bits for the nonzero coefficients.
            correct(nonzero & ZigzagMask.range(k, se))
            eobRun -= 1
        }
    }
}
