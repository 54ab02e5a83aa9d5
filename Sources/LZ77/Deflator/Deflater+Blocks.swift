/// The bit output and the deflate blocks (dynamic, fixed or stored) of ``Deflater``: how
/// the matcher's tokens become RFC 1951 bits.
extension Deflater {
    // MARK: - Bit output

    func reserve(_ bytes: Int) {
        let needed = outCount + bytes + 16
        if needed <= outCapacity { return }
        let newCapacity = max(needed, outCapacity * 2)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        p.update(from: out, count: outCount)
        out.deallocate()
        out = p
        outCapacity = newCapacity
    }

    /// Moves whole bytes from the bit buffer to the output (needs 8 bytes of room).
    @inline(__always)
    func flushBits() {
        UnsafeMutableRawPointer(out + outCount).storeBytes(of: bitBuffer.littleEndian, as: UInt64.self)
        let whole = bitCount >> 3
        outCount += whole
        bitBuffer = whole == 8 ? 0 : bitBuffer >> UInt64(whole << 3)
        bitCount &= 7
    }

    /// Appends `n` ≤ 56 − bitCount bits, LSB first.
    @inline(__always)
    func put(_ value: UInt64, _ n: Int) {
        bitBuffer |= value << UInt64(bitCount)
        bitCount += n
    }

    func alignToByte() {
        reserve(16)
        flushBits()
        if bitCount > 0 {
            out[outCount] = UInt8(truncatingIfNeeded: bitBuffer)
            outCount += 1
            bitBuffer = 0
            bitCount = 0
        }
    }

    // MARK: - Blocks

    /// Writes the buffered tokens (covering input bytes `from..<to`) as one block, choosing
    /// the cheapest of stored / fixed / dynamic, then clears the token buffer.
    func writeBlock(_ d: UnsafePointer<UInt8>, from: Int, to: Int, final: Bool) {
        literalCounts[256] = 1
        if parameters.repetitivePercent != nil || parameters.sparsePercent != nil {
            var literalTotal = 0
            for k in 0..<256 { literalTotal += Int(self.literalCounts[k]) }
            let matched = (to - from) - literalTotal
            if let percent = parameters.repetitivePercent, matched * 100 >= percent * (to - from) {
                chainLimit = parameters.repetitiveChain
            } else if let percent = parameters.sparsePercent, matched * 100 < percent * (to - from) {
                chainLimit = parameters.sparseChain
            } else {
                chainLimit = parameters.maxChain
            }
        }
        let literalCounts = Array(UnsafeBufferPointer(start: self.literalCounts, count: 286))
        let distanceCounts = Array(UnsafeBufferPointer(start: self.distanceCounts, count: 30))
        var extraBits = 0
        for k in 0..<29 { extraBits += Int(literalCounts[257 + k]) * DeflateTables.lengthExtra[k] }
        for k in 0..<30 { extraBits += Int(distanceCounts[k]) * DeflateTables.distanceExtra[k] }

        // Dynamic code.
        let litCode = HuffmanCode(frequencies: literalCounts, limit: 15)
        let distCode = HuffmanCode(frequencies: distanceCounts, limit: 15)
        var hlit = 286
        while hlit > 257 && litCode.lengths[hlit - 1] == 0 { hlit -= 1 }
        var hdist = 30
        while hdist > 1 && distCode.lengths[hdist - 1] == 0 { hdist -= 1 }
        let all = Array(litCode.lengths[0..<hlit]) + Array(distCode.lengths[0..<hdist])
        let runs = Deflater.codeLengthRuns(all)
        var clCounts = [UInt32](repeating: 0, count: 19)
        for r in runs { clCounts[Int(r & 0xFF)] += 1 }
        let clCode = HuffmanCode(frequencies: clCounts, limit: 7)
        var hclen = 19
        while hclen > 4 && clCode.lengths[DeflateTables.codeLengthOrder[hclen - 1]] == 0 { hclen -= 1 }
        var headerBits = 14 + 3 * hclen
        for r in runs {
            let sym = Int(r & 0xFF)
            headerBits += Int(clCode.lengths[sym]) + (sym == 16 ? 2 : sym == 17 ? 3 : sym == 18 ? 7 : 0)
        }
        let dynamicBits = 3 + headerBits + litCode.cost(literalCounts) + distCode.cost(distanceCounts) + extraBits

        // Fixed code.
        var fixedBits = 3 + extraBits + 5 * Int(distanceCounts.reduce(0, +))
        for s in 0..<286 { fixedBits += Int(literalCounts[s]) * Int(DeflateTables.fixedLiteralLengths[s]) }

        // Stored: each ≤65535-byte piece costs a 3-bit header, padding to a byte and 4 bytes.
        let rawLength = to - from
        let pieces = max(1, (rawLength + 65534) / 65535)
        let firstPad = (8 - ((bitCount + 3) & 7)) & 7
        let storedBits = 3 + firstPad + 32 + (pieces - 1) * 40 + 8 * rawLength

        reserve(min(dynamicBits, fixedBits, storedBits) / 8 + 64)
        if storedBits <= min(dynamicBits, fixedBits) {
            writeStored(d + from, count: rawLength, final: final)
        } else if fixedBits <= dynamicBits {
            put(final ? 1 : 0, 1)
            put(1, 2)
            writeTokens(HuffmanCode(lengths: DeflateTables.fixedLiteralLengths),
                        HuffmanCode(lengths: [UInt8](repeating: 5, count: 30)))
        } else {
            put(final ? 1 : 0, 1)
            put(2, 2)
            put(UInt64(hlit - 257), 5)
            put(UInt64(hdist - 1), 5)
            put(UInt64(hclen - 4), 4)
            flushBits()
            for k in 0..<hclen {
                put(UInt64(clCode.lengths[DeflateTables.codeLengthOrder[k]]), 3)
                flushBits()
            }
            for r in runs {
                let sym = Int(r & 0xFF)
                put(UInt64(clCode.codes[sym]), Int(clCode.lengths[sym]))
                if sym >= 16 {
                    put(UInt64(r >> 8), sym == 16 ? 2 : sym == 17 ? 3 : 7)
                }
                flushBits()
            }
            writeTokens(litCode, distCode)
            // Unused symbols get a pessimistic 15 bits (they would need a long code).
            for s in 0..<286 {
                let l = litCode.lengths[s] == 0 ? 15 : Int(litCode.lengths[s])
                literalCost[s] = UInt8(l + (s > 256 ? DeflateTables.lengthExtra[s - 257] : 0))
            }
            for s in 0..<30 {
                let l = distCode.lengths[s] == 0 ? 15 : Int(distCode.lengths[s])
                distanceCost[s] = UInt8(l + DeflateTables.distanceExtra[s])
            }
        }
        tokenCount = 0
        self.literalCounts.update(repeating: 0, count: 286)
        self.distanceCounts.update(repeating: 0, count: 30)
    }

    /// Run-length codes of a code-length sequence (RFC 1951 §3.2.7): each entry is the
    /// symbol 0...18 in the low byte and its extra-bit value above.
    static func codeLengthRuns(_ lengths: [UInt8]) -> [UInt32] {
        var runs: [UInt32] = []
        var i = 0
        let n = lengths.count
        while i < n {
            let v = lengths[i]
            var run = 1
            while i + run < n && lengths[i + run] == v { run += 1 }
            if v == 0 && run >= 3 {
                var left = run
                while left >= 11 {
                    let r = min(left, 138)
                    runs.append(18 | UInt32(r - 11) << 8)
                    left -= r
                }
                if left >= 3 {
                    runs.append(17 | UInt32(left - 3) << 8)
                    left = 0
                }
                for _ in 0..<left { runs.append(0) }
            } else if v != 0 && run >= 4 {
                runs.append(UInt32(v))
                var left = run - 1
                while left >= 3 {
                    let r = min(left, 6)
                    runs.append(16 | UInt32(r - 3) << 8)
                    left -= r
                }
                for _ in 0..<left { runs.append(UInt32(v)) }
            } else {
                for _ in 0..<run { runs.append(UInt32(v)) }
            }
            i += run
        }
        return runs
    }

    /// Writes the buffered tokens with the given codes, then the end-of-block symbol.
    func writeTokens(_ lit: HuffmanCode, _ dist: HuffmanCode) {
        // Pack code and length together: code | length << 16.
        var litTable = [UInt32](repeating: 0, count: 286)
        for s in 0..<286 { litTable[s] = UInt32(lit.codes[s]) | UInt32(lit.lengths[s]) << 16 }
        var distTable = [UInt32](repeating: 0, count: 30)
        for s in 0..<30 { distTable[s] = UInt32(dist.codes[s]) | UInt32(dist.lengths[s]) << 16 }
        litTable.withUnsafeBufferPointer { lt in
            distTable.withUnsafeBufferPointer { dt in
                DeflateTables.lengthSymbol.withUnsafeBufferPointer { lsym in
                    DeflateTables.distanceSymbol.withUnsafeBufferPointer { dsym in
                        DeflateTables.lengthBase.withUnsafeBufferPointer { lbase in
                            DeflateTables.lengthExtra.withUnsafeBufferPointer { lextra in
                                DeflateTables.distanceBase.withUnsafeBufferPointer { dbase in
                                    DeflateTables.distanceExtra.withUnsafeBufferPointer { dextra in
                                        var acc = bitBuffer
                                        var nbits = bitCount
                                        var o = out + outCount
                                        for t in 0..<tokenCount {
                                            UnsafeMutableRawPointer(o).storeBytes(of: acc.littleEndian, as: UInt64.self)
                                            let whole = nbits >> 3
                                            o += whole
                                            acc = whole == 8 ? 0 : acc >> UInt64(whole << 3)
                                            nbits &= 7
                                            let tok = tokens[t]
                                            if tok < 256 {
                                                let e = lt[Int(tok)]
                                                acc |= UInt64(e & 0xFFFF) << UInt64(nbits)
                                                nbits += Int(e >> 16)
                                            } else {
                                                let l = Int(tok & 0xFF)
                                                let dm = Int((tok >> 8) & 0x7FFF)
                                                let ls = Int(lsym[l])
                                                let e = lt[257 + ls]
                                                acc |= UInt64(e & 0xFFFF) << UInt64(nbits)
                                                nbits += Int(e >> 16)
                                                acc |= UInt64(l + 3 - lbase[ls]) << UInt64(nbits)
                                                nbits += lextra[ls]
                                                let ds = Int(dm < 256 ? dsym[dm] : dsym[256 + (dm >> 7)])
                                                let f = dt[ds]
                                                acc |= UInt64(f & 0xFFFF) << UInt64(nbits)
                                                nbits += Int(f >> 16)
                                                acc |= UInt64(dm + 1 - dbase[ds]) << UInt64(nbits)
                                                nbits += dextra[ds]
                                            }
                                        }
                                        outCount = o - out
                                        bitBuffer = acc
                                        bitCount = nbits
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        flushBits()
        put(UInt64(lit.codes[256]), Int(lit.lengths[256]))
        flushBits()
    }

    /// Writes `count` bytes as stored blocks of at most 65535 bytes.
    func writeStored(_ d: UnsafePointer<UInt8>, count: Int, final: Bool) {
        var done = 0
        repeat {
            let n = min(65535, count - done)
            let last = final && done + n == count
            put(last ? 1 : 0, 1)
            put(0, 2)
            alignToByte()
            reserve(n + 8)
            out[outCount] = UInt8(n & 0xFF)
            out[outCount + 1] = UInt8(n >> 8)
            out[outCount + 2] = UInt8(~n & 0xFF)
            out[outCount + 3] = UInt8((~n >> 8) & 0xFF)
            outCount += 4
            (out + outCount).update(from: d + done, count: n)
            outCount += n
            done += n
        } while done < count
    }
}
