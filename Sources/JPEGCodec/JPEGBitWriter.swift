/// The entropy-coded-segment writer: bits packed most significant first into bytes,
/// every 0xFF data byte followed by a stuffed 0x00 (T.81 F.1.2.3), and the last partial
/// byte padded with 1 bits (libjpeg `flush_bits`).
///
/// Bits gather in a 64-bit accumulator; whenever 32 or more are pending, whole bytes
/// go out. A single ``write(_:count:)`` takes up to 32 bits.
struct JPEGBitWriter {
    /// The bytes written so far (markers included).
    var bytes: [UInt8]
    /// Pending bits, right-aligned.
    private var accumulator: UInt64 = 0
    /// Number of pending bits (< 32 between calls).
    private var pending: Int = 0

    /// Starts a writer that appends to `bytes`.
    init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Appends the low `count` bits of `value` (the higher bits must be 0).
    @inline(__always)
    mutating func write(_ value: UInt32, count: Int) {
        accumulator = (accumulator &<< UInt64(count)) | UInt64(value)
        pending &+= count
        if pending >= 32 { drain() }
    }

    /// Emits all whole bytes of the accumulator, stuffing 0x00 after 0xFF.
    @inline(__always)
    private mutating func drain() {
        while pending >= 8 {
            pending &-= 8
            let byte = UInt8(truncatingIfNeeded: accumulator &>> UInt64(pending))
            bytes.append(byte)
            if byte == 0xFF { bytes.append(0) }
        }
    }

    /// Pads the last partial byte with 1 bits and emits everything pending.
    mutating func flush() {
        let padding = (8 - pending % 8) % 8
        if padding > 0 { write((1 << UInt32(padding)) - 1, count: padding) }
        drain()
        accumulator = 0
    }

    /// Flushes, then appends the marker `0xFF, code` (no stuffing).
    mutating func writeMarker(_ code: UInt8) {
        flush()
        bytes.append(0xFF)
        bytes.append(code)
    }
}
