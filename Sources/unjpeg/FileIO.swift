import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// File access for the command-line tool: whole-file reads (with `-` for standard input),
/// atomic writes (temporary file in the same folder, fsync, rename; `-` for standard
/// output), and the check that an output never replaces an input.
enum FileIO {
    /// Reads all bytes of `path`, or of standard input when `path` is `-`.
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw RuntimeError(isDirectory.boolValue
                    ? "'\(path)' is a folder, not a file."
                    : "Cannot open '\(path)' for reading (permission denied?).")
            }
            throw RuntimeError("The file '\(path)' does not exist.")
        }
        defer { try? handle.close() }
        do {
            let data = try handle.readToEnd() ?? Data()
            return [UInt8](data)
        } catch {
            throw RuntimeError("Cannot read '\(path)': \(error.localizedDescription)")
        }
    }

    /// Writes `bytes` to `path` so that the path holds either its old content or all of the
    /// new content, never a part: a temporary file beside it is written, flushed to disk
    /// and renamed over `path`. `-` writes to standard output.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // Registered before it exists, released after the rename: a SIGINT/SIGTERM/SIGHUP in
        // between removes it (unlinking a name that is not there yet, or any more, is harmless).
        let slot = InFlightFiles.register(temporary)
        defer { InFlightFiles.release(slot) }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw RuntimeError("Cannot create a file in '\(folder)' to write '\(path)': \(String(cString: strerror(errno))).")
        }
        var failure: String?
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw RuntimeError("Cannot write '\(path)': \(failure).")
        }
    }

    /// The identity of an existing file (device and inode), after following symlinks.
    private static func identity(_ path: String) -> (UInt64, UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Throws when writing `output` would replace one of `inputs` (same path, a symlink to
    /// it, or a hard link to the same file).
    static func refuseOverwritingInputs(output: String, inputs: [String]) throws {
        guard output != "-", let target = identity(output) else { return }
        for input in inputs where input != "-" {
            if let source = identity(input), source == target {
                throw RuntimeError("Refusing to write '\(output)': it is the input file '\(input)'. Choose another output path.")
            }
        }
    }
}

/// The temporary files being written right now (atomic writes, training-pair files), so that
/// an interrupting signal can remove them: an interrupted run leaves finished outputs and
/// nothing half-written. The signal handler only reads fixed C buffers and calls unlink(2)
/// and raise(3), which are async-signal-safe. (SIGKILL cannot be caught: then a hidden
/// `.NAME.tmp-PID-RANDOM` or `NAME.partial` file can remain, the output itself is intact.)
enum InFlightFiles {
    static let slotCount = 16
    static let pathCapacity = Int(PATH_MAX) + 1
    /// `slotCount` NUL-terminated paths.
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * pathCapacity)
        p.initialize(repeating: 0, count: slotCount * pathCapacity)
        return p
    }()
    /// 1 while the slot's path is complete and in use. Written after / before the path.
    nonisolated(unsafe) static let active: UnsafeMutablePointer<sig_atomic_t> = {
        let p = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: slotCount)
        p.initialize(repeating: 0, count: slotCount)
        return p
    }()
    static let lock = NSLock()

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP (once, at start-up).
    static func installSignalHandlers() {
        _ = paths; _ = active  // initialise the buffers outside any signal handler
        // A parent may start us with these signals blocked (Foundation's Process does):
        // they would then wait until exit, after any half-written file.
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&mask, number) }
        sigprocmask(SIG_UNBLOCK, &mask, nil)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            _ = signal(number) { received in
                for slot in 0..<InFlightFiles.slotCount where InFlightFiles.active[slot] != 0 {
                    unlink(InFlightFiles.paths + slot * InFlightFiles.pathCapacity)
                }
                // Die of the same signal, so the parent sees what happened.
                _ = signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Records `path` as being written; returns its slot (nil if all are busy or the path too long).
    static func register(_ path: String) -> Int? {
        let utf8 = Array(path.utf8)
        guard utf8.count < pathCapacity else { return nil }
        lock.lock(); defer { lock.unlock() }
        guard let slot = (0..<slotCount).first(where: { active[$0] == 0 }) else { return nil }
        let base = paths + slot * pathCapacity
        for (i, byte) in utf8.enumerated() { base[i] = CChar(bitPattern: byte) }
        base[utf8.count] = 0
        active[slot] = 1
        return slot
    }

    /// The file of `slot` is renamed into place or removed: forget it.
    static func release(_ slot: Int?) {
        guard let slot else { return }
        lock.lock(); defer { lock.unlock() }
        active[slot] = 0
    }
}
