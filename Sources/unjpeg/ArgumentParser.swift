#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
    /// Whether the command cannot run without it (shown without brackets in USAGE, checked by the parser).
    let required: Bool

    static func flag(_ name: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: nil, help: help, defaultValue: nil, repeatable: false, required: false)
    }

    static func value(_ name: String, short: Character? = nil, _ valueName: String, help: String,
                      default defaultValue: String? = nil, repeatable: Bool = false, required: Bool = false) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: valueName, help: help,
                   defaultValue: defaultValue, repeatable: repeatable, required: required)
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

/// The tool's name and version (`unjpeg --version`).
enum Tool {
    static let name = "unjpeg"
    static let version = "0.9.0"
}

/// What a command accepts, and the text of its `--help`, in swift-argument-parser's layout.
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

    /// The one-line `USAGE:` form: optional options collapse to `[<options>]`, required ones
    /// are spelled out, then the positionals.
    var usage: String {
        var parts = [Tool.name, path].filter { !$0.isEmpty }
        if options.contains(where: { !$0.required }) { parts.append("[<options>]") }
        for option in options where option.required { parts.append(option.usageFragment) }
        for positional in positionals {
            var text = "<\(positional.name)>"
            if positional.variadic { text += " ..." }
            parts.append(positional.optional ? "[\(text)]" : text)
        }
        return parts.joined(separator: " ")
    }

    /// The full help text, wrapped to `width` columns.
    func helpText(width: Int = HelpLayout.width) -> String {
        var out = "OVERVIEW: " + HelpLayout.wrap(abstract, width: width, indent: 10, firstIndent: 10) + "\n"
        if let discussion { out += "\n" + HelpLayout.wrap(discussion, width: width, indent: 0, firstIndent: 0) + "\n" }
        out += "\nUSAGE: \(usage)\n"
        if !positionals.isEmpty {
            out += "\nARGUMENTS:\n"
            out += HelpLayout.table(positionals.map { ("<\($0.name)>", $0.help) }, width: width)
        }
        out += "\nOPTIONS:\n"
        var rows = options.map { option -> (String, String) in
            var help = option.help
            if let d = option.defaultValue { help += " (default: \(d))" }
            if option.required { help += " (required)" }
            return (option.helpLabel, help)
        }
        rows.append(("--version", "Show the version."))
        rows.append(("-h, --help", "Show help information."))
        out += HelpLayout.table(rows, width: width)
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
                var message = "Unknown option '--\(long)'."
                if let guess = Suggestion.closest(to: long, among: options.map(\.name) + ["help", "version"]) {
                    message += " Did you mean '--\(guess)'?"
                }
                throw UsageError(message, command: self)
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
            if argument == "--version" { throw VersionRequested() }
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
                    var message = "Unknown option '\(argument)'."
                    if letters.count > 1, options.contains(where: { $0.name == String(letters) }) {
                        message += " Did you mean '--\(String(letters))'?"
                    }
                    throw UsageError(message, command: self)
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
        for option in options where option.required && result.values[option.name] == nil {
            throw UsageError("Missing expected argument '\(option.usageFragment)'.", command: self)
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

/// Help text layout: two-column tables and paragraphs wrapped to the terminal.
enum HelpLayout {
    /// The width help is wrapped to: the terminal's when standard output is one (at most 100
    /// columns, as wide lines read badly), else 80.
    static var width: Int {
        isatty(1) == 1 ? min(max(Terminal.width(fd: 1), 40), 100) : 80
    }

    /// `text` wrapped at spaces to `width` columns. Continuation lines start with `indent`
    /// spaces; the first line is assumed to start at column `firstIndent` (its indent is the
    /// caller's). Single line breaks are spaces; a blank line starts a new paragraph.
    static func wrap(_ text: String, width: Int, indent: Int, firstIndent: Int) -> String {
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
            .split(whereSeparator: { $0.trimmingSpaces().isEmpty })
        let pad = String(repeating: " ", count: indent)
        var out: [String] = []
        for (number, lines) in paragraphs.enumerated() {
            var wrapped: [String] = []
            var line = ""
            var start = number == 0 ? firstIndent : indent
            for word in lines.flatMap({ $0.split(separator: " ") }) {
                if !line.isEmpty && start + line.count + 1 + word.count > width {
                    wrapped.append(line)
                    line = ""
                    start = indent
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            wrapped.append(line)
            out.append((number == 0 ? "" : pad) + wrapped.joined(separator: "\n" + pad))
        }
        return out.joined(separator: "\n\n")
    }

    /// Rows of (label, help) with the help in an aligned, wrapped column.
    static func table(_ rows: [(String, String)], width: Int = HelpLayout.width) -> String {
        let column = min(max(rows.map(\.0.count).max() ?? 0, 8), 28)
        let helpIndent = column + 4
        var out = ""
        for (label, help) in rows {
            let wrapped = wrap(help, width: width, indent: helpIndent, firstIndent: helpIndent)
            if label.count > column {
                out += "  \(label)\n" + String(repeating: " ", count: helpIndent) + wrapped + "\n"
            } else {
                out += "  " + label + String(repeating: " ", count: column - label.count) + "  " + wrapped + "\n"
            }
        }
        return out
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}

/// "Did you mean …?": the closest known word by edit distance, when it is close enough.
enum Suggestion {
    /// Edit distance between `a` and `b`: insertions, deletions, substitutions and swaps of
    /// two neighbours ("modle" → "model") each count 1 (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                d[i][j] = Swift.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = Swift.min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }

    /// The candidate nearest to `word`, if within about a third of its length (at least 1, at
    /// most 3 edits), or one that starts with it.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        if let (best, d) = scored, d <= Swift.max(1, Swift.min(3, (word.count + 1) / 3)) { return best }
        if word.count >= 3, let prefixed = candidates.first(where: { $0.hasPrefix(word) }) { return prefixed }
        return nil
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

    /// A required option's value (the parser has checked it is there).
    func required(_ name: String, command: CommandSpec) throws -> String {
        guard let value = value(name) else {
            throw UsageError("Missing expected argument '--\(name)'.", command: command)
        }
        return value
    }

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

    /// One of `choices`, or `defaultValue` when absent; a usage error (with the closest
    /// choice) otherwise.
    func choice(_ name: String, default defaultValue: String, among choices: [String],
                command: CommandSpec) throws -> String {
        guard let text = value(name) else { return defaultValue }
        guard choices.contains(text) else {
            let list = choices.dropLast().joined(separator: ", ") + " or " + (choices.last ?? "")
            var message = "The value '\(text)' is invalid for '--\(name)': expected \(list)."
            if let guess = Suggestion.closest(to: text, among: choices) { message += " Did you mean '\(guess)'?" }
            throw UsageError(message, command: command)
        }
        return text
    }

    /// A floating-point option in `range`, or `defaultValue` when absent.
    func double(_ name: String, default defaultValue: Double, in range: ClosedRange<Double>,
                command: CommandSpec) throws -> Double {
        try double(name, in: range, command: command) ?? defaultValue
    }

    /// A floating-point option in `range`, or nil when absent (an option with no default).
    func double(_ name: String, in range: ClosedRange<Double>, command: CommandSpec) throws -> Double? {
        guard let text = value(name) else { return nil }
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

/// `--version` was given: print the version and exit 0.
struct VersionRequested: Error {}

/// A failure while running a command (exit status 1), with a sentence for the user.
struct RuntimeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The command already reported its failures (e.g. some files of a batch); exit with `status`.
struct ExitQuietly: Error {
    let status: Int32
}
