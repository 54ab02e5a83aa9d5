/// The code lengths and symbols of one Huffman table as a DHT segment (or Annex K) gives them.
struct HuffmanSpec: Sendable, Equatable {
    /// `counts[l - 1]` codes of length l, l = 1…16.
    var counts: [UInt8]
    /// The symbols in code order.
    var symbols: [UInt8]
}
