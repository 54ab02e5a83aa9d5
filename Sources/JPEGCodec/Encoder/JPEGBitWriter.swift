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
struct JPEGBitWriter: ~Copyable {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count: Int
    /// Pending bits in the low `64 − freeBits` bits.
    private var accumulator: UInt64 = 0
    /// Room left in the accumulator, 1…64.
    private var freeBits: Int = 64

    /// Starts a writer whose output begins with `prefix` (the headers).
    init(prefix: [UInt8], capacity: Int) {
        self.capacity = max(capacity, prefix.count + 64)
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
        count = prefix.count
        prefix.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: prefix.count) }
    }

    deinit { buffer.deallocate() }

    /// Makes room for at least `bytes` more output bytes.
    mutating func reserve(_ bytes: Int) {
        guard count + bytes > capacity else { return }
        let newCapacity = max(capacity * 2, count + bytes)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = grown
        capacity = newCapacity
    }

    /// Appends the low `count` bits of `value` (1…32 bits; higher bits must be 0).
    @inline(__always)
    mutating func write(_ value: UInt32, count bitCount: Int) {
        if bitCount < freeBits {
            accumulator = (accumulator &<< UInt64(bitCount)) | UInt64(value)
            freeBits &-= bitCount
        } else {
            let remaining = bitCount &- freeBits
            let word = (accumulator &<< UInt64(freeBits)) | UInt64(value &>> UInt32(remaining))
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
            UnsafeMutableRawPointer(buffer + count).storeBytes(of: word.bigEndian, as: UInt64.self)
            count &+= 8
        } else {
            var shift: UInt64 = 56
            for _ in 0..<8 {
                let byte = UInt8(truncatingIfNeeded: word &>> shift)
                buffer[count] = byte
                count &+= 1
                if byte == 0xFF { buffer[count] = 0; count &+= 1 }
                shift &-= 8
            }
        }
    }

    /// Pads the last partial byte with 1 bits and emits everything pending.
    mutating func flush() {
        reserve(32)
        var pending = 64 - freeBits
        let padding = (8 - pending % 8) % 8
        var bits = accumulator
        if padding > 0 {
            bits = (bits &<< UInt64(padding)) | ((1 << UInt64(padding)) - 1)
            pending += padding
        }
        while pending > 0 {
            pending -= 8
            let byte = UInt8(truncatingIfNeeded: bits &>> UInt64(pending))
            buffer[count] = byte
            count += 1
            if byte == 0xFF { buffer[count] = 0; count += 1 }
        }
        accumulator = 0
        freeBits = 64
    }

    /// Appends raw bytes (markers), after ``flush()``.
    mutating func appendRaw(_ bytes: [UInt8]) {
        precondition(freeBits == 64, "flush before writing raw bytes")
        reserve(bytes.count)
        for byte in bytes { buffer[count] = byte; count += 1 }
    }

    /// Flushes, then appends the marker `0xFF, code` (no stuffing).
    mutating func writeMarker(_ code: UInt8) {
        flush()
        appendRaw([0xFF, code])
    }

    /// The bytes written so far.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: buffer, count: count))
    }
}
