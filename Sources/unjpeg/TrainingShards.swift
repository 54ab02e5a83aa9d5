import Cleaner
import Net
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The on-disk training set: fixed-size records of 8-bit samples, one per (degraded window,
/// clean target block) pair, stored compactly so millions of pairs fit on disk and stream
/// through the page cache (the file is memory-mapped, so it may exceed RAM).
///
/// File layout (little-endian): magic `UNJS`, UInt32 version (1, or 2 with side inputs),
/// UInt32 window size, UInt32 target size (side of the target block), UInt32 channels, UInt32
/// side-input bytes per record (0 in version 1), UInt64 record count, then the records. A record
/// is the degraded window (`window² · channels` bytes, HWC), the side input (the file's
/// quantization features) and the clean target block (`target² · channels` bytes, HWC):
/// ``PairRecordFormat``.
struct PairShardHeader: Equatable {
    static let magic: [UInt8] = Array("UNJS".utf8)
    static let byteCount = 32
    var windowSize: Int
    var targetSize: Int
    var channels: Int
    var sideBytes = 0
    var count: Int

    var format: PairRecordFormat {
        PairRecordFormat(windowSize: windowSize, targetSize: targetSize, channels: channels, sideBytes: sideBytes)
    }
    var inputBytes: Int { windowSize * windowSize * channels }
    var targetBytes: Int { targetSize * targetSize * channels }
    var recordBytes: Int { inputBytes + sideBytes + targetBytes }

    func encoded() -> [UInt8] {
        var out = Self.magic
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out += $0 } }
        u32(sideBytes > 0 ? 2 : 1); u32(windowSize); u32(targetSize); u32(channels); u32(sideBytes)
        withUnsafeBytes(of: UInt64(count).littleEndian) { out += $0 }
        return out
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> PairShardHeader {
        guard bytes.count >= byteCount, Array(bytes[0..<4]) == magic else {
            throw RuntimeError("'\(path)' is not an UnJPEG training-pair file (no UNJS magic at byte 0).")
        }
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
        guard [1, 2].contains(u32(4)) else { throw RuntimeError("'\(path)' has training-pair format version \(u32(4)); this tool reads versions 1 and 2.") }
        let count = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        let side = u32(4) == 1 ? 0 : u32(20)
        guard [0, QuantizationFeatures.count].contains(side) else {
            throw RuntimeError("'\(path)' declares \(side) side-input bytes per record at byte 20; this tool knows 0 and \(QuantizationFeatures.count).")
        }
        let header = PairShardHeader(windowSize: u32(8), targetSize: u32(12), channels: u32(16), sideBytes: side,
                                     count: Int(clamping: count))
        guard (1...256).contains(header.windowSize), (1...header.windowSize).contains(header.targetSize),
              [1, 3].contains(header.channels) else {
            throw RuntimeError("'\(path)' has an invalid training-pair header (window \(header.windowSize), target \(header.targetSize), channels \(header.channels)) at byte 8.")
        }
        let (total, overflow) = header.count.multipliedReportingOverflow(by: header.recordBytes)
        guard !overflow, total <= bytes.count - byteCount else {
            throw RuntimeError("'\(path)' is truncated: its header declares \(header.count) records but the file holds \((bytes.count - byteCount) / header.recordBytes).")
        }
        return header
    }
}

/// Appends records to a pair file being written; the file is written to a temporary path
/// and renamed into place by ``finish()``, so an interrupted run leaves no partial set.
final class PairShardWriter {
    let path: String
    private let temporary: String
    private var fd: Int32
    private(set) var header: PairShardHeader
    /// The temporary file's entry in ``InFlightFiles`` (removed on SIGINT/SIGTERM).
    private var inFlight: Int?

    init(path: String, windowSize: Int, targetSize: Int, channels: Int, sideBytes: Int = 0) throws {
        self.path = path
        temporary = path + ".partial"
        header = PairShardHeader(windowSize: windowSize, targetSize: targetSize, channels: channels, sideBytes: sideBytes, count: 0)
        inFlight = InFlightFiles.register(temporary)
        fd = OSPath.withCString(temporary) { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666) }
        guard fd >= 0 else {
            InFlightFiles.release(inFlight)
            throw RuntimeError("Cannot create the training-pair file '\(temporary)': \(FileSystem.errorText()).")
        }
        try write(header.encoded())
    }

    private func write(_ bytes: [UInt8]) throws {
        if let code = bytes.withUnsafeBytes({ StandardStreams.writeAll($0, to: fd) }) {
            throw RuntimeError("Cannot write the training-pair file '\(temporary)': \(FileSystem.errorText(code)).")
        }
    }

    /// Appends `count` records given as bytes (`count · recordBytes`).
    func append(_ records: [UInt8], count: Int) throws {
        precondition(records.count == count * header.recordBytes)
        try write(records)
        header.count += count
    }

    /// Writes the final header, flushes and renames the file into place.
    func finish() throws {
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            throw RuntimeError("Cannot seek in '\(temporary)': \(FileSystem.errorText()).")
        }
        try write(header.encoded())
        guard fsync(fd) == 0 else { throw RuntimeError("Cannot flush '\(temporary)': \(FileSystem.errorText()).") }
        close(fd)
        fd = -1
        guard OSPath.withCString(temporary, { from in OSPath.withCString(path) { rename(from, $0) } }) == 0 else {
            throw RuntimeError("Cannot rename '\(temporary)' to '\(path)': \(FileSystem.errorText()).")
        }
        InFlightFiles.release(inFlight)
        inFlight = nil
    }

    deinit {
        if fd >= 0 { close(fd) }
        // Abandoned (an error before finish()): remove the partial file.
        if let inFlight {
            FileSystem.remove(temporary)
            InFlightFiles.release(inFlight)
        }
    }
}

/// A memory-mapped pair file as a ``Dataset``: inputs are the degraded windows scaled as
/// `(x − 128)/64`; targets are the clean target block on the same scale, or (``residualTargets``)
/// the residual `(clean − degraded)/64` over it.
final class PairShardDataset: Dataset {
    let path: String
    /// Targets are `(clean − degraded)/64` instead of `(clean − 128)/64`.
    let residualTargets: Bool
    let header: PairShardHeader
    private let base: UnsafeRawPointer
    private let length: Int

    var inputSize: Int { header.inputBytes + header.sideBytes }
    var outputSize: Int { header.targetBytes }
    var count: Int { header.count }

    init(path: String, residualTargets: Bool = false) throws {
        self.path = path
        self.residualTargets = residualTargets
        let fd = OSPath.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw RuntimeError("Cannot open the training-pair file '\(path)': \(FileSystem.errorText()).") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw RuntimeError("Cannot read the size of '\(path)'.") }
        length = Int(info.st_size)
        guard length >= PairShardHeader.byteCount,
              let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw RuntimeError("Cannot map the training-pair file '\(path)' (\(length) bytes).")
        }
        base = UnsafeRawPointer(mapped)
        header = try PairShardHeader.decode(UnsafeRawBufferPointer(start: base, count: length), path: path)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    func load(indices: ArraySlice<Int>, inputs inputBuffer: UnsafeMutableBufferPointer<Float>,
              targets targetBuffer: UnsafeMutableBufferPointer<Float>) throws {
        let ni = inputSize, nt = header.targetBytes
        precondition(inputBuffer.count >= indices.count * ni && targetBuffer.count >= indices.count * nt,
                     "load: buffers too small")
        guard !indices.isEmpty, let inputs = inputBuffer.baseAddress, let targets = targetBuffer.baseAddress else { return }
        let format = header.format
        for (row, index) in indices.enumerated() {
            let record = base.advanced(by: PairShardHeader.byteCount + index * header.recordBytes)
                .assumingMemoryBound(to: UInt8.self)
            format.decode(record, residual: residualTargets, input: inputs + row * ni, target: targets + row * nt)
        }
    }
}
