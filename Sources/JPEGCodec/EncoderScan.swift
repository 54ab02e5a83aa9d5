/// The single sequential scan: MCUs in raster order, blocks within an MCU component by
/// component and row by row, DC predictions per component, restart markers
/// RST0…RST7 before every `restartInterval`-th MCU (after the first) with the
/// predictions reset, as libjpeg's `encode_mcu_huff` / `emit_restart` do.
enum EncoderScan {
    /// Visits every block in scan order: `visit(component, blockOffset, dcDifference)`;
    /// `restart(number)` is called before each restart marker.
    @inline(__always)
    static func forEachBlock(frame: EncoderFrame, coefficients: EncoderPipeline.Coefficients,
                             restart: (Int) -> Void,
                             visit: (Int, UnsafePointer<Int16>, Int32) -> Void) {
        let components = frame.components
        var predictions = [Int32](repeating: 0, count: components.count)
        let interval = frame.restartInterval
        var restartsToGo = interval
        var restartNumber = 0
        withBlockPointers(coefficients) { bases in
            for mcuRow in 0..<frame.mcuRows {
                for mcuColumn in 0..<frame.mcusPerRow {
                    if interval > 0 {
                        if restartsToGo == 0 {
                            restart(restartNumber)
                            restartNumber = (restartNumber + 1) & 7
                            restartsToGo = interval
                            for c in predictions.indices { predictions[c] = 0 }
                        }
                        restartsToGo -= 1
                    }
                    for (c, component) in components.enumerated() {
                        let h = component.horizontalFactor, v = component.verticalFactor
                        for y in 0..<v {
                            let row = mcuRow * v + y
                            for x in 0..<h {
                                let block = bases[c] + 64 * (row * component.gridWidth + mcuColumn * h + x)
                                let dc = Int32(block[0])
                                visit(c, block, dc - predictions[c])
                                predictions[c] = dc
                            }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with base pointers to every component's coefficient array.
    private static func withBlockPointers(_ coefficients: EncoderPipeline.Coefficients,
                                          _ body: ([UnsafePointer<Int16>]) -> Void) {
        func nest(_ index: Int, _ acc: [UnsafePointer<Int16>]) {
            if index == coefficients.count { body(acc); return }
            coefficients[index].withUnsafeBufferPointer { nest(index + 1, acc + [$0.baseAddress!]) }
        }
        nest(0, [])
    }

    /// Counts DC and AC symbols per Huffman slot (256 counts each) for optimal tables.
    static func gatherStatistics(frame: EncoderFrame, coefficients: EncoderPipeline.Coefficients)
        -> (dc: [[Int]], ac: [[Int]]) {
        let slots = frame.components.map(\.huffmanSlot).max()! + 1
        var dcCounts = [Int](repeating: 0, count: 256 * slots)
        var acCounts = [Int](repeating: 0, count: 256 * slots)
        let slotOf = frame.components.map(\.huffmanSlot)
        dcCounts.withUnsafeMutableBufferPointer { dc in
        acCounts.withUnsafeMutableBufferPointer { ac in
            forEachBlock(frame: frame, coefficients: coefficients, restart: { _ in }) { c, block, diff in
                let slot = slotOf[c]
                EncoderHuffmanCoder.count(block, dcDifference: diff,
                                          dcCounts: dc.baseAddress! + 256 * slot,
                                          acCounts: ac.baseAddress! + 256 * slot)
            }
        }}
        return ((0..<slots).map { Array(dcCounts[256 * $0..<256 * ($0 + 1)]) },
                (0..<slots).map { Array(acCounts[256 * $0..<256 * ($0 + 1)]) })
    }

    /// Huffman-codes the scan, appending to `writer`, and pads the final byte.
    static func encode(frame: EncoderFrame, coefficients: EncoderPipeline.Coefficients,
                       dcTables: [EncoderHuffmanTable], acTables: [EncoderHuffmanTable],
                       writer: inout JPEGBitWriter) {
        // Flatten the tables: slot s at offset 256·s.
        let dcCodes = dcTables.flatMap(\.codes), dcLengths = dcTables.flatMap(\.lengths)
        let acCodes = acTables.flatMap(\.codes), acLengths = acTables.flatMap(\.lengths)
        let slotOf = frame.components.map(\.huffmanSlot)
        dcCodes.withUnsafeBufferPointer { dcc in
        dcLengths.withUnsafeBufferPointer { dcl in
        acCodes.withUnsafeBufferPointer { acc in
        acLengths.withUnsafeBufferPointer { acl in
            forEachBlock(frame: frame, coefficients: coefficients,
                         restart: { number in writer.writeMarker(EncoderMarkers.rst0 + UInt8(number)) }) {
                c, block, diff in
                let offset = 256 * slotOf[c]
                EncoderHuffmanCoder.encode(block, dcDifference: diff,
                                           dc: dcc.baseAddress! + offset, dcLengths: dcl.baseAddress! + offset,
                                           ac: acc.baseAddress! + offset, acLengths: acl.baseAddress! + offset,
                                           writer: &writer)
            }
        }}}}
        writer.flush()
    }
}
