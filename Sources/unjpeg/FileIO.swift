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
