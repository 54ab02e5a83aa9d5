/// A two-level lookup table for decoding one canonical Huffman code (RFC 1951 §3.2.2).
///
/// Deflate sends codes most-significant bit first inside an LSB-first bit stream, so the
/// next `rootBits` bits of the stream (low bits of the bit buffer) are the bit-reversed
/// prefix of the code. Layout of `entries`:
///
/// ```
///  [0 ..< 2^rootBits)          root table, indexed by the next rootBits stream bits
///  [2^rootBits ..< count)      subtables, one per root prefix shared by codes longer
///                              than rootBits, indexed by the following subBits bits
/// ```
///
/// Each entry is a `UInt32`:
///
/// ```
///  bits 0–4   length: total bits the code occupies (leaf) or rootBits (link)
///  bits 5–6   kind: 0 leaf, 1 link to a subtable, 2 no code (invalid bit pattern)
///  bits 8–15  subBits of the linked subtable (links only)
///  bits 16–31 symbol (leaf) or subtable offset (link)
/// ```
///
/// A root entry for a code of length l ≤ rootBits is repeated 2^(rootBits − l) times;
/// likewise inside subtables. Construction rejects over-subscribed codes and incomplete
/// ones except a code with a single symbol of length 1 (RFC 1951 allows this for
/// distances; zlib accepts it for literal/length codes too); the unused pattern decodes as
/// "no code". The table holds at most 2^rootBits + (number of codes) × 2^(15 − rootBits)
/// entries, in practice a few hundred beyond the root.
struct HuffmanDecoder {
    /// Root index width.
    let rootBits: Int
    /// The table (see the type documentation).
    private(set) var entries: [UInt32]

    /// Why a set of code lengths is not a usable code.
    enum BuildError: Error {
        case overSubscribed
        case incomplete
    }

    static let kindLeaf: UInt32 = 0
    static let kindLink: UInt32 = 1
    static let kindInvalid: UInt32 = 2

    /// Builds the table for `lengths` (0 = unused, at most 15).
    /// - Parameters:
    ///   - lengths: Code length per symbol.
    ///   - rootBits: Root table index width.
    ///   - allowEmpty: Whether an all-zero set is allowed (distance codes of a block with
    ///     literals only).
    ///   - allowSingleCode: Whether one code of length 1 alone (an incomplete code) is
    ///     accepted; true for literal/length and distance codes, false for the code-length
    ///     code (as zlib does).
    init(lengths: ArraySlice<UInt8>, rootBits: Int, allowEmpty: Bool = false,
         allowSingleCode: Bool = true) throws(BuildError) {
        self.rootBits = rootBits
        var count = [Int](repeating: 0, count: 16)
        for l in lengths { count[Int(l)] += 1 }
        count[0] = 0
        var maxLength = 0
        for l in 1...15 where count[l] > 0 { maxLength = l }
        let invalid = HuffmanDecoder.kindInvalid << 5
        if maxLength == 0 {
            guard allowEmpty else { throw .incomplete }
            entries = [UInt32](repeating: invalid, count: 1 << rootBits)
            return
        }
        // Kraft check: `left` = unused code space at each length.
        var left = 1
        for l in 1...15 {
            left <<= 1
            left -= count[l]
            if left < 0 { throw .overSubscribed }
        }
        if left > 0 && !(allowSingleCode && maxLength == 1 && count[1] == 1) { throw .incomplete }

        // Canonical first code per length (RFC 1951 §3.2.2, with no count for length 0).
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for l in 1...15 {
            code = (code + (l > 1 ? count[l - 1] : 0)) << 1
            next[l] = code
        }

        // First pass: reversed code of every symbol, and the longest code per root prefix.
        let base = lengths.startIndex
        let n = lengths.count
        var reversed = [Int](repeating: 0, count: n)
        let rootSize = 1 << rootBits
        let rootMask = rootSize - 1
        var prefixMax = [Int](repeating: 0, count: maxLength > rootBits ? rootSize : 0)
        for s in 0..<n {
            let l = Int(lengths[base + s])
            guard l > 0 else { continue }
            var c = next[l]
            next[l] += 1
            var r = 0
            for _ in 0..<l {
                r = (r << 1) | (c & 1)
                c >>= 1
            }
            reversed[s] = r
            if l > rootBits {
                prefixMax[r & rootMask] = max(prefixMax[r & rootMask], l - rootBits)
            }
        }
        // Allocate subtables.
        var table = [UInt32](repeating: invalid, count: rootSize)
        var subOffset = [Int](repeating: 0, count: prefixMax.count)
        for p in 0..<prefixMax.count where prefixMax[p] > 0 {
            let sub = prefixMax[p]
            subOffset[p] = table.count
            table[p] = UInt32(table.count) << 16 | UInt32(sub) << 8 | HuffmanDecoder.kindLink << 5 | UInt32(rootBits)
            table.append(contentsOf: repeatElement(invalid, count: 1 << sub))
        }
        // Second pass: fill leaves.
        for s in 0..<n {
            let l = Int(lengths[base + s])
            guard l > 0 else { continue }
            let r = reversed[s]
            let leaf = UInt32(s) << 16 | UInt32(l)
            if l <= rootBits {
                var i = r
                while i < rootSize {
                    table[i] = leaf
                    i += 1 << l
                }
            } else {
                let p = r & rootMask
                let sub = prefixMax[p]
                let start = subOffset[p]
                let subLen = l - rootBits
                var i = r >> rootBits
                while i < (1 << sub) {
                    table[start + i] = leaf
                    i += 1 << subLen
                }
            }
        }
        entries = table
    }
}
