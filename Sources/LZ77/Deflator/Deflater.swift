/// A zlib (RFC 1950) stream encoder around our deflate (RFC 1951).
///
/// Matching is LZ77 over a 32 KiB window with hash chains: `head[h]` holds the latest
/// position whose next 4 (or 3) bytes hash to `h`, `prev[p & 32767]` the position before it
/// with the same hash. Matches are measured 8 bytes at a time (XOR of two unaligned 64-bit
/// loads, then trailing zero bits). Tokens are buffered per block with their symbol counts;
/// each block is then written as whichever of stored, fixed-Huffman or dynamic-Huffman is
/// smallest, computed exactly from the counts.
///
/// All working memory is allocated once per stream; the input must be readable for 16
/// bytes past its end (the 8-byte loads may look past the last byte, never using the bytes
/// they find there).
package final class Deflater {
    private let parameters: MatchParameters
    /// Chain limit for the current block: `maxChain`, or `repetitiveChain` after a block in
    /// which matches covered at least `repetitivePercent` % of the bytes.
    private var chainLimit: Int
    private let hashBits: Int
    private let head: UnsafeMutablePointer<Int32>
    private let prev: UnsafeMutablePointer<Int32>
    private let tokens: UnsafeMutablePointer<UInt32>
    private let lengthSymbol: UnsafeMutablePointer<UInt8>
    private let distanceSymbol: UnsafeMutablePointer<UInt8>
    /// Estimated bits per literal/length symbol and per distance symbol including extra
    /// bits: the previous dynamic block's code lengths (fixed-code lengths at the start).
    /// Used to reject short matches that would cost more than their literals.
    private let literalCost: UnsafeMutablePointer<UInt8>
    private let distanceCost: UnsafeMutablePointer<UInt8>
    private var tokenCount = 0
    // Symbol counts of the current block (raw memory: no exclusivity checks in the hot loop).
    private let literalCounts: UnsafeMutablePointer<UInt32>
    private let distanceCounts: UnsafeMutablePointer<UInt32>

    // Bit output.
    private var out: UnsafeMutablePointer<UInt8>
    private var outCapacity: Int
    private var outCount = 0
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0

    private init(parameters: MatchParameters, expectedInput: Int) {
        self.parameters = parameters
        self.hashBits = parameters.hashBits
        self.chainLimit = parameters.maxChain
        head = .allocate(capacity: 1 << hashBits)
        prev = .allocate(capacity: 32768)
        prev.initialize(repeating: -1, count: 32768)
        tokens = .allocate(capacity: parameters.blockTokens + 8)
        lengthSymbol = .allocate(capacity: 256)
        lengthSymbol.initialize(from: DeflateTables.lengthSymbol, count: 256)
        distanceSymbol = .allocate(capacity: 512)
        distanceSymbol.initialize(from: DeflateTables.distanceSymbol, count: 512)
        literalCost = .allocate(capacity: 286)
        distanceCost = .allocate(capacity: 30)
        for s in 0..<286 {
            literalCost[s] = DeflateTables.fixedLiteralLengths[s] + UInt8(s > 256 ? DeflateTables.lengthExtra[s - 257] : 0)
        }
        for s in 0..<30 { distanceCost[s] = 5 + UInt8(DeflateTables.distanceExtra[s]) }
        literalCounts = .allocate(capacity: 286)
        literalCounts.initialize(repeating: 0, count: 286)
        distanceCounts = .allocate(capacity: 30)
        distanceCounts.initialize(repeating: 0, count: 30)
        outCapacity = max(1024, expectedInput / 2 + 1024)
        out = .allocate(capacity: outCapacity)
    }

    deinit {
        head.deallocate()
        prev.deallocate()
        tokens.deallocate()
        lengthSymbol.deallocate()
        distanceSymbol.deallocate()
        literalCost.deallocate()
        distanceCost.deallocate()
        literalCounts.deallocate()
        distanceCounts.deallocate()
        out.deallocate()
    }

    /// Compresses `count` bytes at `data` (readable for 16 bytes past `count`) into a
    /// complete zlib stream.
    package static func zlibCompress(_ data: UnsafePointer<UInt8>, count: Int, parameters: MatchParameters) -> [UInt8] {
        let d = Deflater(parameters: parameters, expectedInput: count)
        d.reserve(16)
        let flg = parameters.zlibFlags
        d.out[0] = 0x78
        d.out[1] = flg
        d.outCount = 2
        // Segments of at most 1 GiB keep positions within Int32.
        let segment = 1 << 30
        var start = 0
        repeat {
            let n = min(segment, count - start)
            d.compressSegment(data + start, count: n, isLast: start + n == count)
            start += n
        } while start < count
        d.alignToByte()
        var adler = Adler32()
        adler.update(UnsafeRawBufferPointer(start: data, count: count))
        let a = adler.value
        d.reserve(4)
        d.out[d.outCount] = UInt8(a >> 24)
        d.out[d.outCount + 1] = UInt8((a >> 16) & 0xFF)
        d.out[d.outCount + 2] = UInt8((a >> 8) & 0xFF)
        d.out[d.outCount + 3] = UInt8(a & 0xFF)
        d.outCount += 4
        return Array(UnsafeBufferPointer(start: d.out, count: d.outCount))
    }

    /// Compresses `bytes` into a complete zlib stream.
    package static func zlibCompress(_ bytes: [UInt8], parameters: MatchParameters) -> [UInt8] {
        var padded = bytes
        padded.append(contentsOf: repeatElement(0, count: 16))
        return padded.withUnsafeBufferPointer { zlibCompress($0.baseAddress!, count: bytes.count, parameters: parameters) }
    }

    // MARK: - Matching

    @inline(__always)
    private func hash(_ d: UnsafePointer<UInt8>, _ p: Int) -> Int {
        let v = UnsafeRawPointer(d + p).loadUnaligned(as: UInt32.self) & parameters.hashMask
        return Int((v &* 0x9E37_79B1) >> UInt32(32 - hashBits))
    }

    /// Length of the common prefix of `a` and `b`, at most `maxLen`.
    @inline(__always)
    private static func commonLength(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ maxLen: Int) -> Int {
        var len = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while len < maxLen {
            let x = ra.loadUnaligned(fromByteOffset: len, as: UInt64.self)
                ^ rb.loadUnaligned(fromByteOffset: len, as: UInt64.self)
            if x != 0 {
                len += UInt64(littleEndian: x).trailingZeroBitCount >> 3
                return min(len, maxLen)
            }
            len += 8
        }
        return maxLen
    }

    /// The longest match for position `pos` that is longer than `atLeast`, following the
    /// chain from `candidate`; returns length 0 if none is longer.
    @inline(__always)
    private func longestMatch(_ d: UnsafePointer<UInt8>, _ pos: Int, _ maxLen: Int, _ candidate: Int,
                              _ chainLimit: Int, _ atLeast: Int) -> (Int, Int) {
        if atLeast >= maxLen { return (0, 0) }
        var best = atLeast
        var bestDist = 0
        var cand = candidate
        var chain = chainLimit
        let lowest = pos - 32768
        let nice = min(parameters.niceLength, maxLen)
        let head4 = UnsafeRawPointer(d + pos).loadUnaligned(as: UInt32.self)
        while cand >= 0 && cand >= lowest {
            // Cheap rejections first: the byte that would make the match longer than the
            // best so far, then the first four bytes.
            if d[cand + best] == d[pos + best]
                && UnsafeRawPointer(d + cand).loadUnaligned(as: UInt32.self) == head4 {
                let len = Deflater.commonLength(d + cand, d + pos, maxLen)
                if len > best {
                    best = len
                    bestDist = pos - cand
                    if len >= nice { break }
                }
            }
            chain -= 1
            if chain == 0 { break }
            let next = Int(prev[cand & 32767])
            if next >= cand { break }
            cand = next
        }
        if bestDist == 0 || best < parameters.minMatch { return (0, 0) }
        return (best, bestDist)
    }

    /// Whether a match of `length` at `distance` for position `pos` is estimated to cost
    /// fewer bits than coding its bytes as literals.
    @inline(__always)
    private func worthIt(_ d: UnsafePointer<UInt8>, _ pos: Int, _ length: Int, _ distance: Int) -> Bool {
        if length >= parameters.costCheckBelow { return true }
        let dm = distance - 1
        let ds = Int(dm < 256 ? distanceSymbol[dm] : distanceSymbol[256 + (dm >> 7)])
        let matchBits = Int(literalCost[257 + Int(lengthSymbol[length - 3])]) + Int(distanceCost[ds])
        var literalBits = 0
        for k in 0..<length { literalBits += Int(literalCost[Int(d[pos + k])]) }
        return matchBits < literalBits
    }

    @inline(__always)
    private func insert(_ d: UnsafePointer<UInt8>, _ p: Int) -> Int {
        let h = hash(d, p)
        let c = Int(head[h])
        prev[p & 32767] = Int32(truncatingIfNeeded: c)
        head[h] = Int32(truncatingIfNeeded: p)
        return c
    }

    @inline(__always)
    private func emitLiteral(_ byte: UInt8) {
        tokens[tokenCount] = UInt32(byte)
        tokenCount += 1
        literalCounts[Int(byte)] &+= 1
    }

    @inline(__always)
    private func emitMatch(_ length: Int, _ distance: Int) {
        let l = length - 3, dm = distance - 1
        tokens[tokenCount] = 0x8000_0000 | UInt32(dm) << 8 | UInt32(l)
        tokenCount += 1
        literalCounts[257 + Int(lengthSymbol[l])] &+= 1
        let ds = dm < 256 ? distanceSymbol[dm] : distanceSymbol[256 + (dm >> 7)]
        distanceCounts[Int(ds)] &+= 1
    }

    private func compressSegment(_ d: UnsafePointer<UInt8>, count n: Int, isLast: Bool) {
        head.initialize(repeating: -1, count: 1 << hashBits)
        var blockStart = 0
        let p = parameters
        if p.lazy {
            var i = 0
            var havePending = false
            var pendingLen = 0, pendingDist = 0
            while i < n {
                let maxLen = min(258, n - i)
                var len = 0, dist = 0
                if maxLen >= 3 {
                    let cand = insert(d, i)
                    if pendingLen < p.lazyLimit {
                        let chain = pendingLen >= p.goodLength ? max(1, chainLimit >> 2) : chainLimit
                        (len, dist) = longestMatch(d, i, maxLen, cand, chain, max(p.minMatch - 1, pendingLen))
                        if len > 0 && !worthIt(d, i, len, dist) { len = 0 }
                    }
                }
                if pendingLen >= 3 && len <= pendingLen {
                    emitMatch(pendingLen, pendingDist)
                    let end = i - 1 + pendingLen
                    var q = i + 1
                    let insertEnd = min(end, n - 3)
                    while q < insertEnd {
                        _ = insert(d, q)
                        q += 1
                    }
                    i = end
                    havePending = false
                    pendingLen = 0
                    if tokenCount >= p.blockTokens {
                        writeBlock(d, from: blockStart, to: i, final: false)
                        blockStart = i
                    }
                } else {
                    if havePending {
                        emitLiteral(d[i - 1])
                        if tokenCount >= p.blockTokens {
                            writeBlock(d, from: blockStart, to: i, final: false)
                            blockStart = i
                        }
                    }
                    havePending = true
                    pendingLen = len
                    pendingDist = dist
                    i += 1
                }
            }
            if havePending {
                if pendingLen >= 3 { emitMatch(pendingLen, pendingDist) } else { emitLiteral(d[n - 1]) }
            }
        } else {
            var i = 0
            var misses = 0
            while i < n {
                let maxLen = min(258, n - i)
                var len = 0, dist = 0
                if maxLen >= 3 {
                    let cand = insert(d, i)
                    (len, dist) = longestMatch(d, i, maxLen, cand, p.maxChain, p.minMatch - 1)
                    if len > 0 && !worthIt(d, i, len, dist) { len = 0 }
                }
                if len >= 3 {
                    emitMatch(len, dist)
                    if len <= p.maxInsertLength {
                        var q = i + 1
                        let insertEnd = min(i + len, n - 3)
                        while q < insertEnd {
                            _ = insert(d, q)
                            q += 1
                        }
                    }
                    i += len
                    misses = 0
                } else {
                    // After a long run without matches, search only every other position
                    // (the skipped bytes are still coded, as literals).
                    emitLiteral(d[i])
                    i += 1
                    misses += 1
                    if misses > p.skipAfterMisses && i < n && tokenCount + 1 < p.blockTokens {
                        emitLiteral(d[i])
                        i += 1
                    }
                }
                if tokenCount >= p.blockTokens {
                    writeBlock(d, from: blockStart, to: i, final: false)
                    blockStart = i
                }
            }
        }
        writeBlock(d, from: blockStart, to: n, final: isLast)
    }

    // MARK: - Bit output

    private func reserve(_ bytes: Int) {
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
    private func flushBits() {
        UnsafeMutableRawPointer(out + outCount).storeBytes(of: bitBuffer.littleEndian, as: UInt64.self)
        let whole = bitCount >> 3
        outCount += whole
        bitBuffer = whole == 8 ? 0 : bitBuffer >> UInt64(whole << 3)
        bitCount &= 7
    }

    /// Appends `n` ≤ 56 − bitCount bits, LSB first.
    @inline(__always)
    private func put(_ value: UInt64, _ n: Int) {
        bitBuffer |= value << UInt64(bitCount)
        bitCount += n
    }

    private func alignToByte() {
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
    private func writeBlock(_ d: UnsafePointer<UInt8>, from: Int, to: Int, final: Bool) {
        literalCounts[256] = 1
        if let percent = parameters.repetitivePercent {
            var literalTotal = 0
            for k in 0..<256 { literalTotal += Int(self.literalCounts[k]) }
            let matched = (to - from) - literalTotal
            chainLimit = matched * 100 >= percent * (to - from) ? parameters.repetitiveChain : parameters.maxChain
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
    private func writeTokens(_ lit: HuffmanCode, _ dist: HuffmanCode) {
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
    private func writeStored(_ d: UnsafePointer<UInt8>, count: Int, final: Bool) {
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
