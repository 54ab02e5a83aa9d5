/// A zlib (RFC 1950) / deflate (RFC 1951) decoder that validates everything it reads.
///
/// Input is read through a 64-bit bit buffer refilled 8 bytes at a time; the input must be
/// readable for 32 bytes past its end (zero padding), and reading those padding bytes as
/// data is detected and reported as a truncated stream. Output never exceeds `limit`
/// bytes: a stream that would produce more fails with `tooMuchData` as soon as it tries.
package enum Inflater {
    /// Bytes of readable padding the input needs after its end.
    package static let inputPadding = 32

    /// Status of the Huffman block decoder (no throwing inside the hot loop).
    enum Status {
        case endOfBlock, invalidCode, invalidLengthSymbol, invalidDistanceSymbol
        case distanceTooFar, tooMuchData, truncated
    }

    /// Bit reader state.
    struct Bits {
        var pos = 0
        var buffer: UInt64 = 0
        var count = 0

        /// Ensures at least 56 bits are buffered (zeros past the end); false if the reader
        /// has run more than 8 bytes past the input's end.
        @inline(__always)
        mutating func refill(_ inp: UnsafePointer<UInt8>, _ n: Int) -> Bool {
            if pos > n + 8 { return false }
            buffer |= UInt64(littleEndian: UnsafeRawPointer(inp + pos).loadUnaligned(as: UInt64.self)) << UInt64(count)
            pos += (63 - count) >> 3
            count |= 56
            return true
        }

        /// Removes and returns `k` ≤ 32 bits (call `refill` first).
        @inline(__always)
        mutating func take(_ k: Int) -> Int {
            let v = Int(buffer & ((1 << UInt64(k)) - 1))
            buffer >>= UInt64(k)
            count -= k
            return v
        }

        /// Bits consumed so far.
        var consumedBits: Int { pos * 8 - count }
    }

    /// Base and extra bits packed per length symbol index: base | extra << 16.
    static let lengthTable: [UInt32] = (0..<29).map { UInt32(DeflateTables.lengthBase[$0]) | UInt32(DeflateTables.lengthExtra[$0]) << 16 }
    /// Base and extra bits packed per distance symbol: base | extra << 16.
    static let distanceTable: [UInt32] = (0..<30).map { UInt32(DeflateTables.distanceBase[$0]) | UInt32(DeflateTables.distanceExtra[$0]) << 16 }

    static let litRoot = 10
    static let distRoot = 8

    /// The fixed literal/length code (RFC 1951 §3.2.6), 288 symbols. Built from constant,
    /// complete code lengths, so never nil; a fixed block checks anyway rather than trap.
    static let fixedLiteral: HuffmanDecoder? =
        try? HuffmanDecoder(lengths: DeflateTables.fixedLiteralLengths[...], rootBits: litRoot)
    /// The fixed distance code: 32 five-bit codes (30 and 31 are rejected when decoded).
    static let fixedDistance: HuffmanDecoder? =
        try? HuffmanDecoder(lengths: [UInt8](repeating: 5, count: 32)[...], rootBits: distRoot)

    /// Inflates a zlib stream.
    /// - Parameters:
    ///   - inp: The stream, readable for `inputPadding` bytes past `n` (zeros).
    ///   - n: Stream length in bytes.
    ///   - limit: Most bytes the output may hold.
    ///   - verifyChecksum: Whether to check the Adler-32.
    /// - Returns: The output (`count` ≤ `limit`).
    /// - Throws: `InflateError` if the stream is damaged, truncated or inflates past `limit`.
    package static func zlibDecompress(_ inp: UnsafePointer<UInt8>, count n: Int, limit: Int,
                                       verifyChecksum: Bool = true) throws(InflateError) -> ByteBuffer {
        guard n >= 2 else { throw .truncatedStream }
        let cmf = Int(inp[0]), flg = Int(inp[1])
        guard cmf & 0x0F == 8 else {
            throw .corruptStream(offset: 0, reason: "compression method \(cmf & 0x0F) is not deflate")
        }
        guard cmf >> 4 <= 7 else {
            throw .corruptStream(offset: 0, reason: "window size 2^\((cmf >> 4) + 8) exceeds 32 KiB")
        }
        guard (cmf << 8 | flg) % 31 == 0 else {
            throw .corruptStream(offset: 1, reason: "header check bits are wrong")
        }
        guard flg & 0x20 == 0 else {
            throw .corruptStream(offset: 1, reason: "a preset dictionary is required")
        }
        // Never allocate more than the input can produce: a file whose header promises a
        // huge image but holds a few bytes of data must not reserve that image up front.
        let limit = min(limit, maximumOutput(count: n))
        // Output has 8 + 258 bytes of slack for the 8-byte match copies.
        let output = ByteBuffer(capacity: limit + 320)
        var bits = Bits()
        bits.pos = 2
        var o = 0
        var final = false
        repeat {
            guard bits.refill(inp, n), bits.consumedBits + 3 <= n * 8 else { throw .truncatedStream }
            let blockOffset = bits.consumedBits / 8
            final = bits.take(1) == 1
            let type = bits.take(2)
            switch type {
            case 0:
                // Stored: skip to the byte boundary, then LEN, NLEN and LEN raw bytes.
                _ = bits.take(bits.count & 7)
                bits.pos -= bits.count >> 3
                bits.buffer = 0
                bits.count = 0
                guard bits.pos + 4 <= n else { throw .truncatedStream }
                let len = Int(inp[bits.pos]) | Int(inp[bits.pos + 1]) << 8
                let nlen = Int(inp[bits.pos + 2]) | Int(inp[bits.pos + 3]) << 8
                guard len == (~nlen & 0xFFFF) else {
                    throw .corruptStream(offset: bits.pos, reason: "stored block length \(len) does not match its complement")
                }
                bits.pos += 4
                guard bits.pos + len <= n else { throw .truncatedStream }
                guard o + len <= limit else { throw .tooMuchData(offset: bits.pos, limit: limit) }
                (output.base + o).update(from: inp + bits.pos, count: len)
                o += len
                bits.pos += len
            case 1:
                guard let fixedLiteral, let fixedDistance else {
                    throw .corruptStream(offset: blockOffset, reason: "the fixed Huffman codes could not be built")
                }
                let status = decodeBlock(inp, n, &bits, output.base, &o, limit, fixedLiteral, fixedDistance)
                try check(status, bits, limit)
            case 2:
                let (lit, dist) = try readDynamicHeader(inp, n, &bits, blockOffset)
                let status = decodeBlock(inp, n, &bits, output.base, &o, limit, lit, dist)
                try check(status, bits, limit)
            default:
                throw .corruptStream(offset: blockOffset, reason: "block type 3 is reserved")
            }
            if bits.consumedBits > n * 8 { throw .truncatedStream }
        } while !final
        // Adler-32, big-endian, after byte alignment.
        _ = bits.take(bits.count & 7)
        bits.pos -= bits.count >> 3
        guard bits.pos + 4 <= n else { throw .truncatedStream }
        if verifyChecksum {
            let declared = UInt32(inp[bits.pos]) << 24 | UInt32(inp[bits.pos + 1]) << 16
                | UInt32(inp[bits.pos + 2]) << 8 | UInt32(inp[bits.pos + 3])
            var adler = Adler32()
            adler.update(UnsafeRawBufferPointer(start: output.base, count: o))
            guard adler.value == declared else {
                throw .streamChecksumMismatch(declared: declared, computed: adler.value)
            }
        }
        output.count = o
        return output
    }

    /// The most bytes `count` bytes of deflate data can inflate to: the densest code spends
    /// 2 bits (a 1-bit length code and a 1-bit distance code) on a 258-byte match, so at most
    /// 1032 bytes per input byte — counting the zero padding the bit reader may look at.
    package static func maximumOutput(count: Int) -> Int {
        let (product, overflow) = (count + inputPadding + 8).multipliedReportingOverflow(by: 1032)
        return overflow ? Int.max - 1024 : product + 258
    }

    private static func check(_ status: Status, _ bits: Bits, _ limit: Int) throws(InflateError) {
        let at = max(0, bits.consumedBits / 8)
        switch status {
        case .endOfBlock: return
        case .invalidCode: throw .corruptStream(offset: at, reason: "a bit pattern matches no Huffman code")
        case .invalidLengthSymbol: throw .corruptStream(offset: at, reason: "length symbol 286 or 287 is not allowed")
        case .invalidDistanceSymbol: throw .corruptStream(offset: at, reason: "distance symbol 30 or 31 is not allowed")
        case .distanceTooFar: throw .corruptStream(offset: at, reason: "a match reaches back before the start of the output")
        case .tooMuchData: throw .tooMuchData(offset: at, limit: limit)
        case .truncated: throw .truncatedStream
        }
    }

    /// Reads a dynamic block's code definitions (RFC 1951 §3.2.7).
    private static func readDynamicHeader(_ inp: UnsafePointer<UInt8>, _ n: Int, _ bits: inout Bits,
                                          _ blockOffset: Int) throws(InflateError) -> (HuffmanDecoder, HuffmanDecoder) {
        guard bits.refill(inp, n) else { throw .truncatedStream }
        let hlit = bits.take(5) + 257
        let hdist = bits.take(5) + 1
        let hclen = bits.take(4) + 4
        guard hlit <= 286, hdist <= 30 else {
            throw .corruptStream(offset: blockOffset, reason: "too many length or distance codes (\(hlit), \(hdist))")
        }
        var clLengths = [UInt8](repeating: 0, count: 19)
        for k in 0..<hclen {
            guard bits.refill(inp, n) else { throw .truncatedStream }
            clLengths[DeflateTables.codeLengthOrder[k]] = UInt8(bits.take(3))
        }
        let clCode: HuffmanDecoder
        do {
            clCode = try HuffmanDecoder(lengths: clLengths[...], rootBits: 7, allowSingleCode: false)
        } catch {
            throw .corruptStream(offset: blockOffset, reason: "the code-length code is \(error == .overSubscribed ? "over-subscribed" : "incomplete")")
        }
        let total = hlit + hdist
        var lengths = [UInt8](repeating: 0, count: total)
        var i = 0
        while i < total {
            guard bits.refill(inp, n) else { throw .truncatedStream }
            let e = clCode.entries[Int(bits.buffer & 127)]
            guard (e >> 5) & 3 == HuffmanDecoder.kindLeaf else {
                throw .corruptStream(offset: bits.consumedBits / 8, reason: "a bit pattern matches no code-length code")
            }
            _ = bits.take(Int(e & 31))
            let sym = Int(e >> 16)
            if sym < 16 {
                lengths[i] = UInt8(sym)
                i += 1
                continue
            }
            var value: UInt8 = 0
            let repeatCount: Int
            switch sym {
            case 16:
                guard i > 0 else {
                    throw .corruptStream(offset: bits.consumedBits / 8, reason: "code length 16 repeats nothing")
                }
                value = lengths[i - 1]
                repeatCount = 3 + bits.take(2)
            case 17:
                repeatCount = 3 + bits.take(3)
            default:
                repeatCount = 11 + bits.take(7)
            }
            guard i + repeatCount <= total else {
                throw .corruptStream(offset: bits.consumedBits / 8, reason: "code lengths repeat past the end of the table")
            }
            for _ in 0..<repeatCount {
                lengths[i] = value
                i += 1
            }
        }
        guard lengths[256] != 0 else {
            throw .corruptStream(offset: blockOffset, reason: "the end-of-block code is missing")
        }
        let lit: HuffmanDecoder
        do {
            lit = try HuffmanDecoder(lengths: lengths[0..<hlit], rootBits: litRoot)
        } catch {
            throw .corruptStream(offset: blockOffset, reason: "the literal/length code is \(error == .overSubscribed ? "over-subscribed" : "incomplete")")
        }
        let dist: HuffmanDecoder
        do {
            dist = try HuffmanDecoder(lengths: lengths[hlit..<total], rootBits: distRoot, allowEmpty: true)
        } catch {
            throw .corruptStream(offset: blockOffset, reason: "the distance code is \(error == .overSubscribed ? "over-subscribed" : "incomplete")")
        }
        return (lit, dist)
    }

    /// Decodes one Huffman-coded block into `out` until its end-of-block symbol.
    private static func decodeBlock(_ inp: UnsafePointer<UInt8>, _ n: Int, _ bits: inout Bits,
                                    _ out: UnsafeMutablePointer<UInt8>, _ o: inout Int, _ limit: Int,
                                    _ lit: HuffmanDecoder, _ dist: HuffmanDecoder) -> Status {
        lit.entries.withUnsafeBufferPointer { litTable in
            dist.entries.withUnsafeBufferPointer { distTable in
                lengthTable.withUnsafeBufferPointer { lengths in
                    distanceTable.withUnsafeBufferPointer { distances in
                        decodeLoop(inp, n, &bits, out, &o, limit, litTable.baseAddress!, distTable.baseAddress!,
                                   lengths.baseAddress!, distances.baseAddress!)
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func decodeLoop(_ inp: UnsafePointer<UInt8>, _ n: Int, _ bitsState: inout Bits,
                                   _ out: UnsafeMutablePointer<UInt8>, _ oState: inout Int, _ limit: Int,
                                   _ lit: UnsafePointer<UInt32>, _ dist: UnsafePointer<UInt32>,
                                   _ lengths: UnsafePointer<UInt32>, _ distances: UnsafePointer<UInt32>) -> Status {
        var bits = bitsState
        var o = oState
        defer {
            bitsState = bits
            oState = o
        }
        let litMask: UInt64 = (1 << UInt64(litRoot)) - 1
        let distMask: UInt64 = (1 << UInt64(distRoot)) - 1
        while true {
            if bits.count < 48 {
                guard bits.refill(inp, n) else { return .truncated }
            }
            var e = lit[Int(bits.buffer & litMask)]
            if (e >> 5) & 3 != 0 {
                if (e >> 5) & 3 == HuffmanDecoder.kindInvalid { return .invalidCode }
                let sub = UInt64((e >> 8) & 0xFF)
                e = lit[Int(e >> 16) + Int((bits.buffer >> UInt64(litRoot)) & ((1 << sub) - 1))]
                if (e >> 5) & 3 != 0 { return .invalidCode }
            }
            let codeLength = UInt64(e & 31)
            bits.buffer >>= codeLength
            bits.count -= Int(codeLength)
            let sym = Int(e >> 16)
            if sym < 256 {
                if o >= limit { return .tooMuchData }
                out[o] = UInt8(truncatingIfNeeded: sym)
                o += 1
                continue
            }
            if sym == 256 { return .endOfBlock }
            let li = sym - 257
            if li >= 29 { return .invalidLengthSymbol }
            let lt = lengths[li]
            let lextra = UInt64(lt >> 16)
            let length = Int(lt & 0xFFFF) + Int(bits.buffer & ((1 << lextra) - 1))
            bits.buffer >>= lextra
            bits.count -= Int(lextra)

            var d = dist[Int(bits.buffer & distMask)]
            if (d >> 5) & 3 != 0 {
                if (d >> 5) & 3 == HuffmanDecoder.kindInvalid { return .invalidCode }
                let sub = UInt64((d >> 8) & 0xFF)
                d = dist[Int(d >> 16) + Int((bits.buffer >> UInt64(distRoot)) & ((1 << sub) - 1))]
                if (d >> 5) & 3 != 0 { return .invalidCode }
            }
            let dl = UInt64(d & 31)
            bits.buffer >>= dl
            bits.count -= Int(dl)
            let ds = Int(d >> 16)
            if ds >= 30 { return .invalidDistanceSymbol }
            let dt = distances[ds]
            let dextra = UInt64(dt >> 16)
            let distance = Int(dt & 0xFFFF) + Int(bits.buffer & ((1 << dextra) - 1))
            bits.buffer >>= dextra
            bits.count -= Int(dextra)
            if distance > o { return .distanceTooFar }
            if length > limit - o { return .tooMuchData }
            var src = out + (o - distance)
            var dst = out + o
            if distance >= 8 {
                // Whole 8-byte words; may write up to 7 bytes past the match (slack).
                let end = dst + length
                while dst < end {
                    UnsafeMutableRawPointer(dst).storeBytes(of: UnsafeRawPointer(src).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    dst += 8
                    src += 8
                }
            } else {
                for _ in 0..<length {
                    dst.pointee = src.pointee
                    dst += 1
                    src += 1
                }
            }
            o += length
        }
    }
}
