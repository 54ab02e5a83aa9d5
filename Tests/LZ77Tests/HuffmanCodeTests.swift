import Testing
@testable import LZ77
import TestSupport

/// The length-limited Huffman code builder.
@Suite struct HuffmanCodeTests {
    /// Kraft sum Σ 2^(limit − length) over used symbols.
    static func kraft(_ lengths: [UInt8], _ limit: Int) -> Int {
        lengths.filter { $0 > 0 }.reduce(0) { $0 + 1 << (limit - Int($1)) }
    }

    @Test func fibonacciFrequenciesAreLimitedAndComplete() {
        // Fibonacci frequencies make an unlimited Huffman tree as deep as the alphabet.
        var f: [UInt32] = [1, 1]
        while f.count < 30 { f.append(f[f.count - 1] + f[f.count - 2]) }
        let code = HuffmanCode(frequencies: f + [UInt32](repeating: 0, count: 256), limit: 15)
        #expect(code.lengths.max()! == 15)
        #expect(HuffmanCodeTests.kraft(code.lengths, 15) == 1 << 15)
        #expect(f.indices.allSatisfy { code.lengths[$0] > 0 })
        // Rarer symbols never get shorter codes than more frequent ones.
        for i in 1..<f.count { #expect(code.lengths[i - 1] >= code.lengths[i]) }

        let small = HuffmanCode(frequencies: [UInt32](f.prefix(19)), limit: 7)
        #expect(small.lengths.max()! == 7)
        #expect(HuffmanCodeTests.kraft(small.lengths, 7) == 1 << 7)
    }

    @Test func degenerateAlphabets() {
        let none = HuffmanCode(frequencies: [0, 0, 0], limit: 15)
        #expect(none.lengths == [1, 1, 0])
        let one = HuffmanCode(frequencies: [0, 0, 9], limit: 15)
        #expect(one.lengths == [1, 0, 1])
        let two = HuffmanCode(frequencies: [3, 0, 9], limit: 15)
        #expect(two.lengths == [1, 0, 1])
    }

    @Test func canonicalCodesFollowRFC1951Example() {
        // RFC 1951 §3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) give codes 010, 011, 100, 101,
        // 110, 00, 1110, 1111; stored bit-reversed.
        let code = HuffmanCode(lengths: [3, 3, 3, 3, 3, 2, 4, 4])
        #expect(code.codes == [0b010, 0b110, 0b001, 0b101, 0b011, 0b00, 0b0111, 0b1111])
    }

    @Test func skewedDataRoundTrips() throws {
        // Bytes with Fibonacci frequencies in random order: the deflate blocks need the
        // 15-bit limit, and our strict inflater rejects any over-subscribed or incomplete code.
        var f: [Int] = [1, 1]
        while f.count < 24 { f.append(f[f.count - 1] + f[f.count - 2]) }
        var data: [UInt8] = []
        for (symbol, count) in f.enumerated() { data += [UInt8](repeating: UInt8(symbol * 7), count: count) }
        var rng = SplitMix64(seed: 5)
        data.shuffle(using: &rng)
        for parameters in [MatchParameters.fast, .standard, .best] {
            var z = Deflater.zlibCompress(data, parameters: parameters)
            let count = z.count
            z += [UInt8](repeating: 0, count: Inflater.inputPadding)
            let back = try z.withUnsafeBufferPointer { p throws(InflateError) in
                try Inflater.zlibDecompress(p.baseAddress!, count: count, limit: data.count)
            }
            #expect(back.array == data)
        }
    }
}
