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
    ModelCommand.self,
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
            Terminal.print(toolHelp())
            return
        }
        if let command = allCommands.first(where: { $0.spec.path == path }) {
            Terminal.print(command.spec.helpText())
            return
        }
        if allCommands.contains(where: { $0.spec.path.hasPrefix(path + " ") }) {
            Terminal.print(groupHelp(path))
            return
        }
        var message = "Unknown subcommand '\(path)'."
        if let guess = Suggestion.closest(to: path, among: allCommands.map { $0.spec.path }) { message += " Did you mean '\(guess)'?" }
        throw UsageError(message, command: spec)
    }
}

/// The text of `unjpeg --help`.
func toolHelp(width: Int = HelpLayout.width) -> String {
    var out = """
    OVERVIEW: Remove JPEG artifacts (blocking, ringing, colour bleeding) with a neural network.

    USAGE: \(Tool.name) <subcommand>

    OPTIONS:

    """
    out += HelpLayout.table([("--version", "Show the version."), ("-h, --help", "Show help information.")], width: width)
    out += "\nSUBCOMMANDS:\n"
    out += HelpLayout.table(allCommands.map { ($0.spec.path, $0.spec.abstract) }, width: width)
    out += "\n  See '\(Tool.name) help <subcommand>' for detailed help."
    return out
}

/// The help of a group of subcommands (`unjpeg bench`).
func groupHelp(_ group: String, width: Int = HelpLayout.width) -> String {
    let members = allCommands.filter { $0.spec.path.hasPrefix(group + " ") }
    var out = "OVERVIEW: The '\(group)' subcommands.\n\nUSAGE: \(Tool.name) \(group) <subcommand>\n\nOPTIONS:\n"
    out += HelpLayout.table([("-h, --help", "Show help information.")], width: width)
    out += "\nSUBCOMMANDS:\n"
    out += HelpLayout.table(members.map { (String($0.spec.path.dropFirst(group.count + 1)), $0.spec.abstract) }, width: width)
    out += "\n  See '\(Tool.name) help \(group) <subcommand>' for detailed help."
    return out
}
