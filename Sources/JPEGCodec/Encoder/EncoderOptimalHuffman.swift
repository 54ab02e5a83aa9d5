/// Image-specific Huffman tables exactly as libjpeg builds them (jchuff.c
/// `jpeg_gen_optimal_table`, the procedure of T.81 K.2).
///
/// 1. A pseudo-symbol 256 with count 1 joins the alphabet, so that no real symbol gets
///    the all-ones code of the longest length.
/// 2. Huffman's algorithm merges the two least frequent trees until one is left. Ties
///    go to the larger symbol number: the first pick `c1` is the largest symbol among
///    those of least count, `c2` the largest of the rest of least count. The count of
///    `c2` moves to `c1`; every symbol in both trees gets one bit longer (`others`
///    chains the members of a tree).
/// 3. Lengths above 16 are cut by K.2's adjustment: take two symbols of the longest
///    length i, put one at i − 1, and turn a code of the longest shorter length j < i − 1
///    that is in use into a prefix for two codes of length j + 1.
/// 4. The pseudo-symbol's slot is removed from the longest length in use.
/// 5. `values` lists the symbols by their *unadjusted* length, then by symbol number.
enum EncoderOptimalHuffman {
    /// - Parameter frequencies: 256 symbol counts (0 for unused symbols).
    /// - Returns: the DHT `bits` (16 counts) and `values`.
    static func table(frequencies: [Int]) -> (bits: [UInt8], values: [UInt8]) {
        precondition(frequencies.count == 256)
        let maxLength = 32
        // Compact the nonzero symbols (plus symbol 256), keeping ascending order.
        var symbols: [Int] = []
        var freq: [Int] = []
        for symbol in 0..<256 where frequencies[symbol] != 0 {
            symbols.append(symbol)
            freq.append(frequencies[symbol])
        }
        symbols.append(256)
        freq.append(1)
        let n = symbols.count
        var codeSize = [Int](repeating: 0, count: n)
        var others = [Int](repeating: -1, count: n)
        let merged = Int.max

        while true {
            // c1: least count (largest index on ties); c2: next least.
            var c1 = -1, c2 = -1
            var v1 = Int.max - 1, v2 = Int.max - 1
            for i in 0..<n where freq[i] <= v2 {
                if freq[i] <= v1 {
                    c2 = c1; v2 = v1
                    c1 = i; v1 = freq[i]
                } else {
                    c2 = i; v2 = freq[i]
                }
            }
            if c2 < 0 { break }
            freq[c1] += freq[c2]
            freq[c2] = merged
            codeSize[c1] += 1
            while others[c1] >= 0 { c1 = others[c1]; codeSize[c1] += 1 }
            others[c1] = c2
            codeSize[c2] += 1
            while others[c2] >= 0 { c2 = others[c2]; codeSize[c2] += 1 }
        }

        var bits = [Int](repeating: 0, count: maxLength + 1)
        for i in 0..<n {
            precondition(codeSize[i] <= maxLength, "Huffman code length overflow")
            bits[codeSize[i]] += 1
        }
        // Symbols sorted by unadjusted code length, then by symbol number.
        var firstPosition = [Int](repeating: 0, count: maxLength + 1)
        var position = 0
        for length in 1...maxLength {
            firstPosition[length] = position
            position += bits[length]
        }
        // K.2 length limiting.
        var i = maxLength
        while i > 16 {
            while bits[i] > 0 {
                var j = i - 2
                while bits[j] == 0 { j -= 1 }
                bits[i] -= 2
                bits[i - 1] += 1
                bits[j + 1] += 2
                bits[j] -= 1
            }
            i -= 1
        }
        while bits[i] == 0 { i -= 1 }
        bits[i] -= 1

        var values = [UInt8](repeating: 0, count: n - 1)
        for index in 0..<(n - 1) {
            let length = codeSize[index]
            values[firstPosition[length]] = UInt8(symbols[index])
            firstPosition[length] += 1
        }
        return (bits[1...16].map { UInt8($0) }, values)
    }
}
