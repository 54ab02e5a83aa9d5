import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Standard-error output: messages, warnings and a progress bar drawn only when stderr is a terminal.
enum Terminal {
    /// Whether standard error is a terminal (progress bars are drawn only then).
    static let stderrIsTerminal: Bool = isatty(2) == 1

    /// Writes `text` to standard error as is.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes `text` and `terminator` (a newline by default) to standard output.
    static func print(_ text: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((text + terminator).utf8))
    }
}

/// A one-line progress bar on standard error (`label [#####.....] 12/40 detail ETA 1m02s`),
/// redrawn at most 10 times a second, and silent when stderr is not a terminal.
final class ProgressBar {
    private let label: String
    private let total: Int
    private let start = ContinuousClock.now
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private let enabled: Bool

    init(label: String, total: Int, enabled: Bool = Terminal.stderrIsTerminal) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    /// Shows `done` of `total` finished, with an optional detail (loss, rate…).
    func update(_ done: Int, detail: String = "", force: Bool = false) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard force || now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        let fraction = min(max(Double(done) / Double(total), 0), 1)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let elapsed = (now - start).seconds
        var eta = ""
        if done > 0 && done < total {
            eta = " ETA " + Self.duration(elapsed / Double(done) * Double(total - done))
        }
        Terminal.writeError("\r\u{1B}[2K\(label) [\(bar)] \(done)/\(total) \(detail)\(eta)")
    }

    /// Clears the bar's line.
    func finish() {
        guard enabled else { return }
        Terminal.writeError("\r\u{1B}[2K")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", s / 60 % 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}

extension Duration {
    /// This duration in seconds, as a Double.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
