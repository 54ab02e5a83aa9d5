/// The entropy-coded data of one scan with the byte stuffing removed (T.81 B.1.1.5):
/// every `FF 00` becomes `FF`, fill bytes `FF FF…` before a marker are dropped, and the
/// restart markers `RST0…RST7` are cut out and remembered as positions.
///
/// Reading bits from this clean buffer needs no marker checks in the hot loop; `bytes`
/// carries `padding` zero bytes after the data so 8-byte loads never run off the end.
struct EntropySegment {
    /// Number of zero bytes appended after the data.
    static let padding = 16

    /// Unstuffed data followed by `padding` zero bytes.
    var bytes: [UInt8]
    /// Count of real data bytes (without padding).
    var count: Int
    /// For each restart marker found: the index in `bytes` where the data after it starts,
    /// and the marker number (0…7).
    var restarts: [(position: Int, number: Int)]
    /// File offset of the first byte of the segment.
    var fileStart: Int
    /// File offset just past the segment: the `FF` of the marker that ends it, or the file end.
    var fileEnd: Int

    /// Reads the segment that starts at `start` in `file`.
    init(file: UnsafeBufferPointer<UInt8>, start: Int) {
        var out = [UInt8]()
        out.reserveCapacity(max(0, file.count - start) + EntropySegment.padding)
        var restarts: [(position: Int, number: Int)] = []
        var i = start
        let n = file.count
        var end = n
        // Copy runs without 0xFF in bulk; handle 0xFF sequences one by one.
        while i < n {
            var j = i
            while j < n && file[j] != 0xFF { j += 1 }
            if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: file[i..<j])) }
            if j >= n { i = n; break }
            // file[j] == 0xFF: skip fill bytes.
            var k = j + 1
            while k < n && file[k] == 0xFF { k += 1 }
            if k >= n { i = n; end = j; break }
            let next = file[k]
            if next == 0x00 {
                out.append(0xFF)
                i = k + 1
            } else if next >= 0xD0 && next <= 0xD7 {
                restarts.append((position: out.count, number: Int(next - 0xD0)))
                i = k + 1
            } else {
                end = k - 1  // the 0xFF just before the marker code
                i = k - 1
                break
            }
        }
        if i >= n && end == n { end = n }
        self.count = out.count
        out.append(contentsOf: repeatElement(0, count: EntropySegment.padding))
        self.bytes = out
        self.restarts = restarts
        self.fileStart = start
        self.fileEnd = end
    }

    /// The file offset of unstuffed byte `position` (for error messages), found by
    /// re-walking the stuffed data.
    func fileOffset(of position: Int, in file: UnsafeBufferPointer<UInt8>) -> Int {
        var produced = 0
        var i = fileStart
        while i < fileEnd {
            if produced >= position { return i }
            if file[i] == 0xFF {
                var k = i + 1
                while k < fileEnd && file[k] == 0xFF { k += 1 }
                if k < file.count && file[k] == 0x00 { produced += 1; i = k + 1; continue }
                i = k + 1
                continue
            }
            produced += 1
            i += 1
        }
        return fileEnd
    }
}

/// A big-endian bit reader over one restart interval of an ``EntropySegment``.
///
/// `buffer` holds `count` valid bits, left-aligned (the next bit is bit 63). Refilling
/// loads 8 bytes at once while they lie inside the interval; past its end it feeds zero
/// bytes (as libjpeg does) and counts them, so the caller can tell that the data was short.
struct BitReader {
    /// Start of the segment's bytes (valid for `end + EntropySegment.padding` bytes).
    let base: UnsafePointer<UInt8>
    /// Next byte to load.
    var position: Int
    /// End of this interval's data.
    let end: Int
    /// Left-aligned bit buffer.
    var buffer: UInt64 = 0
    /// Valid bits in `buffer`.
    var count: Int = 0

    /// A reader over bytes `start..<end` of `base`.
    init(base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.base = base
        self.position = start
        self.end = end
    }

    /// Makes at least 56 bits valid.
    @inline(__always)
    mutating func refill() {
        if position &+ 8 <= end {
            let raw = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            buffer |= UInt64(bigEndian: raw) &>> UInt64(count)
            let taken = (63 &- count) &>> 3
            position &+= taken
            count &+= taken &<< 3
        } else {
            (position, buffer, count) = BitReader.refillSlowly(base: base, position: position, end: end,
                                                               buffer: buffer, count: count)
        }
    }

    /// Byte-by-byte refill near the end of the interval, feeding zeros past it. Takes and
    /// returns plain values (returned in registers) so the caller's reader never has to live
    /// in memory.
    @inline(never)
    static func refillSlowly(base: UnsafePointer<UInt8>, position: Int, end: Int,
                             buffer: UInt64, count: Int) -> (Int, UInt64, Int) {
        var position = position, buffer = buffer, count = count
        while count <= 56 {
            let byte: UInt64 = position < end ? UInt64(base[position]) : 0
            buffer |= byte &<< UInt64(56 - count)
            position += 1
            count += 8
        }
        return (position, buffer, count)
    }

    /// Bits consumed so far beyond the real data of the interval (0 if none).
    func overrun(start: Int) -> Int {
        let consumed = (position - start) * 8 - count
        return consumed - (end - start) * 8
    }

    /// Reads `n` (0…16) bits as an unsigned value; the buffer must hold them.
    @inline(__always)
    mutating func bits(_ n: Int) -> Int {
        let value = Int(truncatingIfNeeded: (buffer &>> 1) &>> UInt64(63 &- n))
        buffer = buffer &<< UInt64(n)
        count &-= n
        return value
    }

    /// Drops `n` bits.
    @inline(__always)
    mutating func skip(_ n: Int) {
        buffer = buffer &<< UInt64(n)
        count &-= n
    }
}
