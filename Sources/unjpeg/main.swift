#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Linalg

/// Runs the command line and returns the process exit status:
/// 0 success or help, 1 failure, 64 usage error (EX_USAGE).
func runTool(_ argv: [String]) -> Int32 {
    if argv.isEmpty || argv == ["-h"] || argv == ["--help"] {
        Terminal.print(toolHelp())
        return 0
    }
    if argv == ["--version"] {
        Terminal.print("\(Tool.name) \(Tool.version)")
        return 0
    }
    // The longest command path that prefixes the arguments ("bench gemm" before "bench").
    let match = allCommands
        .filter { command in
            let words = command.spec.path.split(separator: " ").map(String.init)
            return argv.count >= words.count && Array(argv.prefix(words.count)) == words
        }
        .max { $0.spec.path.split(separator: " ").count < $1.spec.path.split(separator: " ").count }
    guard let command = match else {
        return unknownSubcommand(argv)
    }
    let words = command.spec.path.split(separator: " ").count
    do {
        let parsed = try command.spec.parse(Array(argv.dropFirst(words)))
        try command.run(parsed)
        return 0
    } catch let help as HelpRequested {
        Terminal.print(help.command.helpText())
        return 0
    } catch is VersionRequested {
        Terminal.print("\(Tool.name) \(Tool.version)")
        return 0
    } catch let quiet as ExitQuietly {
        return quiet.status
    } catch let usage as UsageError {
        var text = "Error: \(usage.message)\n"
        if let spec = usage.command ?? Optional(command.spec) {
            text += "Usage: \(spec.usage)\n  See '\(Tool.name) \(spec.path) --help' for more information.\n"
        }
        Terminal.writeError(text)
        return 64
    } catch {
        Terminal.writeError("Error: \(error)\n")
        return 1
    }
}

/// No command path matches: a group (`unjpeg bench`, `unjpeg bench --help`) shows its
/// subcommands; anything else is a usage error with a "did you mean".
func unknownSubcommand(_ argv: [String]) -> Int32 {
    let group = allCommands.filter { $0.spec.path.hasPrefix(argv[0] + " ") }
    if !group.isEmpty {
        let rest = Array(argv.dropFirst())
        if rest.isEmpty || rest == ["-h"] || rest == ["--help"] {
            Terminal.print(groupHelp(argv[0]))
            return 0
        }
        let names = group.map { String($0.spec.path.dropFirst(argv[0].count + 1)) }
        var message = "Error: Unknown subcommand '\(argv[0]) \(rest[0])'."
        if let guess = Suggestion.closest(to: rest[0], among: names) { message += " Did you mean '\(argv[0]) \(guess)'?" }
        Terminal.writeError(message + "\nUsage: \(Tool.name) \(argv[0]) <subcommand>\n  See '\(Tool.name) help \(argv[0])' for more information.\n")
        return 64
    }
    var message = "Error: Unknown subcommand '\(argv[0])'."
    let topLevel = Array(Set(allCommands.map { String($0.spec.path.split(separator: " ")[0]) })).sorted()
    if let guess = Suggestion.closest(to: argv[0], among: topLevel) { message += " Did you mean '\(guess)'?" }
    Terminal.writeError(message + "\nUsage: \(Tool.name) <subcommand>\n  See '\(Tool.name) --help' for more information.\n")
    return 64
}

/// The raw bytes of each argument, kept exactly (see ``OSPath``).
func rawArguments() -> [String] {
    (1..<Int(CommandLine.argc)).compactMap { index in
        CommandLine.unsafeArgv[index].map { OSPath.decode(cString: $0) }
    }
}

StandardStreams.prepare()
// Remove half-written temporary files when interrupted (SIGINT, SIGTERM, SIGHUP).
InFlightFiles.installSignalHandlers()
// The library cannot query the core count; the tool can.
Linalg.defaultThreadCount = FileSystem.processorCount
// UNJPEG_GEMM_KERNEL=portable|wide pins the GEMM micro-kernel (outputs then match across CPUs).
switch FileSystem.environment("UNJPEG_GEMM_KERNEL") {
case "portable": GEMMKernel.pinAutomatic(.portable)
case "wide": GEMMKernel.pinAutomatic(.wide)
default: break
}
exit(StandardStreams.finish(status: runTool(rawArguments())))
