/// A length-limited canonical Huffman code for the encoder: code lengths from symbol
/// frequencies, then the canonical codes of RFC 1951 §3.2.2, stored bit-reversed so the
/// LSB-first bit writer can emit them directly.
struct HuffmanCode {
    /// Code length per symbol (0 = symbol unused).
    var lengths: [UInt8]
    /// Bit-reversed canonical code per symbol.
    var codes: [UInt16]

    /// Builds an optimal-ish code with no length above `limit` for `frequencies`.
    ///
    /// Lengths come from a Huffman tree (two-queue construction over the sorted leaves);
    /// if the tree is deeper than `limit`, leaves are clamped and the Kraft sum is repaired
    /// by pushing the deepest shorter leaves one level down, then any slack is refilled by
    /// lifting the deepest leaves, so the code is always complete (every used symbol gets a
    /// length in 1...limit and Σ 2^-len = 1 when at least two symbols are used). A lone
    /// used symbol gets length 1 and a second symbol (its neighbour) is given length 1 too,
    /// since decoders such as zlib reject incomplete literal/length codes.
    init(frequencies: [UInt32], limit: Int) {
        let n = frequencies.count
        var used: [Int] = []
        used.reserveCapacity(n)
        for s in 0..<n where frequencies[s] > 0 { used.append(s) }
        var lengths = [UInt8](repeating: 0, count: n)
        if used.count <= 1 {
            let s = used.first ?? 0
            lengths[s] = 1
            lengths[s == 0 ? 1 : 0] = 1
            self.lengths = lengths
            self.codes = HuffmanCode.canonicalCodes(lengths)
            return
        }
        // Sort by frequency, ties by symbol, ascending.
        used.sort { frequencies[$0] != frequencies[$1] ? frequencies[$0] < frequencies[$1] : $0 < $1 }
        let m = used.count
        // Nodes 0..<m are leaves (in sorted order), m..<2m-1 internal nodes.
        var weight = [UInt64](repeating: 0, count: 2 * m - 1)
        var parent = [Int](repeating: 0, count: 2 * m - 1)
        for i in 0..<m { weight[i] = UInt64(frequencies[used[i]]) }
        var leaf = 0, inner = m, next = m
        func takeSmallest() -> Int {
            if leaf < m && (inner >= next || weight[leaf] <= weight[inner]) {
                leaf += 1
                return leaf - 1
            }
            inner += 1
            return inner - 1
        }
        while next < 2 * m - 1 {
            let x = takeSmallest()
            let y = takeSmallest()
            weight[next] = weight[x] + weight[y]
            parent[x] = next
            parent[y] = next
            next += 1
        }
        var depth = [Int](repeating: 0, count: 2 * m - 1)
        var node = 2 * m - 3
        while node >= 0 {
            depth[node] = depth[parent[node]] + 1
            node -= 1
        }
        // Count leaves per length, clamped to the limit.
        var count = [Int](repeating: 0, count: limit + 1)
        for i in 0..<m { count[min(depth[i], limit)] += 1 }
        let full = 1 << limit
        var kraft = 0
        for l in 1...limit { kraft += count[l] << (limit - l) }
        while kraft > full {
            var l = limit - 1
            while count[l] == 0 { l -= 1 }
            count[l] -= 1
            count[l + 1] += 1
            kraft -= 1 << (limit - l - 1)
        }
        while kraft < full {
            var l = limit
            while l > 1 && (count[l] == 0 || (1 << (limit - l)) > full - kraft) { l -= 1 }
            count[l] -= 1
            count[l - 1] += 1
            kraft += 1 << (limit - l)
        }
        // Longest lengths to the rarest symbols (used[] is ascending by frequency).
        var i = 0
        var l = limit
        while l >= 1 {
            for _ in 0..<count[l] {
                lengths[used[i]] = UInt8(l)
                i += 1
            }
            l -= 1
        }
        self.lengths = lengths
        self.codes = HuffmanCode.canonicalCodes(lengths)
    }

    /// A code with the given lengths (used for the fixed codes of RFC 1951 §3.2.6).
    init(lengths: [UInt8]) {
        self.lengths = lengths
        self.codes = HuffmanCode.canonicalCodes(lengths)
    }

    /// Canonical codes (RFC 1951 §3.2.2), each bit-reversed within its length.
    static func canonicalCodes(_ lengths: [UInt8]) -> [UInt16] {
        var count = [Int](repeating: 0, count: 16)
        for l in lengths where l > 0 { count[Int(l)] += 1 }
        var nc = [Int](repeating: 0, count: 16)
        var code = 0
        for bits in 1...15 {
            code = (code + (bits > 1 ? count[bits - 1] : 0)) << 1
            nc[bits] = code
        }
        var codes = [UInt16](repeating: 0, count: lengths.count)
        for s in 0..<lengths.count {
            let l = Int(lengths[s])
            guard l > 0 else { continue }
            var c = nc[l]
            nc[l] += 1
            var r = 0
            for _ in 0..<l {
                r = (r << 1) | (c & 1)
                c >>= 1
            }
            codes[s] = UInt16(r)
        }
        return codes
    }

    /// Total bits to code `frequencies` with these lengths.
    func cost(_ frequencies: [UInt32]) -> Int {
        var total = 0
        for s in 0..<frequencies.count { total += Int(frequencies[s]) * Int(lengths[s]) }
        return total
    }
}
