import Testing
import PNGReader

/// Writes bits LSB-first, as deflate packs them; `code` writes a Huffman code MSB-first.
struct BitPacker {
    var bytes: [UInt8] = []
    var bitCount = 0

    mutating func bits(_ value: Int, _ n: Int) {
        for k in 0..<n {
            if bitCount % 8 == 0 { bytes.append(0) }
            if (value >> k) & 1 == 1 { bytes[bytes.count - 1] |= UInt8(1 << (bitCount % 8)) }
            bitCount += 1
        }
    }

    mutating func code(_ value: Int, _ n: Int) {
        for k in stride(from: n - 1, through: 0, by: -1) { bits((value >> k) & 1, 1) }
    }

    /// A zlib stream around these deflate bits, with a correct Adler-32 of `content`.
    func zlib(adlerOf content: [UInt8]) -> [UInt8] {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in content { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        let adler = b << 16 | a
        return [0x78, 0x01] + bytes + [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
    }
}

/// Hand-made damaged deflate streams: each must fail with the specific typed error.
@Suite struct CorruptStreamTests {
    func reason(_ stream: [UInt8], limit: Int = 1000) -> String? {
        do {
            _ = try Inflate.zlibDecompress(stream, limit: limit)
            return nil
        } catch {
            if case let .corruptStream(_, _, reason) = error { return reason }
            return "\(error)"
        }
    }

    @Test func validFixedBlockDecodes() throws {
        // "a", then a match of length 3 at distance 1 → "aaaa". Literal 'a' (97) has the
        // 8-bit code 0x30 + 97; length 3 is symbol 257, 7-bit code 1; distance 1 is symbol 0.
        var p = BitPacker()
        p.bits(1, 1); p.bits(1, 2)
        p.code(0x30 + 97, 8)
        p.code(1, 7); p.code(0, 5)
        p.code(0, 7)
        #expect(try Inflate.zlibDecompress(p.zlib(adlerOf: Array("aaaa".utf8))) == Array("aaaa".utf8))
    }

    @Test func distanceBeforeOutputStart() {
        var p = BitPacker()
        p.bits(1, 1); p.bits(1, 2)
        p.code(0x30 + 97, 8)
        p.code(1, 7); p.code(1, 5) // distance 2, but only 1 byte exists
        p.code(0, 7)
        #expect(reason(p.zlib(adlerOf: [])) == "a match reaches back before the start of the output")
    }

    @Test func reservedLengthAndDistanceSymbols() {
        var p = BitPacker()
        p.bits(1, 1); p.bits(1, 2)
        p.code(0xC0 + 6, 8) // symbol 286
        #expect(reason(p.zlib(adlerOf: [])) == "length symbol 286 or 287 is not allowed")
        var q = BitPacker()
        q.bits(1, 1); q.bits(1, 2)
        q.code(0x30 + 97, 8)
        q.code(1, 7); q.code(30, 5) // distance symbol 30
        #expect(reason(q.zlib(adlerOf: [])) == "distance symbol 30 or 31 is not allowed")
    }

    @Test func reservedBlockType() {
        var p = BitPacker()
        p.bits(1, 1); p.bits(3, 2)
        #expect(reason(p.zlib(adlerOf: [])) == "block type 3 is reserved")
    }

    @Test func storedLengthComplementMismatch() {
        let stream: [UInt8] = [0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFE, 1, 2, 3, 4, 0, 0, 0, 0]
        #expect(reason(stream) == "stored block length 4 does not match its complement")
    }

    /// Dynamic header with HLIT 257, HDIST 1, HCLEN 4 (lengths for symbols 16, 17, 18, 0).
    func dynamicHeader(_ p: inout BitPacker, _ clLengths: [Int]) {
        p.bits(1, 1); p.bits(2, 2)
        p.bits(0, 5); p.bits(0, 5); p.bits(clLengths.count - 4, 4)
        for l in clLengths { p.bits(l, 3) }
    }

    @Test func overSubscribedCodeLengthCode() {
        var p = BitPacker()
        dynamicHeader(&p, [1, 1, 1, 1])
        #expect(reason(p.zlib(adlerOf: [])) == "the code-length code is over-subscribed")
    }

    @Test func incompleteCodeLengthCode() {
        var p = BitPacker()
        dynamicHeader(&p, [0, 0, 0, 1])
        #expect(reason(p.zlib(adlerOf: [])) == "the code-length code is incomplete")
    }

    @Test func incompleteAndOverSubscribedLiteralCodes() {
        // Code-length code: symbols 18 and 0... order is 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11,
        // 4, 12, 3, 13, 2, 14, 1; give 18 and 1 and 2 two-bit codes and 0 a two-bit code.
        // Canonical 2-bit codes in symbol order: 0 → 00, 1 → 01, 2 → 10, 18 → 11.
        func stream(literalLengths: [Int]) -> [UInt8] {
            var p = BitPacker()
            var cl = [Int](repeating: 0, count: 18)
            let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1]
            for (k, s) in order.enumerated() where [0, 1, 2, 18].contains(s) { cl[k] = 2 }
            p.bits(1, 1); p.bits(2, 2)
            p.bits(0, 5); p.bits(0, 5); p.bits(18 - 4, 4)
            for l in cl { p.bits(l, 3) }
            let code: [Int: Int] = [0: 0b00, 1: 0b01, 2: 0b10]
            for l in literalLengths { p.code(code[l]!, 2) }
            p.code(0b01, 2) // the single distance code: length 1
            return p.zlib(adlerOf: [])
        }
        // 258 literal/length lengths are needed (257 + 1 distance); we give 257 + 1 above.
        var over = [Int](repeating: 0, count: 257)
        over[0] = 1; over[1] = 1; over[256] = 1 // three 1-bit codes
        #expect(reason(stream(literalLengths: over)) == "the literal/length code is over-subscribed")
        var incomplete = [Int](repeating: 0, count: 257)
        incomplete[0] = 2; incomplete[256] = 1 // 1/4 + 1/2 < 1
        #expect(reason(stream(literalLengths: incomplete)) == "the literal/length code is incomplete")
        var noEnd = [Int](repeating: 0, count: 257)
        noEnd[0] = 1; noEnd[1] = 1
        #expect(reason(stream(literalLengths: noEnd)) == "the end-of-block code is missing")
    }

    @Test func repeatWithoutPreviousLength() {
        var p = BitPacker()
        // Code-length code with 16 and 0 given one bit each: 0 → 0, 16 → 1.
        dynamicHeader(&p, [1, 0, 0, 1])
        p.code(1, 1); p.bits(0, 2)
        #expect(reason(p.zlib(adlerOf: [])) == "code length 16 repeats nothing")
    }

    @Test func truncationAndChecksum() {
        let good: [UInt8] = [0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 1, 2, 3, 4, 0x00, 0x18, 0x00, 0x0B]
        #expect(reason(good) == nil)
        for cut in 0..<good.count {
            #expect(throws: PNGError.self) { _ = try Inflate.zlibDecompress(Array(good.prefix(cut))) }
        }
        var bad = good
        bad[14] ^= 1
        #expect(throws: PNGError.streamChecksumMismatch(chunk: "zlib", declared: 0x0018_000A, computed: 0x0018_000B)) {
            _ = try Inflate.zlibDecompress(bad)
        }
        #expect(throws: PNGError.tooMuchData(chunk: "zlib", offset: 7, limit: 3)) {
            _ = try Inflate.zlibDecompress(good, limit: 3)
        }
    }

    @Test func badHeaders() {
        #expect(reason([0x79, 0x01]) == "compression method 9 is not deflate")
        #expect(reason([0x88, 0x01]) == "window size 2^16 exceeds 32 KiB")
        #expect(reason([0x78, 0x00]) == "header check bits are wrong")
        #expect(reason([0x78, 0xBB]) == "a preset dictionary is required") // 0x78BB = 31 × 997
    }
}
