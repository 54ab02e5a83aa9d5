import Foundation

/// One option of a command: a flag (`--optimize`) or an option with a value (`--quality <q>`).
struct OptionSpec {
    /// Canonical long name without dashes, e.g. "quality"; the key under which values are stored.
    let name: String
    /// An optional one-letter alias without the dash, e.g. "o".
    let short: Character?
    /// The placeholder for the value (`<q>`); nil for a flag.
    let valueName: String?
    /// One line of help text.
    let help: String
    /// Shown as `(default: …)` in the help.
    let defaultValue: String?
    /// Whether the option may be given more than once (values accumulate).
    let repeatable: Bool

    static func flag(_ name: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: nil, help: help, defaultValue: nil, repeatable: false)
    }

    static func value(_ name: String, short: Character? = nil, _ valueName: String, help: String,
                      default defaultValue: String? = nil, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: valueName, help: help,
                   defaultValue: defaultValue, repeatable: repeatable)
    }

    var usageFragment: String {
        let spelled = short.map { "-\($0)" } ?? "--\(name)"
        return valueName.map { "\(spelled) <\($0)>" } ?? spelled
    }

    var helpLabel: String {
        var label = short.map { "-\($0), --\(name)" } ?? "--\(name)"
        if let valueName { label += " <\(valueName)>" }
        return label
    }
}

/// A positional argument of a command.
struct PositionalSpec {
    let name: String
    let help: String
    /// Accepts any number (≥ 1 when not optional).
    let variadic: Bool
    let optional: Bool
}

/// What a command accepts, and the text of its `--help`.
struct CommandSpec {
    /// The command path after the tool name, e.g. "bench decode".
    let path: String
    let abstract: String
    let discussion: String?
    let positionals: [PositionalSpec]
    let options: [OptionSpec]

    init(path: String, abstract: String, discussion: String? = nil,
         positionals: [PositionalSpec] = [], options: [OptionSpec] = []) {
        self.path = path
        self.abstract = abstract
        self.discussion = discussion
        self.positionals = positionals
        self.options = options
    }

    /// The one-line `USAGE:` form.
    var usage: String {
        var parts = ["unjpeg", path].filter { !$0.isEmpty }
        for option in options {
            parts.append(option.repeatable ? "[\(option.usageFragment) ...]" : "[\(option.usageFragment)]")
        }
        for positional in positionals {
            var text = "<\(positional.name)>"
            if positional.variadic { text += " ..." }
            parts.append(positional.optional ? "[\(text)]" : text)
        }
        return parts.joined(separator: " ")
    }

    /// The full help text in swift-argument-parser's layout.
    var helpText: String {
        var out = "OVERVIEW: \(abstract)\n"
        if let discussion { out += "\n\(discussion)\n" }
        out += "\nUSAGE: \(usage)\n"
        if !positionals.isEmpty {
            out += "\nARGUMENTS:\n"
            out += Self.table(positionals.map { ("<\($0.name)>", $0.help) })
        }
        out += "\nOPTIONS:\n"
        var rows = options.map { option -> (String, String) in
            var help = option.help
            if let d = option.defaultValue { help += " (default: \(d))" }
            return (option.helpLabel, help)
        }
        rows.append(("-h, --help", "Show help information."))
        out += Self.table(rows)
        return out
    }

    static func table(_ rows: [(String, String)]) -> String {
        let width = min(max(rows.map(\.0.count).max() ?? 0, 8), 28)
        var out = ""
        for (label, help) in rows {
            if label.count > width {
                out += "  \(label)\n" + String(repeating: " ", count: width + 4) + help + "\n"
            } else {
                out += "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + help + "\n"
            }
        }
        return out
    }

    /// Parses `arguments` (without the command path). Throws ``UsageError`` for anything
    /// unknown or missing, and ``HelpRequested`` for `-h` / `--help`.
    func parse(_ arguments: [String]) throws -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        func spec(long: String) throws -> OptionSpec {
            guard let found = options.first(where: { $0.name == long }) else {
                throw UsageError("Unknown option '--\(long)'.", command: self)
            }
            return found
        }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") {
                result.positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            if argument == "-h" || argument == "--help" { throw HelpRequested(command: self) }
            var inlineValue: String?
            let option: OptionSpec
            if argument.hasPrefix("--") {
                var name = String(argument.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                option = try spec(long: name)
            } else {
                let letters = Array(argument.dropFirst())
                guard letters.count == 1,
                      let found = options.first(where: { $0.short == letters[0] }) else {
                    // A negative number is a value, not an option, only after an option; here it is unknown.
                    throw UsageError("Unknown option '\(argument)'.", command: self)
                }
                option = found
            }
            if option.valueName == nil {
                if inlineValue != nil {
                    throw UsageError("The flag '--\(option.name)' does not take a value.", command: self)
                }
                result.flags.insert(option.name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count else {
                    throw UsageError("Missing value for '\(option.usageFragment)'.", command: self)
                }
                value = arguments[index]
                index += 1
            }
            if !option.repeatable, result.values[option.name] != nil {
                throw UsageError("The option '--\(option.name)' was given more than once.", command: self)
            }
            result.values[option.name, default: []].append(value)
        }
        // Positional arity.
        let required = positionals.filter { !$0.optional }.count
        let variadic = positionals.contains { $0.variadic }
        if result.positionals.count < required {
            let missing = positionals.filter { !$0.optional }[result.positionals.count]
            throw UsageError("Missing expected argument '<\(missing.name)>'.", command: self)
        }
        if !variadic, result.positionals.count > positionals.count {
            throw UsageError("Unexpected argument '\(result.positionals[positionals.count])'.", command: self)
        }
        return result
    }
}

/// The result of parsing: positionals in order, option values by canonical name, flags.
struct ParsedArguments {
    var positionals: [String] = []
    var values: [String: [String]] = [:]
    var flags: Set<String> = []

    func flag(_ name: String) -> Bool { flags.contains(name) }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// An integer option in `range`, or `defaultValue` when absent; a usage error otherwise.
    func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>,
             command: CommandSpec) throws -> Int {
        guard let text = value(name) else { return defaultValue }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("The value '\(text)' is invalid for '--\(name)': expected an integer in \(range.lowerBound)…\(range.upperBound).",
                             command: command)
        }
        return number
    }

    /// A floating-point option in `range`, or `defaultValue` when absent.
    func double(_ name: String, default defaultValue: Double, in range: ClosedRange<Double>,
                command: CommandSpec) throws -> Double {
        guard let text = value(name) else { return defaultValue }
        guard let number = Double(text), range.contains(number) else {
            throw UsageError("The value '\(text)' is invalid for '--\(name)': expected a number in \(range.lowerBound)…\(range.upperBound).",
                             command: command)
        }
        return number
    }
}

/// A command line that cannot be run as written (exit status 64, EX_USAGE).
struct UsageError: Error {
    let message: String
    let command: CommandSpec?
    init(_ message: String, command: CommandSpec?) {
        self.message = message
        self.command = command
    }
}

/// `-h` / `--help` was given: print the command's help and exit 0.
struct HelpRequested: Error {
    let command: CommandSpec
}

/// A failure while running a command (exit status 1), with a sentence for the user.
struct RuntimeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The command already reported its failures (e.g. some files of a batch); exit with `status`.
struct ExitQuietly: Error {
    let status: Int32
}
