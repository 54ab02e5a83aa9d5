import LZ77

/// Little-endian encoding and bounds-checked decoding shared by the model file and checkpoints.
///
/// Both formats are wrapped in the same 20-byte envelope:
///
/// ```
/// offset  size  field
///      0     4  magic (ASCII, e.g. "UNJM")
///      4     2  format version (UInt16)
///      6     2  reserved, must be 0
///      8     8  payload length in bytes (UInt64)
///     16     4  CRC-32 (IEEE) of the payload
///     20     n  payload; the data ends exactly here
/// ```
enum Envelope {
    static let headerSize = 20

    /// `payload` wrapped in the envelope.
    static func wrap(magic: [UInt8], version: UInt16, payload: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: headerSize + payload.count)
        w.bytes.append(contentsOf: magic)
        w.u16(version)
        w.u16(0)
        w.u64(UInt64(payload.count))
        w.u32(payload.withUnsafeBytes { CRC32.checksum($0) })
        w.bytes.append(contentsOf: payload)
        return w.bytes
    }

    /// Checks magic, version, length and checksum; returns a reader positioned on the payload.
    static func open(_ data: [UInt8], magic: [UInt8], version supported: UInt16) throws(ModelFileError) -> ByteReader {
        let prefix = Array(data.prefix(4))
        if prefix != Array(magic.prefix(prefix.count)) {
            throw .foreignMagic(expected: magic, found: prefix)
        }
        var r = ByteReader(data, start: 0, end: data.count)
        _ = try r.take(4, field: "magic")
        let version = try r.u16()
        if version == 0 || version > supported {
            throw .unsupportedVersion(found: Int(version), supported: Int(supported))
        }
        let reservedOffset = r.offset
        let reserved = try r.u16()
        if reserved != 0 { throw .invalidValue(field: "reserved header field", value: UInt64(reserved), offset: reservedOffset) }
        let length = try r.u64()
        let crc = try r.u32()
        let available = data.count - headerSize
        if length > UInt64(available) {
            throw .truncated(offset: headerSize, needed: length > UInt64(Int.max) ? Int.max : Int(length), available: available)
        }
        if length < UInt64(available) {
            throw .trailingBytes(offset: headerSize + Int(length), count: available - Int(length))
        }
        let computed = CRC32.checksum(data, range: headerSize..<data.count)
        if computed != crc { throw .checksumMismatch(declared: crc, computed: computed) }
        return ByteReader(data, start: headerSize, end: data.count)
    }
}

/// Appends little-endian values to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int(_ v: Int) { u64(UInt64(v)) }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func bool(_ v: Bool) { u8(v ? 1 : 0) }

    /// A UInt32 byte length followed by the UTF-8 bytes.
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A UInt64 element count followed by the elements as Float32, in bulk.
    mutating func floats32(_ values: [Float]) {
        u64(UInt64(values.count))
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in values { f32(v) }
        #endif
    }

    /// A UInt64 element count followed by the elements rounded to IEEE half precision.
    mutating func floats16(_ values: [Float]) {
        u64(UInt64(values.count))
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 2 * values.count))
        bytes.withUnsafeMutableBytes { raw in
            values.withUnsafeBufferPointer { src in
                for i in 0..<src.count {
                    raw.storeBytes(of: Float16(src[i]).bitPattern.littleEndian, toByteOffset: start + 2 * i, as: UInt16.self)
                }
            }
        }
    }

    /// A UInt64 element count followed by the values as UInt32 (each must fit).
    mutating func uint32s(_ values: [Int]) {
        u64(UInt64(values.count))
        for v in values { u32(UInt32(v)) }
    }
}

/// Reads little-endian values from a byte array, throwing ``ModelFileError`` with the offset
/// instead of reading past `end`. Sizes are validated against the remaining bytes before
/// anything is allocated for them.
struct ByteReader {
    let data: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ data: [UInt8], start: Int, end: Int) {
        self.data = data
        self.offset = start
        self.end = end
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset == end }

    /// Advances over `n` bytes, returning where they start.
    mutating func take(_ n: Int, field: String) throws(ModelFileError) -> Int {
        if n > remaining { throw .truncated(offset: offset, needed: n, available: remaining) }
        let start = offset
        offset += n
        return start
    }

    private mutating func load<T: FixedWidthInteger>(_: T.Type) throws(ModelFileError) -> T {
        let start = try take(MemoryLayout<T>.size, field: "")
        var v: T = 0
        for i in 0..<MemoryLayout<T>.size { v |= T(data[start + i]) << (8 * i) }
        return v
    }

    mutating func u8() throws(ModelFileError) -> UInt8 { try load(UInt8.self) }
    mutating func u16() throws(ModelFileError) -> UInt16 { try load(UInt16.self) }
    mutating func u32() throws(ModelFileError) -> UInt32 { try load(UInt32.self) }
    mutating func u64() throws(ModelFileError) -> UInt64 { try load(UInt64.self) }
    mutating func f32() throws(ModelFileError) -> Float { Float(bitPattern: try u32()) }
    mutating func f64() throws(ModelFileError) -> Double { Double(bitPattern: try u64()) }

    mutating func bool(field: String) throws(ModelFileError) -> Bool {
        let at = offset
        let v = try u8()
        guard v <= 1 else { throw .invalidValue(field: field, value: UInt64(v), offset: at) }
        return v == 1
    }

    /// A UInt64 that must fit in `0...limit`.
    mutating func int(field: String, limit: Int = Int.max) throws(ModelFileError) -> Int {
        let at = offset
        let v = try u64()
        guard v <= UInt64(limit) else { throw .invalidValue(field: field, value: v, offset: at) }
        return Int(v)
    }

    /// Reads a UInt64 element count and checks that `count × elementSize` bytes remain.
    mutating func count(field: String, elementSize: Int) throws(ModelFileError) -> Int {
        let at = offset
        let declared = try u64()
        try checkFits(field: field, count: declared, elementSize: elementSize, at: at)
        return Int(declared)
    }

    /// Throws unless `count × elementSize` bytes (computed without overflow) remain.
    func checkFits(field: String, count: UInt64, elementSize: Int, at: Int) throws(ModelFileError) {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: UInt64(elementSize))
        if overflow || bytes > UInt64(remaining) {
            throw .sizeExceedsData(field: field, declaredBytes: overflow ? nil : bytes, availableBytes: remaining, offset: at)
        }
    }

    mutating func string(field: String) throws(ModelFileError) -> String {
        let at = offset
        let length = try u32()
        try checkFits(field: field, count: UInt64(length), elementSize: 1, at: at)
        let start = try take(Int(length), field: field)
        guard let s = String(validating: data[start..<start + Int(length)], as: UTF8.self) else {
            throw .invalidText(field: field, offset: at)
        }
        return s
    }

    /// A count-prefixed Float32 array, converted in bulk.
    mutating func floats32(field: String) throws(ModelFileError) -> [Float] {
        let n = try count(field: field, elementSize: 4)
        let start = try take(4 * n, field: field)
        return [Float](unsafeUninitializedCapacity: n) { dst, initialized in
            data.withUnsafeBytes { raw in
                #if _endian(little)
                UnsafeMutableRawBufferPointer(dst).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<start + 4 * n]))
                #else
                for i in 0..<n { dst[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self))) }
                #endif
            }
            initialized = n
        }
    }

    /// A count-prefixed IEEE half array, widened to Float in bulk.
    mutating func floats16(field: String) throws(ModelFileError) -> [Float] {
        let n = try count(field: field, elementSize: 2)
        let start = try take(2 * n, field: field)
        // Copied into aligned UInt16s first, so that the conversion is one plain loop the
        // compiler vectorises (every clean converts the whole model).
        let bits = [UInt16](unsafeUninitializedCapacity: n) { dst, initialized in
            data.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(dst).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[start..<(start + 2 * n)]))
            }
            initialized = n
        }
        return [Float](unsafeUninitializedCapacity: n) { dst, initialized in
            bits.withUnsafeBufferPointer { src in
                for i in 0..<n { dst[i] = Float(Float16(bitPattern: UInt16(littleEndian: src[i]))) }
            }
            initialized = n
        }
    }

    /// A count-prefixed UInt32 array, each value at most `limit`.
    mutating func uint32s(field: String, limit: Int) throws(ModelFileError) -> [Int] {
        let n = try count(field: field, elementSize: 4)
        var result = [Int]()
        result.reserveCapacity(n)
        for _ in 0..<n {
            let at = offset
            let v = try u32()
            guard Int(v) <= limit else { throw .invalidValue(field: field, value: UInt64(v), offset: at) }
            result.append(Int(v))
        }
        return result
    }
}

extension ByteReader {
    /// A copy of `reader` positioned at `offset` (which must be one it has already passed).
    init(rewindingTo offset: Int, _ reader: ByteReader) {
        self.init(reader.data, start: offset, end: reader.end)
    }
}
