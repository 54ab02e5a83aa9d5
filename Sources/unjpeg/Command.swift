/// A subcommand of `unjpeg`: its argument specification and what it does.
protocol Command: Sendable {
    /// The arguments it accepts and its help text.
    static var spec: CommandSpec { get }
    /// Runs it. Throws ``UsageError`` (exit 64) or any other error (exit 1).
    static func run(_ arguments: ParsedArguments) throws
}

/// Every subcommand, in the order `unjpeg --help` lists them.
let allCommands: [any Command.Type] = [
    CleanCommand.self,
    DecodeCommand.self,
    InfoCommand.self,
    CompressCommand.self,
    TrainCommand.self,
    EvalCommand.self,
    BenchDecodeCommand.self,
    BenchEncodeCommand.self,
    BenchPNGCommand.self,
    BenchGEMMCommand.self,
    BenchTrainCommand.self,
    BenchInferCommand.self,
    BenchCleanCommand.self,
    HelpCommand.self,
]

/// `unjpeg help [<subcommand>]`.
enum HelpCommand: Command {
    static let spec = CommandSpec(
        path: "help", abstract: "Show help for a subcommand.",
        positionals: [PositionalSpec(name: "subcommand", help: "The subcommand, e.g. 'bench gemm'.",
                                     variadic: true, optional: true)])

    static func run(_ arguments: ParsedArguments) throws {
        let path = arguments.positionals.joined(separator: " ")
        if path.isEmpty {
            Terminal.print(toolHelp)
            return
        }
        guard let command = allCommands.first(where: { $0.spec.path == path }) else {
            throw UsageError("Unknown subcommand '\(path)'.", command: nil)
        }
        Terminal.print(command.spec.helpText)
    }
}

/// The text of `unjpeg --help`.
var toolHelp: String {
    var out = """
    OVERVIEW: Remove JPEG artifacts (blocking, ringing, colour bleeding) with a neural network.

    USAGE: unjpeg <subcommand>

    OPTIONS:
      -h, --help              Show help information.

    SUBCOMMANDS:

    """
    let rows = allCommands.map { ($0.spec.path, $0.spec.abstract) }
    out += CommandSpec.table(rows)
    out += "\n  See 'unjpeg help <subcommand>' for detailed help."
    return out
}
