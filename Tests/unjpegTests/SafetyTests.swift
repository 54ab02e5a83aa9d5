import Testing
import Foundation
import Net
import Cleaner
#if canImport(Glibc)
import Glibc
#endif

/// No data loss: inputs are never overwritten, outputs appear whole or not at all, batches go
/// on past bad files, and `-` streams work.
@Suite struct SafetyTests {
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A binary PPM with a smooth pattern.
    static func ppm(width: Int, height: Int, seed: Int = 0) -> [UInt8] {
        var bytes = Array("P6\n\(width) \(height)\n255\n".utf8)
        bytes.reserveCapacity(bytes.count + width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                bytes += [UInt8((x * 3 + seed) & 0xFF), UInt8((y * 5 + x) & 0xFF), UInt8((x ^ y ^ seed) & 0xFF)]
            }
        }
        return bytes
    }

    /// Writes `name`.jpg (via `unjpeg compress`) in `folder`.
    static func makeJPEG(_ name: String, in folder: URL, width: Int = 40, height: Int = 24, seed: Int = 0) throws -> URL {
        let ppm = folder.appendingPathComponent(name + ".ppm")
        try Data(SafetyTests.ppm(width: width, height: height, seed: seed)).write(to: ppm)
        let jpeg = folder.appendingPathComponent(name + ".jpg")
        let result = try CLI.run(["compress", ppm.path, "-o", jpeg.path])
        #expect(result.status == 0, "compress: \(result.stderr)")
        try FileManager.default.removeItem(at: ppm)
        return jpeg
    }

    /// A tiny (untrained) cleaning model file: 24×24×3 in, 8×8×3 out.
    static func makeModel(in folder: URL) throws -> URL {
        var model = Model(layerSizes: [24 * 24 * 3, 4, 8 * 8 * 3], seed: 5)
        model.metadata = CleaningModel.metadata(for: CleaningOptions(), quality: 85, subsampling: "4:2:0")
        let url = folder.appendingPathComponent("tiny.unjm")
        try Data(ModelFile.serialize(model)).write(to: url)
        return url
    }

    static func names(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    // MARK: Inputs are never overwritten

    @Test func outputThatIsTheInputIsRefused() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let jpeg = try SafetyTests.makeJPEG("photo", in: folder)
        let model = try SafetyTests.makeModel(in: folder)
        let original = try Data(contentsOf: jpeg)
        // Spellings of the input with the extension each command writes (PNG for decode and
        // clean, JPEG for compress): a symlink, a hard link, the path itself, a relative path.
        let links = [("png", "link.png", "hard.png"), ("jpg", "link.jpg", "hard.jpg")]
        for (_, symlinkName, hardlinkName) in links {
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(symlinkName), withDestinationURL: jpeg)
            try FileManager.default.linkItem(at: jpeg, to: folder.appendingPathComponent(hardlinkName))
        }
        let pngOutputs = [folder.appendingPathComponent("link.png").path, folder.appendingPathComponent("hard.png").path, "./hard.png"]
        let jpegOutputs = [jpeg.path, folder.appendingPathComponent("link.jpg").path, "./photo.jpg", "hard.jpg"]
        var commands: [[String]] = []
        for output in pngOutputs {
            commands.append(["decode", jpeg.path, "-o", output])
            commands.append(["clean", jpeg.path, "-o", output, "--model", model.path])
        }
        for output in jpegOutputs { commands.append(["compress", jpeg.path, "-o", output]) }
        for command in commands {
            let output = command[command.firstIndex(of: "-o")! + 1]
            let result = try CLI.run(command, directory: folder)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("Refusing to write '\(output)': it is the input file"), "\(command): \(result.stderr)")
            #expect(try Data(contentsOf: jpeg) == original)
        }
        // Nothing else appeared (no temporary files).
        #expect(try SafetyTests.names(folder) == ["hard.jpg", "hard.png", "link.jpg", "link.png", "photo.jpg", "tiny.unjm"])
    }

    // MARK: Batches

    @Test func batchGoesOnPastABadFileAndExitsOne() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        _ = try SafetyTests.makeJPEG("a", in: inputs, seed: 1)
        try Data([0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x03, 0x00]).write(to: inputs.appendingPathComponent("b.jpg"))
        _ = try SafetyTests.makeJPEG("c", in: inputs, seed: 2)
        let model = try SafetyTests.makeModel(in: folder)
        let out = folder.appendingPathComponent("out")
        let result = try CLI.run(["clean", inputs.path, "--out-dir", out.path, "--model", model.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("b.jpg"))
        #expect(result.stderr.contains("1 of 3 files could not be cleaned."))
        #expect(try SafetyTests.names(out) == ["a.clean.png", "c.clean.png"])
        for name in ["a.clean.png", "c.clean.png"] {
            let bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent(name)))
            #expect(Array(bytes.prefix(8)) == SafetyTests.pngSignature)
            // A complete PNG ends with the IEND chunk.
            #expect(Array(bytes.suffix(8)) == [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
        }
    }

    // MARK: Standard input and output

    @Test func decodeAndCleanStreamThroughDash() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let jpeg = try SafetyTests.makeJPEG("photo", in: folder)
        let model = try SafetyTests.makeModel(in: folder)
        let input = [UInt8](try Data(contentsOf: jpeg))
        for command in [["decode"], ["clean", "--model", model.path]] {
            let toFile = folder.appendingPathComponent("file.png")
            let viaFile = try CLI.run(command + [jpeg.path, "-o", toFile.path])
            #expect(viaFile.status == 0, "\(viaFile.stderr)")
            let viaPipe = try CLI.run(command + ["-", "-o", "-"], stdin: input)
            #expect(viaPipe.status == 0, "\(viaPipe.stderr)")
            #expect(Array(viaPipe.stdoutBytes.prefix(8)) == SafetyTests.pngSignature)
            #expect(viaPipe.stdoutBytes == [UInt8](try Data(contentsOf: toFile)), "\(command)")
            try FileManager.default.removeItem(at: toFile)
        }
        // Damaged data on standard input is an error with exit status 1 and no output.
        let bad = try CLI.run(["decode", "-", "-o", "-"], stdin: Array(input.prefix(100)))
        #expect(bad.status == 1 && bad.stdoutBytes.isEmpty && bad.stderr.hasPrefix("Error: "))
    }

    // MARK: Interrupted writes

    /// Starts `unjpeg arguments` and sends it `signal`. With `catchWrite`, first waits until a
    /// temporary file for `output` exists in `folder` and stops the process (SIGSTOP) while it
    /// still does, so the signal lands inside the write; otherwise after `delay` µs.
    /// Returns whether the signal was sent while the temporary file existed, and the process.
    static func interrupt(_ arguments: [String], folder: URL, output: String, signal: Int32,
                          catchWrite: Bool, delay: UInt32 = 0) throws -> (inWrite: Bool, process: Process) {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        func temporaryExists() -> Bool {
            (try? SafetyTests.names(folder))?.contains { $0.hasPrefix(".unjpeg-") && $0.hasSuffix(".tmp") } ?? false
        }
        try process.run()
        let pid = process.processIdentifier
        var inWrite = false
        if catchWrite {
            while process.isRunning && !inWrite {
                guard temporaryExists() else { continue }
                kill(pid, SIGSTOP)
                if temporaryExists() { inWrite = true } else { kill(pid, SIGCONT) }
            }
        } else if delay > 0 {
            usleep(delay)
        }
        kill(pid, signal)
        if inWrite { kill(pid, SIGCONT) }
        process.waitUntilExit()
        return (inWrite, process)
    }

    /// kill -9 at moments in and around the write: the output is always either the old file
    /// or the complete new one, never a mixture or a prefix.
    @Test func killDuringWriteLeavesOldOrNewFile() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("big.ppm")
        try Data(SafetyTests.ppm(width: 2000, height: 1500, seed: 3)).write(to: big)
        let reference = folder.appendingPathComponent("reference.ppm")
        #expect(try CLI.run(["decode", big.path, "-o", reference.path]).status == 0)
        let newBytes = try Data(contentsOf: reference)
        let oldBytes = Data(SafetyTests.ppm(width: 3, height: 2, seed: 9))
        let output = folder.appendingPathComponent("out.ppm")
        var inWrite = 0
        var generator = SystemRandomNumberGenerator()
        // Random moments (before, during or after the write), then until one kill has landed
        // inside the write for sure (at most 24 attempts in all).
        for attempt in 0..<24 where attempt < 8 || inWrite == 0 {
            try oldBytes.write(to: output)
            let (caught, process) = try SafetyTests.interrupt(
                ["decode", big.path, "-o", output.path], folder: folder, output: "out.ppm", signal: SIGKILL,
                catchWrite: attempt >= 6, delay: UInt32.random(in: 0...400_000, using: &generator))
            if caught { inWrite += 1 }
            let now = try Data(contentsOf: output)
            #expect(now == oldBytes || now == newBytes, "attempt \(attempt): \(now.count) bytes")
            if caught { #expect(now == oldBytes) }
            #expect(process.terminationReason == .uncaughtSignal || process.terminationStatus == 0)
            // SIGKILL cannot be caught: a hidden temporary file may remain; remove it.
            for name in try SafetyTests.names(folder) where name.hasPrefix(".unjpeg-") {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
        }
        #expect(inWrite > 0, "no kill landed while the output was being written")
    }

    /// SIGTERM or SIGINT while the output is being written: the temporary file is removed,
    /// the old output stays, and the process dies of the signal.
    @Test(arguments: [SIGTERM, SIGINT])
    func signalDuringWriteRemovesTheTemporaryFile(_ signal: Int32) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("big.ppm")
        try Data(SafetyTests.ppm(width: 2000, height: 1500, seed: 4)).write(to: big)
        let oldBytes = Data(SafetyTests.ppm(width: 3, height: 2, seed: 9))
        let output = folder.appendingPathComponent("out.ppm")
        var caught = 0
        for _ in 0..<16 where caught < 2 {
            try oldBytes.write(to: output)
            let (inWrite, process) = try SafetyTests.interrupt(["decode", big.path, "-o", output.path], folder: folder,
                                                               output: "out.ppm", signal: signal, catchWrite: true)
            #expect(try SafetyTests.names(folder) == ["big.ppm", "out.ppm"])
            if inWrite {
                #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
                #expect(try Data(contentsOf: output) == oldBytes)
                caught += 1
            }
        }
        #expect(caught > 0, "no signal landed while the output was being written")
    }
}
