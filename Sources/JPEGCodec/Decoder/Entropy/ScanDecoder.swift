/// Decodes the Huffman-coded data of one sequential scan into quantized coefficients
/// (T.81 F.2.2), the way libjpeg's jdhuff.c does, including its treatment of damaged data:
/// an AC run past coefficient 63 writes coefficient 63, DC predictions wrap in 32 bits, a bit
/// pattern that is no code reads 17 bits as symbol 0 (counted in ``badCodes``), and once the
/// data of a restart interval runs out, its remaining MCUs are left zero.
struct ScanDecoder {
    /// Table storage for the 4 DC and 4 AC slots: lookups, bounds, symbols.
    private let lookups: UnsafeMutablePointer<UInt16>
    private let maxCodes: UnsafeMutablePointer<Int32>
    private let valueOffsets: UnsafeMutablePointer<Int32>
    private let symbols: UnsafeMutablePointer<UInt8>
    /// For AC slots: per `lookupBits`-bit window, a whole coefficient when its code and magnitude bits
    /// fit in the window (stb_image's "fast AC" idea): `value << 16 | run << 8 | bitsUsed`,
    /// 0 when the slow path must decode it.
    let fastAC: UnsafeMutablePointer<Int32>
    /// Number of bit patterns met so far that were no code (libjpeg: "bad Huffman code").
    let badCodes: UnsafeMutablePointer<Int>

    init() {
        lookups = .allocate(capacity: 8 << HuffmanDecoder.lookupBits)
        maxCodes = .allocate(capacity: 8 * 18)
        valueOffsets = .allocate(capacity: 8 * 18)
        symbols = .allocate(capacity: 8 * 256)
        fastAC = .allocate(capacity: 8 << HuffmanDecoder.lookupBits)
        badCodes = .allocate(capacity: 1)
        badCodes.initialize(to: 0)
    }

    /// Frees the table storage.
    func deallocate() {
        lookups.deallocate(); maxCodes.deallocate(); valueOffsets.deallocate(); symbols.deallocate()
        fastAC.deallocate(); badCodes.deallocate()
    }

    /// Installs `table` in slot `slot` (0…3 DC, 4…7 AC).
    func install(_ table: HuffmanDecoder, slot: Int) {
        let size = 1 << HuffmanDecoder.lookupBits
        for i in 0..<size { lookups[slot * size + i] = table.lookup[i] }
        for i in 0..<18 {
            maxCodes[slot * 18 + i] = table.maxCode[i]
            valueOffsets[slot * 18 + i] = table.valueOffset[i]
        }
        for i in 0..<256 { symbols[slot * 256 + i] = table.symbols[i] }
        let bits = HuffmanDecoder.lookupBits
        for window in 0..<size {
            let entry = Int(table.lookup[window])
            let length = entry >> 8, symbol = entry & 0xFF
            let run = symbol >> 4, magnitude = symbol & 15
            var packed: Int32 = 0
            if length > 0 && magnitude > 0 && length + magnitude <= bits {
                let raw = (window >> (bits - length - magnitude)) & ((1 << magnitude) - 1)
                let value = extend(raw, magnitude)
                packed = Int32(value) << 16 | Int32(run) << 8 | Int32(length + magnitude)
            }
            fastAC[slot * size + window] = packed
        }
    }

    /// Decodes one Huffman symbol with the table in `slot`. A bit pattern that is no code
    /// gives symbol 0 after 17 bits, as in libjpeg. The reader must hold at least 17 bits.
    @inline(__always)
    func decodeSymbol(_ reader: inout BitReader, slot: Int) -> Int {
        let entry = lookups[(slot &<< HuffmanDecoder.lookupBits) | Int(reader.buffer &>> UInt64(64 - HuffmanDecoder.lookupBits))]
        if entry != 0 {
            reader.skip(Int(entry &>> 8))
            return Int(entry & 0xFF)
        }
        let long = decodeLong(buffer: reader.buffer, slot: slot)
        if long < 0 { return -1 }
        reader.skip(long >> 8)
        return long & 0xFF
    }

    /// Codes longer than the lookup: `length << 8 | symbol`; for no code `17 << 8` (libjpeg's
    /// `jpeg_huff_decode` reads up to 17 bits, then fakes a zero), counted. Takes the
    /// bit buffer by value so the caller's reader can stay in registers.
    @inline(never)
    func decodeLong(buffer: UInt64, slot: Int) -> Int {
        let peek = Int(buffer >> 48)
        var length = HuffmanDecoder.lookupBits + 1
        while length <= 16 {
            let code = peek >> (16 - length)
            if code <= Int(maxCodes[slot * 18 + length]) {
                return length << 8 | Int(symbols[slot * 256 + ((code + Int(valueOffsets[slot * 18 + length])) & 255)])
            }
            length += 1
        }
        badCodes.pointee &+= 1
        return 17 << 8
    }

    /// Decodes one block into `block` (64 coefficients, natural order, already zero).
    /// Kept out of line: as its own function the bit buffer stays in registers for the whole
    /// block (inlined into the MCU loop, the compiler spilled it on every coefficient).
    @inline(never)
    func decodeBlock(_ state: inout BitReader, block: UnsafeMutablePointer<Int16>,
                     dcSlot: Int, acSlot: Int, prediction: inout Int32,
                     naturalOrder: UnsafePointer<UInt8>) {
        // Work on a local copy so the bit buffer stays in registers.
        var reader = state
        defer { state = reader }
        if reader.count < 32 { reader.refill() }
        let s = decodeSymbol(&reader, slot: dcSlot)
        var diff = 0
        if s != 0 {
            if reader.count < 16 { reader.refill() }
            diff = extend(reader.bits(s), s)
        }
        prediction = prediction &+ Int32(truncatingIfNeeded: diff)
        block[0] = Int16(truncatingIfNeeded: prediction)
        var k = 1
        let fast = fastAC + (acSlot << HuffmanDecoder.lookupBits)
        while k < 64 {
            if reader.count < 32 { reader.refill() }
            let f = fast[Int(reader.buffer >> UInt64(64 - HuffmanDecoder.lookupBits))]
            if f != 0 {
                k &+= Int((f &>> 8) & 15)
                reader.skip(Int(f & 0xFF))
                block[Int(naturalOrder[k])] = Int16(truncatingIfNeeded: f &>> 16)
                k &+= 1
                continue
            }
            let rs = decodeSymbol(&reader, slot: acSlot)
            let r = rs &>> 4, size = rs & 15
            if size != 0 {
                k &+= r
                let value = extend(reader.bits(size), size)
                block[Int(naturalOrder[k])] = Int16(truncatingIfNeeded: value)
            } else {
                if r != 15 { break }
                k &+= 15
            }
            k &+= 1
        }
    }

    /// T.81 F.12 EXTEND: the signed value of `s` magnitude bits `v`.
    @inline(__always)
    func extend(_ v: Int, _ s: Int) -> Int {
        v < (1 &<< (s &- 1)) ? v &- (1 &<< s) &+ 1 : v
    }
}

/// libjpeg's `jpeg_natural_order` with 16 extra entries of 63: a run that overshoots the
/// block lands on coefficient 63 instead of outside it.
let naturalOrderWithOverrun: [UInt8] = StandardTables.zigzag.map { UInt8($0) } + Array(repeating: 63, count: 16)

extension ScanDecoder {
    /// Decodes all MCUs of `scan` from `segment` into the coefficient planes.
    /// - Parameters:
    ///   - planes: one pointer per frame component to its zero-initialised coefficient plane
    ///     (`blocksWide · blocksHigh · 64` values).
    ///   - clearBlocks: zero each block before decoding (when a component is scanned again).
    ///   - bandBuffers: the planes hold one MCU row only (streaming); block rows are counted
    ///     from the start of the current MCU row.
    ///   - rowDone: called with the MCU row index after each MCU row.
    /// - Returns: where the data was damaged (bad codes, running out), for warnings.
    func decode(scan: ScanHeader, frame: FrameHeader, segment: EntropySegment,
                file: UnsafeBufferPointer<UInt8>, planes: [UnsafeMutablePointer<Int16>],
                restartInterval: Int, clearBlocks: Bool, bandBuffers: Bool = false,
                rowDone: ((Int) -> Void)? = nil) throws(JPEGError) -> ScanDamage {
        let comps = scan.components
        let layout = try ScanLayout(scan: scan, frame: frame, framePlanes: planes)
        let mcusX = layout.mcusX, mcusY = layout.mcusY
        let n = comps.count
        let hs = layout.hs, vs = layout.vs, strides = layout.strides, scanPlanes = layout.planes
        var predictions = [Int32](repeating: 0, count: n)
        var sync = RestartSynchronizer(segment: segment)
        var damage = ScanDamage()
        let badCodes = self.badCodes
        try segment.bytes.withUnsafeBufferPointer { (bytes) throws(JPEGError) in
            naturalOrderWithOverrun.withUnsafeBufferPointer { (order) in
                let base = bytes.baseAddress!
                let natural = order.baseAddress!
                var interval = sync.firstInterval
                var reader = BitReader(base: base, start: interval.start, end: interval.end)
                var left = restartInterval
                var insufficient = false
                for my in 0..<mcusY {
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
                                left = restartInterval
                            }
                            left -= 1
                        }
                        let seenBad = badCodes.pointee
                        for i in 0..<n {
                            let dcSlot = comps[i].dcTable, acSlot = 4 + comps[i].acTable
                            for by in 0..<vs[i] {
                                for bx in 0..<hs[i] {
                                    let blockRow = bandBuffers ? by : my * vs[i] + by
                                    let blockIndex = blockRow * strides[i] + mx * hs[i] + bx
                                    let block = scanPlanes[i] + blockIndex * 64
                                    if clearBlocks { block.update(repeating: 0, count: 64) }
                                    if insufficient { continue }  // libjpeg leaves the block zero
                                    decodeBlock(&reader, block: block, dcSlot: dcSlot, acSlot: acSlot,
                                                    prediction: &predictions[i], naturalOrder: natural)
                                }
                            }
                        }
                        if !insufficient {
                            if badCodes.pointee != seenBad { damage.noteBadCode(reader) }
                            if reader.overrun(start: interval.start) > 0 {
                                insufficient = true
                                damage.noteRanOut(reader)
                            }
                        }
                    }
                    rowDone?(my)
                }
            }
        }
        return damage
    }
}
