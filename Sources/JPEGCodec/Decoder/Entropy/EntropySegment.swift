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
    /// and the marker number (0…7); −1 for a marker code below 0xC0 inside a scan with
    /// restarts, which libjpeg's restart resynchronisation discards with the data after it.
    var restarts: [(position: Int, number: Int)]
    /// File offset of the first byte of the segment.
    var fileStart: Int
    /// File offset just past the segment: the `FF` of the marker that ends it, or the file end.
    var fileEnd: Int

    /// Reads the segment that starts at `start` in `file`.
    /// - Parameter resynchronizing: the scan has restart intervals, so marker codes below
    ///   0xC0 (invalid ones, TEM) do not end it: they are kept as restart entries numbered −1.
    init(file: UnsafeBufferPointer<UInt8>, start: Int, resynchronizing: Bool = false) {
        var out = [UInt8]()
        out.reserveCapacity(max(0, file.count - start) + EntropySegment.padding)
        var restarts: [(position: Int, number: Int)] = []
        var i = start
        let n = file.count
        var end = n
        // Copy runs without 0xFF in bulk; handle 0xFF sequences one by one.
        while i < n {
            var j = EntropySegment.skipToFF(file, from: i)
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
            } else if resynchronizing && next < 0xC0 {
                restarts.append((position: out.count, number: -1))
                i = k + 1
            } else {
                end = k - 1  // the 0xFF just before the marker code
                i = k - 1
                break
            }
        }
        self.count = out.count
        out.append(contentsOf: repeatElement(0, count: EntropySegment.padding))
        self.bytes = out
        self.restarts = restarts
        self.fileStart = start
        self.fileEnd = end
    }

    /// A position at or before the first 0xFF byte of `file` at or after `start` (or near the
    /// end), found 16 bytes at a time: a byte of `w` is 0xFF exactly when the same byte of
    /// `~w` is zero, which `(x − 0x01…01) & ~x & 0x80…80` detects (LLVM vectorises the test to
    /// six instructions per 16 bytes; the unstuffing took about 2 % of a baseline decode with a
    /// byte-by-byte search).
    @inline(__always)
    static func skipToFF(_ file: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = file.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var j = start
        while j &+ 16 <= file.count {
            let a = ~raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
            let b = ~raw.loadUnaligned(fromByteOffset: j &+ 8, as: UInt64.self)
            if ((a &- ones) & ~a | (b &- ones) & ~b) & highs != 0 { break }
            j &+= 16
        }
        return j
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
