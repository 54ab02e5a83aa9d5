/// A Huffman table as the encoder uses it: the DHT contents (`bits`, `values`) and, for
/// every symbol, its code and code length (T.81 Annex C, libjpeg `jpeg_make_c_derived_tbl`).
struct EncoderHuffmanTable: Equatable, Sendable {
    /// Number of codes of each length 1…16 (the DHT `BITS` list).
    var bits: [UInt8]
    /// The symbols in order of increasing code length (the DHT `HUFFVAL` list).
    var values: [UInt8]
    /// `codes[symbol]`: the code, right-aligned; meaningless when `lengths[symbol] == 0`.
    var codes: [UInt32]
    /// `lengths[symbol]`: the code length in bits, 0 for a symbol without a code.
    var lengths: [UInt8]

    /// Builds the code of every symbol: codes of one length are consecutive, and the
    /// first code of the next length is the last one plus one, shifted left (T.81 C.2).
    init(bits: [UInt8], values: [UInt8]) {
        precondition(bits.count == 16)
        self.bits = bits
        self.values = values
        var codes = [UInt32](repeating: 0, count: 256)
        var lengths = [UInt8](repeating: 0, count: 256)
        var code: UInt32 = 0
        var index = 0
        for length in 1...16 {
            for _ in 0..<Int(bits[length - 1]) {
                let symbol = Int(values[index])
                codes[symbol] = code
                lengths[symbol] = UInt8(length)
                code += 1
                index += 1
            }
            code <<= 1
        }
        self.codes = codes
        self.lengths = lengths
    }

    /// Annex K table K.3 (luminance DC).
    static let standardLuminanceDC = EncoderHuffmanTable(
        bits: StandardTables.luminanceDCBits, values: StandardTables.luminanceDCValues)
    /// Annex K table K.5 (luminance AC).
    static let standardLuminanceAC = EncoderHuffmanTable(
        bits: StandardTables.luminanceACBits, values: StandardTables.luminanceACValues)
    /// Annex K table K.4 (chrominance DC).
    static let standardChrominanceDC = EncoderHuffmanTable(
        bits: StandardTables.chrominanceDCBits, values: StandardTables.chrominanceDCValues)
    /// Annex K table K.6 (chrominance AC).
    static let standardChrominanceAC = EncoderHuffmanTable(
        bits: StandardTables.chrominanceACBits, values: StandardTables.chrominanceACValues)
}
