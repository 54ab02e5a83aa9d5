#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a path names, from stat(2) or lstat(2).
struct FileStatus {
    enum Kind { case regular, directory, symlink, other }
    var kind: Kind
    /// Device and inode: the file's identity, equal for every name of one file.
    var device: UInt64
    var inode: UInt64
    /// Permission bits (0o7777).
    var permissions: UInt32
    /// Size in bytes.
    var size: Int
    /// Last modification, seconds since 1970.
    var modified: Int

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        permissions = UInt32(info.st_mode) & 0o7777
        size = Int(info.st_size)
        modified = Int(info.st_mtim.tv_sec)
    }
}

/// The file system as the tool needs it: status, whole-file reads, folder listings and
/// creation, with errors that name the path and say what went wrong.
enum FileSystem {
    /// The status of `path` after following symlinks (nil when it does not exist or cannot be reached).
    static func status(_ path: String) -> FileStatus? {
        var info = stat()
        return OSPath.withCString(path) { stat($0, &info) } == 0 ? FileStatus(info) : nil
    }

    /// The status of `path` itself (a symlink is reported as one).
    static func linkStatus(_ path: String) -> FileStatus? {
        var info = stat()
        return OSPath.withCString(path) { lstat($0, &info) } == 0 ? FileStatus(info) : nil
    }

    static func isDirectory(_ path: String) -> Bool { status(path)?.kind == .directory }
    static func exists(_ path: String) -> Bool { status(path) != nil }

    /// The text of `errno` ("No such file or directory").
    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// The canonical absolute path of an existing `path` (symlinks resolved), or nil.
    static func resolved(_ path: String) -> String? {
        guard let pointer = OSPath.withCString(path, { realpath($0, nil) }) else { return nil }
        defer { free(pointer) }
        return OSPath.decode(cString: pointer)
    }

    /// Reads everything from the open descriptor `fd`.
    static func readAll(fd: Int32, name: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RuntimeError("Cannot read \(name): \(errorText()).")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if chunk.count < 1 << 22 && bytes.count >= chunk.count * 4 {
                chunk = [UInt8](repeating: 0, count: chunk.count * 4)
            }
        }
    }

    /// All bytes of the file at `path`.
    static func read(_ path: String) throws -> [UInt8] {
        let fd = OSPath.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw RuntimeError("The file '\(path)' does not exist.") }
            throw RuntimeError("Cannot open '\(path)' for reading: \(errorText(code)).")
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, FileStatus(info).kind == .directory {
            throw RuntimeError("'\(path)' is a folder, not a file.")
        }
        return try readAll(fd: fd, name: "'\(path)'")
    }

    /// The names in folder `path` (without `.` and `..`) that start with `prefix` (bytes of
    /// its UTF-8; empty: all), sorted bytewise.
    static func list(_ path: String, prefix: [UInt8] = []) throws -> [String] {
        guard let directory = OSPath.withCString(path, { opendir($0) }) else {
            throw RuntimeError("Cannot list the folder '\(path)': \(errorText()).")
        }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name: [UInt8] = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                return Array(bytes[0..<length])
            }
            if name == [0x2E] || name == [0x2E, 0x2E] || !name.starts(with: prefix) { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }.map { OSPath.decode($0) }
    }

    /// Creates folder `path` and any missing parents (like `mkdir -p`).
    static func createDirectories(_ path: String) throws {
        if isDirectory(path) { return }
        let parent = OSPath.parent(path)
        if parent != path && !isDirectory(parent) { try createDirectories(parent) }
        if OSPath.withCString(path, { mkdir($0, 0o777) }) != 0 && errno != EEXIST {
            throw RuntimeError("Cannot create the folder '\(path)': \(errorText()).")
        }
        guard isDirectory(path) else { throw RuntimeError("'\(path)' exists and is not a folder.") }
    }

    /// Removes the file `path`; whether it was removed.
    @discardableResult
    static func remove(_ path: String) -> Bool {
        OSPath.withCString(path) { unlink($0) } == 0
    }

    /// The value of the environment variable `name`, or nil.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return OSPath.decode(cString: value)
    }

    /// The number of processors online.
    static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// read(2), named apart from ``FileSystem/read(_:)``.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
