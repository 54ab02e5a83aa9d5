/// The single sequential scan: MCUs in raster order, blocks within an MCU component by
/// component and row by row, DC predictions per component, restart markers
/// RST0…RST7 before every `restartInterval`-th MCU (after the first) with the
/// predictions reset, as libjpeg's `encode_mcu_huff` / `emit_restart` do (and its
/// statistics pass `encode_mcu_gather`, which resets predictions the same way).
///
/// The scan walks one MCU row at a time over coefficients stored as
/// ``EncoderPipeline/Layout`` describes, so that it can follow the pipeline strip by
/// strip.
struct EncoderScan {
    /// Per block of an MCU: its component and its offset from the MCU's first block of
    /// that component.
    private var blockComponents: [Int] = []
    private var blockOffsets: [Int] = []
    /// Per component: offset between horizontally adjacent MCUs, and the Huffman slot.
    private var columnStrides: [Int] = []
    private var rowStrides: [Int] = []
    private var componentOffsets: [Int]
    private var huffmanSlots: [Int]
    private let mcusPerRow: Int
    private let interval: Int
    private var predictions: [Int32]
    private var restartsToGo: Int
    private var restartNumber = 0

    init(frame: EncoderFrame, layout: EncoderPipeline.Layout) {
        for (c, component) in frame.components.enumerated() {
            for y in 0..<component.verticalFactor {
                for x in 0..<component.horizontalFactor {
                    blockComponents.append(c)
                    blockOffsets.append(64 * (y * component.gridWidth + x))
                }
            }
            columnStrides.append(64 * component.horizontalFactor)
            rowStrides.append(64 * component.verticalFactor * component.gridWidth)
        }
        componentOffsets = layout.componentOffsets
        huffmanSlots = frame.components.map(\.huffmanSlot)
        mcusPerRow = frame.mcusPerRow
        interval = frame.restartInterval
        predictions = [Int32](repeating: 0, count: frame.components.count)
        restartsToGo = frame.restartInterval
    }

    /// Most bytes one MCU row can produce: per block 27 + 63 · 26 bits, doubled for
    /// stuffing, plus a restart marker per MCU.
    var worstCaseBytesPerRow: Int { mcusPerRow * (blockComponents.count * 420 + 4) }

    /// Restart bookkeeping before an MCU; returns the marker number to write, or nil.
    @inline(__always)
    private mutating func restartBeforeMCU() -> Int? {
        guard interval > 0 else { return nil }
        var marker: Int? = nil
        if restartsToGo == 0 {
            marker = restartNumber
            restartNumber = (restartNumber + 1) & 7
            restartsToGo = interval
            for c in predictions.indices { predictions[c] = 0 }
        }
        restartsToGo -= 1
        return marker
    }

    /// Huffman-codes MCU row `storedRow` of `coefficients`.
    mutating func encodeRow(_ coefficients: UnsafePointer<Int16>, storedRow: Int,
                            tables: EncoderScanTables, writer: inout JPEGBitWriter) {
        writer.reserve(worstCaseBytesPerRow)
        let blockCount = blockComponents.count
        // Per block of the MCU: pointer to its first coefficient in MCU column 0.
        var starts = [UnsafePointer<Int16>]()
        for b in 0..<blockCount {
            let c = blockComponents[b]
            starts.append(coefficients + componentOffsets[c] + storedRow * rowStrides[c] + blockOffsets[b])
        }
        var steps = [Int](), slots = [Int]()
        for b in 0..<blockCount { steps.append(columnStrides[blockComponents[b]]) }
        for b in 0..<blockCount { slots.append(huffmanSlots[blockComponents[b]]) }
        let components = blockComponents
        StandardTables.zigzag.withUnsafeBufferPointer { zigzag in
        ZigzagMask.rows.withUnsafeBufferPointer { zigzagBits in
        tables.codes.withUnsafeBufferPointer { codes in
        tables.lengths.withUnsafeBufferPointer { lengths in
            for column in 0..<mcusPerRow {
                if let marker = restartBeforeMCU() {
                    writer.writeMarker(EncoderMarkers.rst0 + UInt8(marker))
                }
                for b in 0..<blockCount {
                    let block = starts[b] + column * steps[b]
                    let c = components[b]
                    let dc = Int32(block[0])
                    let difference = dc - predictions[c]
                    predictions[c] = dc
                    // Slot s: DC table at 512·s, AC at 512·s + 256.
                    let dcBase = 512 * slots[b]
                    EncoderScan.encodeBlock(block, dcDifference: difference,
                                            codes: codes.baseAddress! + dcBase, lengths: lengths.baseAddress! + dcBase,
                                            zigzag: zigzag.baseAddress!, zigzagBits: zigzagBits.baseAddress!,
                                            sink: &writer.sink)
                }
            }
        }}}}
    }

    /// ``EncoderHuffmanCoder/encode(_:dcDifference:dc:dcLengths:ac:acLengths:zigzag:zigzagBits:writer:)``
    /// on a local copy of the sink. Kept out of line, as the decoder's `decodeBlock` is: as
    /// its own function the accumulator, free bits and output position stay in registers
    /// for the whole block instead of being stored to the writer after every code.
    /// - Parameters:
    ///   - codes, lengths: the slot's DC table, followed 256 entries later by its AC table.
    @inline(never)
    static func encodeBlock(_ block: UnsafePointer<Int16>, dcDifference: Int32,
                            codes: UnsafePointer<UInt32>, lengths: UnsafePointer<UInt8>,
                            zigzag: UnsafePointer<Int>, zigzagBits: UnsafePointer<UInt64>,
                            sink: inout JPEGBitSink) {
        var local = sink
        defer { sink = local }
        EncoderHuffmanCoder.encode(block, dcDifference: dcDifference, dc: codes, dcLengths: lengths,
                                   ac: codes + 256, acLengths: lengths + 256,
                                   zigzag: zigzag, zigzagBits: zigzagBits, writer: &local)
    }

    /// Counts the symbols of MCU row `storedRow`: `dcCounts`/`acCounts` hold 256 counts
    /// per Huffman slot.
    mutating func countRow(_ coefficients: UnsafePointer<Int16>, storedRow: Int,
                           dcCounts: UnsafeMutablePointer<Int>, acCounts: UnsafeMutablePointer<Int>) {
        StandardTables.zigzag.withUnsafeBufferPointer { zigzag in
        ZigzagMask.rows.withUnsafeBufferPointer { zigzagBits in
        for column in 0..<mcusPerRow {
            _ = restartBeforeMCU()
            for b in 0..<blockComponents.count {
                let c = blockComponents[b]
                let block = coefficients + componentOffsets[c] + storedRow * rowStrides[c]
                    + blockOffsets[b] + column * columnStrides[c]
                let dc = Int32(block[0])
                let difference = dc - predictions[c]
                predictions[c] = dc
                EncoderHuffmanCoder.count(block, dcDifference: difference,
                                          dcCounts: dcCounts + 256 * huffmanSlots[c],
                                          acCounts: acCounts + 256 * huffmanSlots[c],
                                          zigzag: zigzag.baseAddress!, zigzagBits: zigzagBits.baseAddress!)
            }
        }
        }}
    }
}
