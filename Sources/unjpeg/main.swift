import Foundation
import Linalg

/// Runs the command line and returns the process exit status:
/// 0 success or help, 1 failure, 64 usage error (EX_USAGE).
func runTool(_ argv: [String]) -> Int32 {
    if argv.isEmpty || argv == ["-h"] || argv == ["--help"] {
        Terminal.print(toolHelp)
        return argv.isEmpty ? 64 : 0
    }
    // The longest command path that prefixes the arguments ("bench gemm" before "bench").
    let match = allCommands
        .filter { command in
            let words = command.spec.path.split(separator: " ").map(String.init)
            return argv.count >= words.count && Array(argv.prefix(words.count)) == words
        }
        .max { $0.spec.path.split(separator: " ").count < $1.spec.path.split(separator: " ").count }
    guard let command = match else {
        let family = allCommands.filter { $0.spec.path.hasPrefix(argv[0] + " ") }
        if !family.isEmpty {
            Terminal.writeError("Error: '\(argv.joined(separator: " "))' is not a subcommand. Choose one of: \(family.map { "'unjpeg \($0.spec.path)'" }.joined(separator: ", ")).\n")
        } else {
            Terminal.writeError("Error: Unknown subcommand '\(argv[0])'.\nUsage: unjpeg <subcommand>\n  See 'unjpeg --help' for more information.\n")
        }
        return 64
    }
    let words = command.spec.path.split(separator: " ").count
    do {
        let parsed = try command.spec.parse(Array(argv.dropFirst(words)))
        try command.run(parsed)
        return 0
    } catch let help as HelpRequested {
        Terminal.print(help.command.helpText)
        return 0
    } catch let quiet as ExitQuietly {
        return quiet.status
    } catch let usage as UsageError {
        var text = "Error: \(usage.message)\n"
        if let spec = usage.command ?? Optional(command.spec) {
            text += "Usage: \(spec.usage)\n  See 'unjpeg \(spec.path) --help' for more information.\n"
        }
        Terminal.writeError(text)
        return 64
    } catch {
        Terminal.writeError("Error: \(error)\n")
        return 1
    }
}

// Remove half-written temporary files when interrupted (SIGINT, SIGTERM, SIGHUP).
InFlightFiles.installSignalHandlers()
// The library cannot query the core count; the tool can.
Linalg.defaultThreadCount = ProcessInfo.processInfo.activeProcessorCount
exit(runTool(Array(CommandLine.arguments.dropFirst())))
