/// Where a scan's entropy-coded data was found damaged while it was decoded (positions in
/// the unstuffed ``EntropySegment``); the marker parser turns them into ``JPEGWarning``s.
struct ScanDamage {
    /// Unstuffed position near the first bit pattern that was no Huffman code.
    var firstBadCode: Int?
    /// Unstuffed position where the data of an interval first ran out.
    var firstRanOut: Int?
    /// The last MCU row (iMCU row) in which an MCU was decoded with data left (libjpeg's
    /// `last_good_iMCU_row`, used by ``BlockSmoothing``).
    var lastGoodRow = 0
    /// The first restart point whose marker was missing or wrong: the RST number expected
    /// and the unstuffed position where it was looked for.
    var firstResync: (expected: Int, position: Int)?

    /// Records a restart point that needed resynchronisation (only the first is kept).
    mutating func noteResync(expected: Int, position: Int) {
        if firstResync == nil { firstResync = (expected, position) }
    }

    /// Records a bad code read by `reader` (only the first one is kept).
    mutating func noteBadCode(_ reader: BitReader) {
        if firstBadCode == nil { firstBadCode = max(0, reader.position - (reader.count + 7) / 8) }
    }

    /// Records that `reader`'s interval ran out (only the first one is kept).
    mutating func noteRanOut(_ reader: BitReader) {
        if firstRanOut == nil { firstRanOut = reader.end }
    }
}
