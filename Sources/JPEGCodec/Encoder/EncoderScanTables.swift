/// The Huffman tables of a scan flattened for the coder: slot `s` has its DC codes at
/// `512 · s` and AC codes at `512 · s + 256`, lengths likewise.
struct EncoderScanTables: Sendable {
    var codes: [UInt32] = []
    var lengths: [UInt8] = []

    init(dc: [EncoderHuffmanTable], ac: [EncoderHuffmanTable]) {
        for (dcTable, acTable) in zip(dc, ac) {
            codes += dcTable.codes + acTable.codes
            lengths += dcTable.lengths + acTable.lengths
        }
    }
}
