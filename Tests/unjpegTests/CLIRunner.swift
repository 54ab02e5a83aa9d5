import Foundation

/// Runs the built `unjpeg` executable (it sits beside the test bundle in the build folder).
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutBytes: [UInt8]
}

enum CLI {
    static var executable: URL {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = me.deletingLastPathComponent()
        // The test binary may sit inside a `.xctest` bundle folder.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("unjpeg").path),
              folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("unjpeg")
    }

    /// Runs `unjpeg arguments…` with `stdin` as standard input, in `directory` if given.
    static func run(_ arguments: [String], stdin: [UInt8] = [], directory: URL? = nil) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        return try capture(process, stdin: stdin)
    }

    /// Runs `process` with `stdin` (nil: /dev/null) and returns its status and output.
    /// Files, not pipes: nothing can block, and no shared mutable state across threads.
    static func capture(_ process: Process, stdin: [UInt8]?) throws -> CLIResult {
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        if let stdin {
            let inURL = scratch.appendingPathComponent("stdin")
            try Data(stdin).write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return CLIResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self),
                         stdoutBytes: [UInt8](outData))
    }

    /// A fresh empty folder for one test.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("unjpeg-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension CLI {
    /// Runs `script` with bash in `directory`, `$UNJPEG` naming the tool: for what only a
    /// shell can set up (closed or full streams, pipes, non-UTF-8 names, umasks, terminals).
    static func shell(_ script: String, in directory: URL, environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["UNJPEG"] = executable.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        return try capture(process, stdin: nil)
    }
}
