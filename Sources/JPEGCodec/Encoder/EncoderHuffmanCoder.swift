/// Huffman coding of quantized blocks (T.81 F.1.2, libjpeg jchuff.c `encode_one_block`),
/// and the symbol counting of the statistics pass (`htest_one_block`) that feeds
/// ``EncoderOptimalHuffman``.
///
/// A block is 64 coefficients in natural order, visited in zigzag order through
/// ``zigzag`` (a copy of ``StandardTables/zigzag`` as `Int` offsets). DC: the difference from the previous
/// block of the component, coded as its size category then that many extra bits.
/// AC: runs of zeros and sizes as symbols `run << 4 | size`, 0xF0 for each 16 zeros
/// before a nonzero, 0x00 (end of block) when the block ends in zeros. A negative value
/// `v` is sent as the low `size` bits of `v − 1`.
enum EncoderHuffmanCoder {
    /// Number of bits of `|value|` (0 for 0): the size category.
    @inline(__always)
    static func category(_ value: Int32) -> Int {
        32 - Int(value.magnitude.leadingZeroBitCount)
    }

    /// The extra bits sent after a category symbol.
    @inline(__always)
    static func extraBits(_ value: Int32, category: Int) -> UInt32 {
        let adjusted = value < 0 ? value &- 1 : value
        return UInt32(bitPattern: adjusted) & ((1 << UInt32(category)) &- 1)
    }

    /// Writes one block; `dcDifference` is its DC minus the predictor. The sink must have
    /// room for the block (``JPEGBitWriter/reserve(_:)``).
    @inline(__always)
    static func encode(_ block: UnsafePointer<Int16>, dcDifference: Int32,
                       dc: UnsafePointer<UInt32>, dcLengths: UnsafePointer<UInt8>,
                       ac: UnsafePointer<UInt32>, acLengths: UnsafePointer<UInt8>,
                       zigzag: UnsafePointer<Int>, zigzagBits: UnsafePointer<UInt64>,
                       writer: inout JPEGBitSink) {
        let dcSize = category(dcDifference)
        writer.write((dc[dcSize] << UInt32(dcSize)) | extraBits(dcDifference, category: dcSize),
                     count: Int(dcLengths[dcSize]) + dcSize)
        // Visit only the nonzero coefficients, in zigzag order.
        var mask = ZigzagMask.nonzero(block, rows: zigzagBits) & ~1
        var last = 0
        while mask != 0 {
            let k = mask.trailingZeroBitCount
            mask &= mask &- 1
            var run = k &- last &- 1
            last = k
            while run > 15 {
                writer.write(ac[0xF0], count: Int(acLengths[0xF0]))
                run &-= 16
            }
            let value = Int32(block[zigzag[k]])
            let size = category(value)
            let symbol = run << 4 | size
            writer.write((ac[symbol] << UInt32(size)) | extraBits(value, category: size),
                         count: Int(acLengths[symbol]) + size)
        }
        if last < 63 { writer.write(ac[0], count: Int(acLengths[0])) }
    }

    /// Counts the symbols that ``encode`` would write for one block.
    @inline(__always)
    static func count(_ block: UnsafePointer<Int16>, dcDifference: Int32,
                      dcCounts: UnsafeMutablePointer<Int>, acCounts: UnsafeMutablePointer<Int>,
                      zigzag: UnsafePointer<Int>, zigzagBits: UnsafePointer<UInt64>) {
        dcCounts[category(dcDifference)] += 1
        var mask = ZigzagMask.nonzero(block, rows: zigzagBits) & ~1
        var last = 0
        while mask != 0 {
            let k = mask.trailingZeroBitCount
            mask &= mask &- 1
            var run = k &- last &- 1
            last = k
            while run > 15 {
                acCounts[0xF0] += 1
                run &-= 16
            }
            acCounts[run << 4 | category(Int32(block[zigzag[k]]))] += 1
        }
        if last < 63 { acCounts[0] += 1 }
    }
}
