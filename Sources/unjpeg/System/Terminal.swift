#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Messages on standard error, text on standard output, and what the terminal can show.
enum Terminal {
    /// Whether standard error is a terminal (progress is drawn only then).
    static let stderrIsTerminal: Bool = isatty(2) == 1
    /// Whether the terminal understands escape codes (not when `TERM=dumb`).
    static let supportsEscapes: Bool = FileSystem.environment("TERM") != "dumb"

    /// Columns of the terminal on `fd` (TIOCGWINSZ, else `$COLUMNS`, else 80).
    static func width(fd: Int32 = 2) -> Int {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = FileSystem.environment("COLUMNS").flatMap({ Int($0) }), columns > 0 { return columns }
        return 80
    }

    /// Writes `text` to standard error as is (best effort).
    static func writeError(_ text: String) {
        StandardStreams.writeError(text)
    }

    /// Writes `text` and `terminator` (a newline by default) to standard output.
    static func print(_ text: String, terminator: String = "\n") {
        StandardStreams.writeText(text + terminator)
    }
}

/// Numbers as text, printf style (`%.3g`, `%+.2f`), without Foundation.
enum NumberFormat {
    /// `value` formatted by the C format `format` (one double conversion).
    static func c(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, arguments) }
        }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String { c("%.\(digits)f", value) }
}

/// A one-line progress display on standard error
/// (`clean [#####.....] 12/40 photo.jpg ETA 1m02s`): a 0/N frame first, redrawn at most 10
/// times a second, cut to the terminal's width so nothing wraps, without escape codes when
/// `TERM=dumb`, and silent when standard error is not a terminal (or with `-q`).
/// Not thread-safe by itself: callers serialise updates (one thread, or under a lock, as
/// `clean --jobs` does), hence `@unchecked Sendable`.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let start = ContinuousClock.now
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private let enabled: Bool
    private var drawn = false

    init(label: String, total: Int, enabled: Bool = Terminal.stderrIsTerminal) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
        update(0, force: true)
    }

    /// Shows `done` of `total` finished, with an optional detail (the current file, loss…).
    func update(_ done: Int, detail: String = "", force: Bool = false) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard force || now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        let fraction = min(max(Double(done) / Double(total), 0), 1)
        let elapsed = (now - start).seconds
        var eta = ""
        if done > 0 && done < total {
            eta = " ETA " + Self.duration(elapsed / Double(done) * Double(total - done))
        }
        // One column less than the width: writing the last column makes some terminals wrap.
        // The bar shrinks (20 down to 5 cells) before the detail is cut.
        let room = max(Terminal.width() - 1, 16)
        let fixed = "\(label) [] \(done)/\(total)\(eta)"
        let barWidth = min(20, max(5, room - fixed.count - 1))
        let filled = Int(fraction * Double(barWidth))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        var line = "\(label) [\(bar)] \(done)/\(total)\(eta)" + (detail.isEmpty ? "" : " \(detail)")
        if line.count > room { line = String(line.prefix(room - 1)) + "…" }
        draw(line)
    }

    private func draw(_ line: String) {
        if Terminal.supportsEscapes {
            Terminal.writeError("\r\u{1B}[2K" + line)
        } else {
            let room = max(Terminal.width() - 1, 10)
            Terminal.writeError("\r" + line + String(repeating: " ", count: max(0, room - line.count)))
        }
        drawn = true
    }

    /// Clears the progress line (so a message can be printed on a clean line).
    func finish() {
        guard enabled, drawn else { return }
        draw("")
        Terminal.writeError("\r")
        drawn = false
    }

    /// `1h02m`, `3m07s` or `12s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if s >= 3600 { return "\(s / 3600)h\(two(s / 60 % 60))m" }
        if s >= 60 { return "\(s / 60)m\(two(s % 60))s" }
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
