/// The entropy-coded-segment writer: bits packed most significant first into bytes,
/// every 0xFF data byte followed by a stuffed 0x00 (T.81 F.1.2.3), and the last partial
/// byte padded with 1 bits (libjpeg `flush_bits`).
///
/// Bits gather in a 64-bit accumulator (libjpeg-turbo's `put_buffer` scheme): when it is
/// full, its 8 bytes go out with one unaligned store unless one of them is 0xFF, in
/// which case they go out one by one with stuffing. After a flush the accumulator's
/// already-written high bits are left in place; they are shifted out by the next 64
/// bits. Output goes to a growable raw buffer owned by the writer (noncopyable, freed
/// in `deinit`); ``reserve(_:)`` must guarantee room before writing (each ``write(_:count:)``
/// may store up to 16 bytes).
///
/// The state that every write touches (output position, accumulator, free bits) is a
/// copyable ``JPEGBitSink``: the Huffman coder copies it into a local variable for a whole
/// block, so that it stays in registers, and hands it back (``sink``).
struct JPEGBitWriter: ~Copyable {
    private var capacity: Int
    /// The hot state; its `base` is the start of the output buffer.
    var sink: JPEGBitSink

    /// Bytes written so far.
    var count: Int { sink.count }

    /// Starts a writer whose output begins with `prefix` (the headers).
    init(prefix: [UInt8], capacity: Int) {
        self.capacity = max(capacity, prefix.count + 64)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
        prefix.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: prefix.count) }
        sink = JPEGBitSink(base: buffer, count: prefix.count)
    }

    deinit { sink.base.deallocate() }

    /// Makes room for at least `bytes` more output bytes.
    mutating func reserve(_ bytes: Int) {
        guard sink.count + bytes > capacity else { return }
        let newCapacity = max(capacity * 2, sink.count + bytes)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: sink.base, count: sink.count)
        sink.base.deallocate()
        sink.base = grown
        capacity = newCapacity
    }

    /// Appends the low `count` bits of `value` (1…32 bits; higher bits must be 0).
    @inline(__always)
    mutating func write(_ value: UInt32, count bitCount: Int) {
        sink.write(value, count: bitCount)
    }

    /// Pads the last partial byte with 1 bits and emits everything pending.
    mutating func flush() {
        reserve(32)
        var pending = 64 - sink.freeBits
        let padding = (8 - pending % 8) % 8
        var bits = sink.accumulator
        if padding > 0 {
            bits = (bits &<< UInt64(padding)) | ((1 << UInt64(padding)) - 1)
            pending += padding
        }
        while pending > 0 {
            pending -= 8
            let byte = UInt8(truncatingIfNeeded: bits &>> UInt64(pending))
            sink.base[sink.count] = byte
            sink.count += 1
            if byte == 0xFF { sink.base[sink.count] = 0; sink.count += 1 }
        }
        sink.accumulator = 0
        sink.freeBits = 64
    }

    /// Appends raw bytes (markers), after ``flush()``.
    mutating func appendRaw(_ bytes: [UInt8]) {
        precondition(sink.freeBits == 64, "flush before writing raw bytes")
        reserve(bytes.count)
        for byte in bytes { sink.base[sink.count] = byte; sink.count += 1 }
    }

    /// Flushes, then appends the marker `0xFF, code` (no stuffing).
    mutating func writeMarker(_ code: UInt8) {
        flush()
        appendRaw([0xFF, code])
    }

    /// The bytes written so far.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: sink.base, count: sink.count))
    }
}

/// The part of ``JPEGBitWriter`` that each write updates: where the next byte goes and the
/// pending bits. A plain value, so a coder can keep a copy in registers while it writes
/// into room that ``JPEGBitWriter/reserve(_:)`` made, then store it back.
struct JPEGBitSink {
    /// Start of the output buffer.
    var base: UnsafeMutablePointer<UInt8>
    /// Bytes written so far.
    var count: Int
    /// Pending bits in the low `64 − freeBits` bits.
    var accumulator: UInt64 = 0
    /// Room left in the accumulator, 1…64.
    var freeBits: Int = 64

    /// Appends the low `count` bits of `value` (1…32 bits; higher bits must be 0).
    @inline(__always)
    mutating func write(_ value: UInt32, count bitCount: Int) {
        if bitCount < freeBits {
            accumulator = (accumulator &<< UInt64(truncatingIfNeeded: bitCount)) | UInt64(value)
            freeBits &-= bitCount
        } else {
            let remaining = bitCount &- freeBits
            let word = (accumulator &<< UInt64(truncatingIfNeeded: freeBits))
                | UInt64(value &>> UInt32(truncatingIfNeeded: remaining))
            storeWord(word)
            accumulator = UInt64(value)
            freeBits = 64 &- remaining
        }
    }

    /// Writes 8 bytes, big-endian, stuffing after any 0xFF.
    @inline(__always)
    private mutating func storeWord(_ word: UInt64) {
        let inverted = ~word
        let hasFF = (inverted &- 0x0101_0101_0101_0101) & ~inverted & 0x8080_8080_8080_8080
        if hasFF == 0 {
            UnsafeMutableRawPointer(base + count).storeBytes(of: word.bigEndian, as: UInt64.self)
            count &+= 8
        } else {
            count = JPEGBitSink.storeStuffed(word, base: base, count: count)
        }
    }

    /// The 8 bytes of `word` one by one with a 0x00 after each 0xFF; returns the new count.
    /// Out of line: rare (a word of random bits holds a 0xFF byte about 3 % of the time), and
    /// it keeps the hot loop small.
    @inline(never)
    static func storeStuffed(_ word: UInt64, base: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var count = count
        var shift: UInt64 = 56
        for _ in 0..<8 {
            let byte = UInt8(truncatingIfNeeded: word &>> shift)
            base[count] = byte
            count &+= 1
            if byte == 0xFF { base[count] = 0; count &+= 1 }
            shift &-= 8
        }
        return count
    }
}
