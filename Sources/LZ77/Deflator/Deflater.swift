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
    let parameters: MatchParameters
    /// Chain limit for the current block: `maxChain`, `repetitiveChain` after a block in which
    /// matches covered at least `repetitivePercent` % of the bytes, or `sparseChain` after one
    /// in which they covered less than `sparsePercent` %.
    var chainLimit: Int
    let hashBits: Int
    let head: UnsafeMutablePointer<Int32>
    let prev: UnsafeMutablePointer<Int32>
    let tokens: UnsafeMutablePointer<UInt32>
    let lengthSymbol: UnsafeMutablePointer<UInt8>
    let distanceSymbol: UnsafeMutablePointer<UInt8>
    /// Estimated bits per literal/length symbol and per distance symbol including extra
    /// bits: the previous dynamic block's code lengths (fixed-code lengths at the start).
    /// Used to reject short matches that would cost more than their literals.
    let literalCost: UnsafeMutablePointer<UInt8>
    let distanceCost: UnsafeMutablePointer<UInt8>
    var tokenCount = 0
    // Symbol counts of the current block (raw memory: no exclusivity checks in the hot loop).
    let literalCounts: UnsafeMutablePointer<UInt32>
    let distanceCounts: UnsafeMutablePointer<UInt32>

    // Bit output.
    var out: UnsafeMutablePointer<UInt8>
    var outCapacity: Int
    var outCount = 0
    var bitBuffer: UInt64 = 0
    var bitCount = 0

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
    /// complete zlib stream: the header, the data as one band (``deflateBand(_:history:count:isLast:parameters:)``)
    /// and the Adler-32.
    package static func zlibCompress(_ data: UnsafePointer<UInt8>, count: Int, parameters: MatchParameters) -> [UInt8] {
        var stream = zlibHeader(parameters)
        stream += deflateBand(data, history: 0, count: count, isLast: true, parameters: parameters)
        var adler = Adler32()
        adler.update(UnsafeRawBufferPointer(start: data, count: count))
        appendTrailer(&stream, adler)
        return stream
    }

    /// The two bytes that open a zlib stream (RFC 1950 §2.2): CMF 0x78 (deflate, 32 KiB
    /// window) and the FLG byte of `parameters`' effort.
    package static func zlibHeader(_ parameters: MatchParameters) -> [UInt8] {
        [0x78, parameters.zlibFlags]
    }

    /// Appends the Adler-32 that closes a zlib stream, big-endian.
    package static func appendTrailer(_ stream: inout [UInt8], _ adler: Adler32) {
        let a = adler.value
        stream += [UInt8(a >> 24), UInt8((a >> 16) & 0xFF), UInt8((a >> 8) & 0xFF), UInt8(a & 0xFF)]
    }

    /// The most history a band's matches can reach: deflate's 32 KiB window.
    package static let window = 32768

    /// Deflates one band of a stream — `count` bytes at `data` — into raw deflate blocks
    /// (RFC 1951) that end on a byte boundary, so that bands compressed separately, even on
    /// different threads, concatenate into one valid stream.
    ///
    /// The `history` bytes before `data` (at most ``window``; the end of the previous band)
    /// are the band's dictionary: matches may point into them, as they would in one
    /// continuous stream, so cutting a stream into bands costs little more than the extra
    /// block headers. A band that is not the last ends with an empty stored block (zlib's
    /// sync flush: 3 header bits, padding, `00 00 FF FF`); the last ends with the final
    /// block, padded to a byte. The bytes depend only on the band's data and its history,
    /// never on how the bands are scheduled.
    ///
    /// - Parameters:
    ///   - data: The band; readable from `data − history` to 16 bytes past `count`.
    ///   - history: Bytes before `data` the matches may use (clamped to 0…``window``).
    ///   - count: The band's length in bytes.
    ///   - isLast: Whether this band ends the stream (its last block is marked final).
    ///   - parameters: The match finder's settings.
    /// - Returns: The band's deflate bytes.
    package static func deflateBand(_ data: UnsafePointer<UInt8>, history: Int, count: Int, isLast: Bool,
                                    parameters: MatchParameters) -> [UInt8] {
        let history = min(max(history, 0), window)
        let d = Deflater(parameters: parameters, expectedInput: count)
        // Segments of at most 1 GiB keep positions within Int32; only the first sees the history.
        let segment = 1 << 30
        var start = 0
        repeat {
            let n = min(segment, count - start)
            let before = start == 0 ? history : 0
            d.compressSegment(data + start - before, from: before, count: before + n,
                              isLast: isLast && start + n == count)
            start += n
        } while start < count
        if isLast {
            d.alignToByte()
        } else {
            d.writeStored(data + count, count: 0, final: false)
        }
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
    func hash(_ d: UnsafePointer<UInt8>, _ p: Int) -> Int {
        let v = UnsafeRawPointer(d + p).loadUnaligned(as: UInt32.self) & parameters.hashMask
        return Int((v &* 0x9E37_79B1) >> UInt32(32 - hashBits))
    }

    /// Length of the common prefix of `a` and `b`, at most `maxLen`.
    @inline(__always)
    static func commonLength(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ maxLen: Int) -> Int {
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
    func longestMatch(_ d: UnsafePointer<UInt8>, _ pos: Int, _ maxLen: Int, _ candidate: Int,
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
    func worthIt(_ d: UnsafePointer<UInt8>, _ pos: Int, _ length: Int, _ distance: Int) -> Bool {
        if length >= parameters.costCheckBelow { return true }
        let dm = distance - 1
        let ds = Int(dm < 256 ? distanceSymbol[dm] : distanceSymbol[256 + (dm >> 7)])
        let matchBits = Int(literalCost[257 + Int(lengthSymbol[length - 3])]) + Int(distanceCost[ds])
        var literalBits = 0
        for k in 0..<length { literalBits += Int(literalCost[Int(d[pos + k])]) }
        return matchBits < literalBits
    }

    @inline(__always)
    func insert(_ d: UnsafePointer<UInt8>, _ p: Int) -> Int {
        let h = hash(d, p)
        let c = Int(head[h])
        prev[p & 32767] = Int32(truncatingIfNeeded: c)
        head[h] = Int32(truncatingIfNeeded: p)
        return c
    }

    @inline(__always)
    func emitLiteral(_ byte: UInt8) {
        tokens[tokenCount] = UInt32(byte)
        tokenCount += 1
        literalCounts[Int(byte)] &+= 1
    }

    @inline(__always)
    func emitMatch(_ length: Int, _ distance: Int) {
        let l = length - 3, dm = distance - 1
        tokens[tokenCount] = 0x8000_0000 | UInt32(dm) << 8 | UInt32(l)
        tokenCount += 1
        literalCounts[257 + Int(lengthSymbol[l])] &+= 1
        let ds = dm < 256 ? distanceSymbol[dm] : distanceSymbol[256 + (dm >> 7)]
        distanceCounts[Int(ds)] &+= 1
    }

    /// Sets the literal cost estimates from the byte frequencies of `d[0..<count]` (a band's
    /// history): about log2(count / frequency) bits each, 1…15, instead of the fixed code's 8
    /// or 9, so a band's first block weighs short matches against literals as well as the
    /// blocks after it do.
    func estimateLiteralCosts(_ d: UnsafePointer<UInt8>, count: Int) {
        var frequency = [Int](repeating: 0, count: 256)
        for k in 0..<count { frequency[Int(d[k])] += 1 }
        for b in 0..<256 {
            let ratio = count / max(frequency[b], 1)
            literalCost[b] = UInt8(min(15, max(1, Int.bitWidth - ratio.leadingZeroBitCount)))
        }
    }

    /// Compresses positions `start..<n` of `d` into blocks; positions before `start` are
    /// history (put in the hash chains first, never coded).
    func compressSegment(_ d: UnsafePointer<UInt8>, from start: Int, count n: Int, isLast: Bool) {
        head.initialize(repeating: -1, count: 1 << hashBits)
        // A position is hashed only while 3 bytes follow it (as in the loops below).
        var q = 0
        while q < min(start, n - 2) {
            _ = insert(d, q)
            q += 1
        }
        if start > 0 { estimateLiteralCosts(d, count: start) }
        var blockStart = start
        let p = parameters
        if p.lazy {
            var i = start
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
            var i = start
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
}
