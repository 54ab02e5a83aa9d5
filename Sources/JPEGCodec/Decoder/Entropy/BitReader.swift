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
