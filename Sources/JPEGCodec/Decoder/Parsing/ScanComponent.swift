/// One component of a scan header (SOS, T.81 B.2.3).
struct ScanComponent: Sendable {
    /// Index of the component in the frame.
    var frameIndex: Int
    /// DC Huffman table selector Td (0…15 as coded; only 0…3 can be used).
    var dcTable: Int
    /// AC Huffman table selector Ta (0…15 as coded; only 0…3 can be used).
    var acTable: Int
}
