import Testing
@testable import JPEGCodec
import TestSupport

/// The Huffman coder and the AC refinement decoder find a block's nonzero coefficients from a
/// zigzag mask. Checked here: the mask and its ranges against a direct computation, and the
/// whole refinement of random blocks from random bit streams (damaged data included: any
/// code, any size, runs past the band) against the coefficient-by-coefficient loop of T.81
/// G.1.2.3 as libjpeg's `decode_mcu_AC_refine` writes it.
@Suite struct ZigzagMaskTests {
    @Test func maskHasABitForEveryNonzeroCoefficientInZigzagOrder() {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<2000 {
            // Sparse to full blocks with values of every sign and size, −32768 included.
            let zeroShare = Double(trial % 40) / 40
            let block = (0..<64).map { n -> Int16 in
                if trial == 7 { return n % 2 == 0 ? -32768 : 0 }
                return Double(rng.next() % 1000) / 1000 < zeroShare ? 0 : Int16(truncatingIfNeeded: rng.next()) | 1
            }
            var expected: UInt64 = 0
            for z in 0..<64 where block[StandardTables.zigzag[z]] != 0 { expected |= 1 << UInt64(z) }
            let mask = block.withUnsafeBufferPointer { b in
                ZigzagMask.rows.withUnsafeBufferPointer { ZigzagMask.nonzero(b.baseAddress!, rows: $0.baseAddress!) }
            }
            #expect(mask == expected, "trial \(trial)")
        }
    }

    @Test func rangesHoldExactlyTheirBits() {
        for low in 0...64 {
            for high in 0...63 {
                var expected: UInt64 = 0
                if low <= high { for b in low...high { expected |= 1 << UInt64(b) } }
                #expect(ZigzagMask.range(low, high) == expected, "\(low)…\(high)")
            }
        }
    }

    @Test func refinementMatchesTheCoefficientByCoefficientLoop() throws {
        let tables = ScanDecoder()
        defer { tables.deallocate() }
        let spec = HuffmanSpec(counts: StandardTables.luminanceACBits, symbols: StandardTables.luminanceACValues)
        tables.install(try HuffmanDecoder(spec, isDC: false, offset: 0), slot: 4)
        let decoder = ProgressiveScanDecoder(tables: tables)
        var rng = SplitMix64(seed: 11)
        var checkedBits = 0
        for trial in 0..<400 {
            let bytes = (0..<96).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let ss = 1 + Int(rng.next() % 63), se = ss + Int(rng.next() % UInt64(64 - ss))
            let al = Int(rng.next() % 6)
            let blocks = 6
            let start = (0..<(64 * blocks)).map { _ -> Int16 in
                rng.next() % 3 == 0 ? Int16(truncatingIfNeeded: Int(rng.next() % 41) - 20) &<< Int16(al + 1) : 0
            }
            var fast = start, slow = start
            var fastRun = Int(rng.next() % 3), slowRun = fastRun
            bytes.withUnsafeBufferPointer { data in
                naturalOrderWithOverrun.withUnsafeBufferPointer { order in
                ZigzagMask.rows.withUnsafeBufferPointer { rows in
                    var a = BitReader(base: data.baseAddress!, start: 0, end: data.count)
                    var b = a
                    fast.withUnsafeMutableBufferPointer { f in
                        slow.withUnsafeMutableBufferPointer { s in
                            for block in 0..<blocks {
                                decoder.decodeACRefine(&a, block: f.baseAddress! + 64 * block, slot: 4, ss: ss, se: se, al: al,
                                                       eobRun: &fastRun, natural: order.baseAddress!, maskRows: rows.baseAddress!)
                                Self.referenceRefine(tables, &b, block: s.baseAddress! + 64 * block, slot: 4, ss: ss, se: se,
                                                     al: al, eobRun: &slowRun, natural: order.baseAddress!)
                                #expect(a.position == b.position && a.count == b.count && a.buffer == b.buffer,
                                        "trial \(trial), block \(block): the readers differ")
                            }
                        }
                    }
                    checkedBits += a.position * 8 - a.count
                }}
            }
            #expect(fast == slow, "trial \(trial) (ss \(ss), se \(se), al \(al))")
            #expect(fastRun == slowRun, "trial \(trial)")
        }
        #expect(checkedBits > 400 * 64, "the streams were read")
    }

    /// T.81 G.1.2.3 as libjpeg writes it: every position from ss to se in turn, a correction
    /// bit for each nonzero coefficient met.
    static func referenceRefine(_ tables: ScanDecoder, _ reader: inout BitReader, block: UnsafeMutablePointer<Int16>,
                                slot: Int, ss: Int, se: Int, al: Int, eobRun: inout Int, natural: UnsafePointer<UInt8>) {
        let p1 = Int16(truncatingIfNeeded: 1 << al), m1 = Int16(truncatingIfNeeded: -1 << al)
        func correct(_ position: Int) {
            let coefficient = block[position]
            if reader.count < 8 { reader.refill() }
            if reader.bits(1) != 0 && coefficient & p1 == 0 {
                block[position] = coefficient >= 0 ? coefficient &+ p1 : coefficient &+ m1
            }
        }
        var k = ss
        if eobRun == 0 {
            while k <= se {
                if reader.count < 32 { reader.refill() }
                let rs = tables.decodeSymbol(&reader, slot: slot)
                var r = rs >> 4
                var value: Int16 = 0
                if rs & 15 != 0 {
                    value = reader.bits(1) != 0 ? p1 : m1
                } else if r != 15 {
                    eobRun = (1 << r) + (r != 0 ? reader.bits(r) : 0)
                    break
                }
                while k <= se {
                    let position = Int(natural[k])
                    if block[position] != 0 {
                        correct(position)
                    } else {
                        r -= 1
                        if r < 0 { break }
                    }
                    k += 1
                }
                if value != 0 { block[Int(natural[k])] = value }
                k += 1
            }
        }
        if eobRun > 0 {
            while k <= se {
                if block[Int(natural[k])] != 0 { correct(Int(natural[k])) }
                k += 1
            }
            eobRun -= 1
        }
    }
}
