#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Standard input, output and error as file descriptors 0, 1 and 2, with the behaviour a
/// command-line user expects of them:
/// - a stream the parent closed (`>&-`) is noticed at start-up and its descriptor is held by
///   `/dev/null`, so no file opened later can take its number and receive output by mistake;
///   writing image data to a closed standard output is an error;
/// - a failed write to standard output (`> /dev/full`) is an `Error: …` and exit status 1, at
///   once for image data and at the end for text (as coreutils' `close_stdout` does);
/// - a reader that goes away (`| head`: EPIPE) ends the command quietly with status 141, as a
///   SIGPIPE would, after removing any half-written temporary file;
/// - standard error is best effort: when it is closed, full or gone, messages are dropped and
///   the work and its outputs go on.
enum StandardStreams {
    nonisolated(unsafe) private(set) static var inputClosed = false
    nonisolated(unsafe) private(set) static var outputClosed = false
    /// The first failed write of text to standard output (an errno text), reported at exit.
    nonisolated(unsafe) private(set) static var outputFailure: String?

    /// Call once at start-up, before any file is opened.
    static func prepare() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            if fd == 0 { inputClosed = true }
            if fd == 1 { outputClosed = true }
            let null = open("/dev/null", O_RDWR)
            if null >= 0 && null != fd { dup2(null, fd); close(null) }
        }
        // EPIPE is handled where it happens (see type doc), not by dying of SIGPIPE mid-write.
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Writes all of `bytes` to `fd`; returns the errno of a failure, or nil.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    /// Ends the process quietly because the reader of standard output went away.
    static func exitForBrokenPipe() -> Never {
        InFlightFiles.removeAll()
        exit(128 + SIGPIPE)
    }

    /// Writes image (or other binary) data to standard output; throws when it cannot.
    static func writeOutput(_ bytes: [UInt8]) throws {
        guard !outputClosed else {
            throw RuntimeError("Cannot write to standard output: it is closed.")
        }
        if let code = bytes.withUnsafeBytes({ writeAll($0, to: 1) }) {
            if code == EPIPE { exitForBrokenPipe() }
            throw RuntimeError("Cannot write to standard output: \(FileSystem.errorText(code)).")
        }
    }

    /// Writes text to standard output; a failure is remembered for ``finish()``.
    static func writeText(_ text: String) {
        guard outputFailure == nil else { return }
        if outputClosed {
            outputFailure = "it is closed"
            return
        }
        let bytes = OSPath.encode(text)
        if let code = bytes.withUnsafeBytes({ writeAll($0, to: 1) }) {
            if code == EPIPE { exitForBrokenPipe() }
            outputFailure = FileSystem.errorText(code)
        }
    }

    /// Writes text to standard error, best effort.
    static func writeError(_ text: String) {
        let bytes = OSPath.encode(text)
        _ = bytes.withUnsafeBytes { writeAll($0, to: 2) }
    }

    /// All of standard input.
    static func readInput() throws -> [UInt8] {
        guard !inputClosed else { throw RuntimeError("Cannot read standard input: it is closed.") }
        return try FileSystem.readAll(fd: 0, name: "standard input")
    }

    /// The exit status after a command ran: `status`, or 1 when text could not be written to
    /// standard output (with the reason on standard error).
    static func finish(status: Int32) -> Int32 {
        guard let failure = outputFailure else { return status }
        writeError("Error: Cannot write to standard output: \(failure).\n")
        return status == 0 ? 1 : status
    }
}
