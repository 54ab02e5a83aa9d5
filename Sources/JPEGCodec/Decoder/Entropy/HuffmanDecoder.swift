/// A Huffman table prepared for decoding (libjpeg's "derived table", T.81 F.2.2.3).
///
/// Layout, for a bit buffer whose next code starts at its most significant bit:
/// - `lookup` has `1 << lookupBits` entries indexed by the next `lookupBits` (10) bits. An
///   entry is `length << 8 | symbol` for codes of length ≤ 10 (every 10-bit pattern that
///   starts with the code holds the same entry); 0 means the code is longer.
/// - Longer codes use the canonical-code bounds: `maxCode[l]` is the largest code of length
///   `l` (−1 if none; `maxCode[17]` is a sentinel) and `symbols[code + valueOffset[l]]` its symbol.
struct HuffmanDecoder: Sendable {
    /// Bits looked at by the first-level table (10 measured faster than 9 or 11 on a
    /// 12 MP q85 photo: more coefficients fit the fast path, the tables still fit L1).
    static let lookupBits = 10

    /// `1 << lookupBits` entries: `length << 8 | symbol`, or 0 for a long code.
    var lookup: [UInt16]
    /// Largest code of each length 0…17 (index 0 unused, 17 a sentinel).
    var maxCode: [Int32]
    /// `symbols` index minus code, per length.
    var valueOffset: [Int32]
    /// Symbols in code order, padded to 256 entries so every index from a valid table is in range.
    var symbols: [UInt8]

    /// Builds the decoding tables, checking the table the way libjpeg's
    /// `jpeg_make_d_derived_tbl` does.
    /// - Parameters:
    ///   - spec: code counts and symbols.
    ///   - isDC: DC tables may only hold symbols 0…15.
    ///   - offset: byte offset reported in errors.
    init(_ spec: HuffmanSpec, isDC: Bool, offset: Int) throws(JPEGError) {
        guard spec.counts.count == 16 else {
            throw .badHuffmanTable(offset: offset, reason: "it needs 16 code-length counts")
        }
        let total = spec.counts.reduce(0) { $0 + Int($1) }
        guard total <= 256, total <= spec.symbols.count else {
            throw .badHuffmanTable(offset: offset, reason: "it declares \(total) codes")
        }
        if isDC, let big = spec.symbols.prefix(total).first(where: { $0 > 15 }) {
            throw .badHuffmanTable(offset: offset, reason: "DC symbol \(big) is larger than 15")
        }
        var lookup = [UInt16](repeating: 0, count: 1 << HuffmanDecoder.lookupBits)
        var maxCode = [Int32](repeating: -1, count: 18)
        var valueOffset = [Int32](repeating: 0, count: 18)
        var code = 0
        var index = 0
        for length in 1...16 {
            let n = Int(spec.counts[length - 1])
            if n > 0 {
                valueOffset[length] = Int32(index - code)
                for _ in 0..<n {
                    // Checked before the code is used: an over-subscribed length would
                    // otherwise fill lookup entries past the end of the table.
                    if code >= (1 << length) {
                        throw .badHuffmanTable(offset: offset, reason: "the code lengths are over-subscribed")
                    }
                    if length <= HuffmanDecoder.lookupBits {
                        let shift = HuffmanDecoder.lookupBits - length
                        let first = code << shift
                        let entry = UInt16(length << 8) | UInt16(spec.symbols[index])
                        for fill in first..<(first + (1 << shift)) { lookup[fill] = entry }
                    }
                    code += 1
                    index += 1
                }
                maxCode[length] = Int32(code - 1)
            }
            // The next free code must still fit in `length` bits: no code may be all ones
            // (libjpeg rejects such tables), and a table can never be over-subscribed.
            if code >= (1 << length) {
                throw .badHuffmanTable(offset: offset, reason: "the code lengths are over-subscribed")
            }
            code <<= 1
        }
        maxCode[17] = Int32.max
        var symbols = [UInt8](repeating: 0, count: 256)
        for i in 0..<total { symbols[i] = spec.symbols[i] }
        self.lookup = lookup
        self.maxCode = maxCode
        self.valueOffset = valueOffset
        self.symbols = symbols
    }
}
