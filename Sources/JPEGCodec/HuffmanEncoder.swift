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

    /// Bit k set when the zigzag-k AC coefficient (k = 1…63) of a natural-order block is
    /// nonzero. Unrolled with literal offsets (the zigzag table, T.81 figure A.6) so that
    /// it compiles to branch-free loads and compares.
    @inline(__always)
    static func nonzeroMask(_ b: UnsafePointer<Int16>) -> UInt64 {
        var m: UInt64 = 0
        m |= (b[1] != 0 ? 1 : 0) << 1
        m |= (b[8] != 0 ? 1 : 0) << 2
        m |= (b[16] != 0 ? 1 : 0) << 3
        m |= (b[9] != 0 ? 1 : 0) << 4
        m |= (b[2] != 0 ? 1 : 0) << 5
        m |= (b[3] != 0 ? 1 : 0) << 6
        m |= (b[10] != 0 ? 1 : 0) << 7
        m |= (b[17] != 0 ? 1 : 0) << 8
        m |= (b[24] != 0 ? 1 : 0) << 9
        m |= (b[32] != 0 ? 1 : 0) << 10
        m |= (b[25] != 0 ? 1 : 0) << 11
        m |= (b[18] != 0 ? 1 : 0) << 12
        m |= (b[11] != 0 ? 1 : 0) << 13
        m |= (b[4] != 0 ? 1 : 0) << 14
        m |= (b[5] != 0 ? 1 : 0) << 15
        m |= (b[12] != 0 ? 1 : 0) << 16
        m |= (b[19] != 0 ? 1 : 0) << 17
        m |= (b[26] != 0 ? 1 : 0) << 18
        m |= (b[33] != 0 ? 1 : 0) << 19
        m |= (b[40] != 0 ? 1 : 0) << 20
        m |= (b[48] != 0 ? 1 : 0) << 21
        m |= (b[41] != 0 ? 1 : 0) << 22
        m |= (b[34] != 0 ? 1 : 0) << 23
        m |= (b[27] != 0 ? 1 : 0) << 24
        m |= (b[20] != 0 ? 1 : 0) << 25
        m |= (b[13] != 0 ? 1 : 0) << 26
        m |= (b[6] != 0 ? 1 : 0) << 27
        m |= (b[7] != 0 ? 1 : 0) << 28
        m |= (b[14] != 0 ? 1 : 0) << 29
        m |= (b[21] != 0 ? 1 : 0) << 30
        m |= (b[28] != 0 ? 1 : 0) << 31
        m |= (b[35] != 0 ? 1 : 0) << 32
        m |= (b[42] != 0 ? 1 : 0) << 33
        m |= (b[49] != 0 ? 1 : 0) << 34
        m |= (b[56] != 0 ? 1 : 0) << 35
        m |= (b[57] != 0 ? 1 : 0) << 36
        m |= (b[50] != 0 ? 1 : 0) << 37
        m |= (b[43] != 0 ? 1 : 0) << 38
        m |= (b[36] != 0 ? 1 : 0) << 39
        m |= (b[29] != 0 ? 1 : 0) << 40
        m |= (b[22] != 0 ? 1 : 0) << 41
        m |= (b[15] != 0 ? 1 : 0) << 42
        m |= (b[23] != 0 ? 1 : 0) << 43
        m |= (b[30] != 0 ? 1 : 0) << 44
        m |= (b[37] != 0 ? 1 : 0) << 45
        m |= (b[44] != 0 ? 1 : 0) << 46
        m |= (b[51] != 0 ? 1 : 0) << 47
        m |= (b[58] != 0 ? 1 : 0) << 48
        m |= (b[59] != 0 ? 1 : 0) << 49
        m |= (b[52] != 0 ? 1 : 0) << 50
        m |= (b[45] != 0 ? 1 : 0) << 51
        m |= (b[38] != 0 ? 1 : 0) << 52
        m |= (b[31] != 0 ? 1 : 0) << 53
        m |= (b[39] != 0 ? 1 : 0) << 54
        m |= (b[46] != 0 ? 1 : 0) << 55
        m |= (b[53] != 0 ? 1 : 0) << 56
        m |= (b[60] != 0 ? 1 : 0) << 57
        m |= (b[61] != 0 ? 1 : 0) << 58
        m |= (b[54] != 0 ? 1 : 0) << 59
        m |= (b[47] != 0 ? 1 : 0) << 60
        m |= (b[55] != 0 ? 1 : 0) << 61
        m |= (b[62] != 0 ? 1 : 0) << 62
        m |= (b[63] != 0 ? 1 : 0) << 63
        return m
    }

    /// Writes one block; `dcDifference` is its DC minus the predictor.
    @inline(__always)
    static func encode(_ block: UnsafePointer<Int16>, dcDifference: Int32,
                       dc: UnsafePointer<UInt32>, dcLengths: UnsafePointer<UInt8>,
                       ac: UnsafePointer<UInt32>, acLengths: UnsafePointer<UInt8>,
                       zigzag: UnsafePointer<Int>, writer: inout JPEGBitWriter) {
        let dcSize = category(dcDifference)
        writer.write((dc[dcSize] << UInt32(dcSize)) | extraBits(dcDifference, category: dcSize),
                     count: Int(dcLengths[dcSize]) + dcSize)
        // Visit only the nonzero coefficients, in zigzag order.
        var mask = nonzeroMask(block)
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
                      zigzag: UnsafePointer<Int>) {
        dcCounts[category(dcDifference)] += 1
        var mask = nonzeroMask(block)
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
