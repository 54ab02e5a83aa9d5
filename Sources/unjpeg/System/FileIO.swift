#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Reading inputs and writing outputs without ever losing a file.
///
/// Outputs:
/// - `-` is standard output (never a terminal for binary data).
/// - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` are written straight to
///   that descriptor (at its current offset: the shell may already have written to it).
/// - An existing target that is not a regular file (a device, a named pipe, a socket) is
///   opened and written in place, as `cp` and `cjpeg` do; nothing is renamed over it.
/// - A symlink to a regular file keeps the link: the file it points to is replaced.
/// - Anything else is written atomically: a short hidden temporary file in the same folder
///   (`.unjpeg-PID-RANDOM.tmp`, so a 255-byte name still fits), flushed to disk and renamed
///   over the target, so the path holds either its old content or all of the new one. A new
///   file gets the mode 0666 less the umask; a replaced file keeps its permission bits.
///   Temporaries left by a killed run of a process that no longer exists (and at least a
///   minute old) are removed from a folder before the first write into it.
///
/// Inputs: every file the command reads is remembered by its identity (device, inode); an
/// output that is one of them — by any name, symlink or hard link — is refused.
enum FileIO {
    /// Identities of the files this process has read (and others it must not overwrite).
    private static let protected = Mutex<[(UInt64, UInt64, String)]>([])
    /// Folders already swept for stale temporaries.
    private static let swept = Mutex<Set<String>>([])

    /// Marks the existing file `path` as one that no output may replace.
    static func protect(_ path: String) {
        guard path != "-", let status = FileSystem.status(path), status.kind == .regular else { return }
        protected.withLock { $0.append((status.device, status.inode, path)) }
    }

    /// Reads all bytes of `path`, or of standard input when `path` is `-`, and protects it.
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return try StandardStreams.readInput() }
        let bytes = try FileSystem.read(path)
        protect(path)
        return bytes
    }

    /// The descriptor a path always names directly (`/dev/stdout`, `/dev/fd/3`…), if it is one.
    static func directDescriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default: break
        }
        for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
            if let fd = Int32(path.dropFirst(prefix.count)), fd >= 0 { return fd }
        }
        return nil
    }

    /// Throws unless `output` may be written: called before any work, so that a missing
    /// folder or a protected file fails at once, not after minutes of cleaning.
    /// - Parameters:
    ///   - output: the path (`-` for standard output).
    ///   - inputs: the files the command will read (protected even before they are read).
    ///   - binary: whether the data is binary (refused on a terminal).
    static func checkOutput(_ output: String, inputs: [String] = [], binary: Bool = true) throws {
        if output == "-" || directDescriptor(output) == 1 {
            if StandardStreams.outputClosed { throw RuntimeError("Cannot write to standard output: it is closed.") }
            if binary && isatty(1) == 1 {
                throw RuntimeError("Refusing to write binary image data to a terminal; redirect standard output or name a file with -o.")
            }
            return
        }
        if directDescriptor(output) != nil { return }
        try refuseOverwritingInputs(output: output, inputs: inputs)
        if let status = FileSystem.status(output) {
            if status.kind == .directory { throw RuntimeError("Cannot write '\(output)': it is a folder.") }
            if status.kind != .regular { return }  // written through
        } else if FileSystem.linkStatus(output)?.kind == .symlink {
            throw RuntimeError("Cannot write '\(output)': it is a symlink to a file that does not exist.")
        }
        let target = FileSystem.resolved(output) ?? output
        let folder = OSPath.parent(target)
        guard let status = FileSystem.status(folder) else {
            throw RuntimeError("Cannot write '\(output)': the folder '\(folder)' does not exist.")
        }
        guard status.kind == .directory else { throw RuntimeError("Cannot write '\(output)': '\(folder)' is not a folder.") }
        guard OSPath.withCString(folder, { access($0, W_OK) }) == 0 else {
            throw RuntimeError("Cannot write '\(output)': the folder '\(folder)' is not writable (\(FileSystem.errorText())).")
        }
    }

    /// Throws when writing `output` would replace one of `inputs` or a file read before (same
    /// path, a symlink to it, or a hard link to the same file).
    static func refuseOverwritingInputs(output: String, inputs: [String] = []) throws {
        guard output != "-", let target = FileSystem.status(output), target.kind == .regular else { return }
        for input in inputs where input != "-" {
            if let source = FileSystem.status(input), source.device == target.device, source.inode == target.inode {
                throw RuntimeError("Refusing to write '\(output)': it is the input file '\(input)'. Choose another output path.")
            }
        }
        let match = protected.withLock { list in list.first { $0.0 == target.device && $0.1 == target.inode } }
        if let match {
            throw RuntimeError("Refusing to write '\(output)': it is the input file '\(match.2)'. Choose another output path.")
        }
    }

    /// Writes `bytes` to `path` as described in the type's documentation.
    static func write(_ bytes: [UInt8], to path: String) throws {
        if path == "-" { return try StandardStreams.writeOutput(bytes) }
        if let fd = directDescriptor(path) {
            if fd == 1 { return try StandardStreams.writeOutput(bytes) }
            guard fcntl(fd, F_GETFD) != -1 else { throw RuntimeError("Cannot write '\(path)': descriptor \(fd) is not open.") }
            if let code = bytes.withUnsafeBytes({ StandardStreams.writeAll($0, to: fd) }) {
                if code == EPIPE && fd == 2 { return }
                throw RuntimeError("Cannot write '\(path)': \(FileSystem.errorText(code)).")
            }
            return
        }
        try refuseOverwritingInputs(output: path)
        let existing = FileSystem.status(path)
        if let existing, existing.kind == .directory { throw RuntimeError("Cannot write '\(path)': it is a folder.") }
        if let existing, existing.kind != .regular { return try writeThrough(bytes, to: path) }
        if existing == nil, FileSystem.linkStatus(path)?.kind == .symlink {
            throw RuntimeError("Cannot write '\(path)': it is a symlink to a file that does not exist.")
        }
        // A symlink to a regular file: replace the file it points to, keep the link.
        let target = existing != nil ? (FileSystem.resolved(path) ?? path) : path
        try writeAtomically(bytes, to: target, named: path, keeping: existing?.permissions)
    }

    /// Opens an existing non-regular file and writes into it.
    private static func writeThrough(_ bytes: [UInt8], to path: String) throws {
        let fd = OSPath.withCString(path) { open($0, O_WRONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw RuntimeError("Cannot open '\(path)' for writing: \(FileSystem.errorText()).") }
        defer { close(fd) }
        if let code = bytes.withUnsafeBytes({ StandardStreams.writeAll($0, to: fd) }) {
            throw RuntimeError("Cannot write '\(path)': \(FileSystem.errorText(code)).")
        }
    }

    /// Temporary, fsync, rename. `name` is how the user spelled the path (for messages).
    private static func writeAtomically(_ bytes: [UInt8], to target: String, named name: String,
                                        keeping permissions: UInt32?) throws {
        let folder = OSPath.parent(target)
        sweepStaleTemporaries(in: folder)
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let temporary = OSPath.join(folder, ".unjpeg-\(getpid())-\(random).tmp")
        // Registered before it exists, released after the rename: a SIGINT/SIGTERM/SIGHUP in
        // between removes it (unlinking a name that is not there yet, or any more, is harmless).
        let slot = InFlightFiles.register(temporary)
        defer { InFlightFiles.release(slot) }
        let fd = OSPath.withCString(temporary) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw RuntimeError("Cannot write '\(name)': the folder '\(folder)' does not exist.") }
            throw RuntimeError("Cannot create a file in '\(folder)' to write '\(name)': \(FileSystem.errorText(code)).")
        }
        var failure: Int32? = bytes.withUnsafeBytes { StandardStreams.writeAll($0, to: fd) }
        if failure == nil, let permissions, fchmod(fd, mode_t(permissions)) != 0 { failure = errno }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == nil, OSPath.withCString(temporary, { from in OSPath.withCString(target) { rename(from, $0) } }) != 0 {
            failure = errno
        }
        if let failure {
            FileSystem.remove(temporary)
            throw RuntimeError("Cannot write '\(name)': \(FileSystem.errorText(failure)).")
        }
    }

    /// Whether `name` is one of our temporary names, and the PID that made it.
    static func temporaryOwner(_ name: String) -> Int32? {
        guard name.hasPrefix(".unjpeg-"), name.hasSuffix(".tmp") else { return nil }
        let middle = name.dropFirst(8).dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
        guard middle.count == 2, let pid = Int32(middle[0]), pid > 0,
              !middle[1].isEmpty, middle[1].count <= 8, UInt32(middle[1], radix: 16) != nil else { return nil }
        return pid
    }

    /// Removes our temporaries in `folder` whose process is gone (kill(pid, 0) says ESRCH) and
    /// that are at least a minute old (a writer in another PID namespace on a shared folder is
    /// then very unlikely to be still writing). Once per folder and run; errors are ignored.
    static func sweepStaleTemporaries(in folder: String) {
        let first = swept.withLock { $0.insert(folder).inserted }
        // Only our names: the output folder may hold thousands of others (a busy /tmp).
        guard first, let names = try? FileSystem.list(folder, prefix: Array(".unjpeg-".utf8)) else { return }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        for name in names {
            guard let pid = temporaryOwner(name), pid != getpid() else { continue }
            guard kill(pid, 0) == -1 && errno == ESRCH else { continue }
            let path = OSPath.join(folder, name)
            guard let status = FileSystem.linkStatus(path), status.kind == .regular,
                  Int(now.tv_sec) - status.modified >= 60 else { continue }
            FileSystem.remove(path)
        }
    }
}
