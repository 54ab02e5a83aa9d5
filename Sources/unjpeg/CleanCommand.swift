import Cleaner
import Dispatch
import JPEGCodec
import Synchronization

/// `unjpeg clean`: JPEG in, cleaned PNG out — one file, several, or folders.
enum CleanCommand: Command {
    static let spec = CommandSpec(
        path: "clean",
        abstract: "Remove JPEG artifacts and write lossless PNGs.",
        discussion: """
        With one input, -o names the output ('-' writes PNG to standard output; an input of '-'
        reads standard input). With several inputs or a folder (its .jpg/.jpeg files; with -r
        also those of its subfolders, mirrored under --out-dir), each output is named after its
        input plus --suffix and .png, in --out-dir or beside the input. Before any work, every
        output's folder is checked, two inputs that would write the same output are refused, and
        no file the command reads (an input, the model) is ever overwritten. A file that cannot
        be cleaned is reported and the others go on; the exit status is then 1.
        """,
        positionals: [PositionalSpec(name: "inputs", help: "JPEG files or folders ('-' for standard input).", variadic: true, optional: false)],
        options: [
            .value("output", short: "o", "path", help: "The PNG output for a single input ('-' for standard output)."),
            .value("out-dir", "folder", help: "Where outputs go for several inputs (created if missing)."),
            .value("suffix", "text", help: "Added to each input's name for its output.", default: ".clean"),
            .flag("recursive", short: "r", help: "Also clean the JPEGs in subfolders of a folder input."),
        ] + ModelOptions.specs + [
            .value("threads", "n", help: "Threads for the network of each file (default: the cores available, divided among --jobs)."),
            .value("jobs", short: "j", "n", help: "Files cleaned at the same time, each with its share of --max-memory.", default: "1"),
            .flag("no-orientation", help: "Do not apply the EXIF orientation to the output."),
            CommonOptions.pngLevel,
            .flag("quiet", short: "q", help: "No progress and no summary; only errors."),
            .flag("verbose", short: "v", help: "List each input and its output (and, with a family of networks, the one that cleaned it)."),
            CommonOptions.strict,
            CommonOptions.maxPixels,
            CommonOptions.maxMemory,
        ])

    /// One file to clean and where its PNG goes.
    struct Job {
        var input: String
        var output: String
    }

    /// The JPEG files of folder `folder` (sorted), with their paths relative to it; with
    /// `recursive`, those of its subfolders too (symlinked folders are not followed).
    static func jpegs(in folder: String, recursive: Bool, relative: String = "") throws -> [(path: String, relative: String)] {
        var found: [(String, String)] = []
        for name in try FileSystem.list(folder) {
            let path = OSPath.join(folder, name)
            let rel = relative.isEmpty ? name : relative + "/" + name
            if FileSystem.linkStatus(path)?.kind == .directory {
                if recursive { found += try jpegs(in: path, recursive: true, relative: rel) }
            } else if ["jpg", "jpeg"].contains(OSPath.pathExtension(name)) {
                found.append((path, rel))
            }
        }
        return found
    }

    /// The output name for an input named `name` (a relative path below the folder given).
    static func outputName(_ relative: String, suffix: String) -> String {
        let folder = relative.contains("/") ? OSPath.parent(relative) + "/" : ""
        return folder + OSPath.stem(relative) + suffix + ".png"
    }

    /// The jobs for the inputs: files as given, folders expanded; outputs in `outDir` (mirroring
    /// subfolders) or beside each input.
    static func jobs(_ inputs: [String], output: String?, outDir: String?, suffix: String,
                     recursive: Bool) throws -> [Job] {
        var jobs: [Job] = []
        for input in inputs {
            if input != "-", FileSystem.isDirectory(input) {
                for (path, relative) in try jpegs(in: input, recursive: recursive) {
                    let name = outputName(relative, suffix: suffix)
                    jobs.append(Job(input: path, output: OSPath.join(outDir ?? input, name)))
                }
            } else if input == "-" {
                jobs.append(Job(input: input, output: output ?? "-"))
            } else {
                let name = outputName(OSPath.lastComponent(input), suffix: suffix)
                let target = output ?? (outDir.map { OSPath.join($0, name) }
                    ?? (input.contains("/") ? OSPath.join(OSPath.parent(input), name) : name))
                jobs.append(Job(input: input, output: target))
            }
        }
        return jobs
    }

    /// A key equal for two spellings of one output path (`a/./x.png`, `a/x.png`).
    static func outputKey(_ path: String) -> String {
        if let resolved = FileSystem.resolved(path) { return resolved }
        let parent = FileSystem.resolved(OSPath.parent(path)) ?? OSPath.parent(path)
        return OSPath.join(parent, OSPath.lastComponent(path))
    }

    /// Refuses two jobs that would write the same file, naming both inputs.
    static func refuseClashes(_ jobs: [Job]) throws {
        var seen: [String: String] = [:]
        for job in jobs where job.output != "-" && FileIO.directDescriptor(job.output) == nil {
            let key = outputKey(job.output)
            if let other = seen[key] {
                throw UsageError("'\(other)' and '\(job.input)' would both be written to '\(job.output)'. Clean them in separate runs or with different --out-dir or --suffix values.", command: spec)
            }
            seen[key] = job.input
        }
    }

    /// Refuses an `-o` that names a format other than PNG (`cl.jpg`, `x.webp`).
    static func checkPNGName(_ output: String) throws {
        guard output != "-", FileIO.directDescriptor(output) == nil else { return }
        if let status = FileSystem.status(output), status.kind == .other { return }  // a device or pipe
        let ext = OSPath.pathExtension(output)
        guard ext.isEmpty || ext == "png" else {
            throw UsageError("clean writes PNG, but the output '\(output)' ends in '.\(ext)'. Name it .png (use 'unjpeg decode' for PPM/PGM).", command: spec)
        }
    }

    static func run(_ arguments: ParsedArguments) throws {
        let output = arguments.value("output")
        let outDir = arguments.value("out-dir")
        let suffix = arguments.value("suffix") ?? ".clean"
        guard !suffix.contains("/") else { throw UsageError("--suffix cannot contain '/'.", command: spec) }
        let quiet = arguments.flag("quiet"), verbose = arguments.flag("verbose") && !quiet
        let inputs = arguments.positionals
        if inputs.contains("-") && inputs.count > 1 {
            throw UsageError("'-' (standard input) can only be the single input.", command: spec)
        }
        if let output { try checkPNGName(output) }
        if output != nil && outDir != nil {
            throw UsageError("-o names one output; with several inputs use --out-dir and --suffix.", command: spec)
        }
        let jobs = try self.jobs(inputs, output: output, outDir: outDir, suffix: suffix,
                                 recursive: arguments.flag("recursive"))
        guard !jobs.isEmpty else {
            throw RuntimeError("No JPEG files (.jpg, .jpeg) found in \(inputs.map { "'\($0)'" }.joined(separator: ", "))\(arguments.flag("recursive") ? "" : " (-r also searches subfolders)").")
        }
        if output != nil && jobs.count > 1 {
            throw UsageError("-o names one output; with several inputs use --out-dir and --suffix.", command: spec)
        }
        let maxPixels = try CommonOptions.maxPixels(arguments, command: spec)
        let maxMemory = try CommonOptions.maxMemory(arguments, command: spec)
        let threads = try arguments.int("threads", default: FileSystem.processorCount, in: 1...256, command: spec)
        let jobCount = try arguments.int("jobs", default: 1, in: 1...256, command: spec)
        let pngLevel = try CommonOptions.pngLevel(arguments, command: spec)
        // Everything that can fail without cleaning anything fails now, before the work.
        let model = try ModelOptions.load(arguments, command: spec)   // reads (and protects) the model
        for job in jobs { FileIO.protect(job.input) }
        try refuseClashes(jobs)
        if let outDir { try FileSystem.createDirectories(outDir) }
        for folder in Set(jobs.map { OSPath.parent($0.output) }) where outDir != nil && !FileSystem.isDirectory(folder) {
            try FileSystem.createDirectories(folder)
        }
        for job in jobs { try FileIO.checkOutput(job.output, inputs: jobs.map(\.input)) }

        Allocator.reuseLargeBlocks()
        let start = ContinuousClock.now
        let progress = ProgressBar(label: "clean", total: jobs.count,
                                   enabled: Terminal.stderrIsTerminal && jobs.count > 1 && !quiet)
        let strict = arguments.flag("strict"), orient = !arguments.flag("no-orientation")
        // One file: read, check, decode, clean, encode, write. Messages go out under the lock.
        let shared = Mutex((done: 0, failures: 0))
        @Sendable func cleanOne(_ job: Job, threads: Int, maxMemory: Int) {
            do {
                let loaded = try ImageFile.load(job.input, maxPixels: maxPixels, maxMemory: maxMemory,
                                                strict: strict, cleaning: true)
                guard let jpeg = loaded.jpeg else {
                    throw RuntimeError("\(ImageFile.displayName(job.input)): not a JPEG file; clean takes JPEGs (use 'unjpeg decode' to convert other images).")
                }
                let input = CleanerInput(jpeg)
                let member = model.memberIndex(for: input)
                if !quiet, let gap = model.members[member].coverageGap(for: input) {
                    shared.withLock { _ in
                        progress.finish()
                        Terminal.writeError("Warning: \(ImageFile.displayName(job.input)): \(gap)\n")
                    }
                }
                var cleaned = model.members[member].clean(input, threads: threads)
                if orient { cleaned = cleaned.applyingOrientation(jpeg.orientation) }
                let bytes = try ImageFile.encode(cleaned, format: .png, carrying: loaded.carried(orientationApplied: orient),
                                             threads: threads, level: pngLevel)
                try FileIO.write(bytes, to: job.output)
                shared.withLock { state in
                    state.done += 1
                    if verbose {
                        progress.finish()
                        let network = model.members.count == 1 || !model.usesNetwork ? ""
                            : " (network \(member + 1) of \(model.members.count)" + (model.members[member].coverage.map { ", trained on \($0.description)" } ?? "") + ")"
                        Terminal.writeError("\(ImageFile.displayName(job.input)) → \(job.output == "-" ? "<stdout>" : job.output)\(network)\n")
                    }
                    progress.update(state.done, detail: OSPath.lastComponent(job.input), force: true)
                }
            } catch {
                shared.withLock { state in
                    state.done += 1
                    state.failures += 1
                    progress.finish()
                    Terminal.writeError("Error: \(error)\n")
                    progress.update(state.done, force: true)
                }
            }
        }
        let workers = min(jobCount, jobs.count)
        if workers <= 1 {
            for job in jobs {
                progress.update(shared.withLock { $0.done }, detail: OSPath.lastComponent(job.input), force: true)
                cleanOne(job, threads: threads, maxMemory: maxMemory)
            }
        } else {
            // `workers` files in flight, each with its share of the threads and of the memory budget.
            let next = Atomic<Int>(0)
            let perJobThreads = arguments.value("threads") == nil ? max(1, FileSystem.processorCount / workers) : threads
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < jobs.count else { return }
                    cleanOne(jobs[index], threads: perJobThreads, maxMemory: maxMemory / workers)
                }
            }
        }
        let failures = shared.withLock { $0.failures }
        progress.update(jobs.count, force: true)
        progress.finish()
        if !quiet && (jobs.count > 1 || verbose) {
            let seconds = (ContinuousClock.now - start).seconds
            let place = outDir.map { "into '\($0)'" } ?? (output != nil ? "to '\(output!)'" : "beside the inputs")
            Terminal.writeError("cleaned \(jobs.count - failures) of \(jobs.count) file\(jobs.count == 1 ? "" : "s") \(place) in \(NumberFormat.fixed(seconds, 1)) s\n")
        }
        if failures > 0 {
            if jobs.count > 1 { Terminal.writeError("\(failures) of \(jobs.count) files could not be cleaned.\n") }
            throw ExitQuietly(status: 1)
        }
    }
}
