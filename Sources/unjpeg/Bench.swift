#if canImport(Glibc)
import Glibc
#endif

/// Timing and reporting shared by every `unjpeg bench …` command: wall-clock and
/// process-CPU time per trial, best and median, printed as a table or as JSON lines.
enum Bench {
    /// Seconds of CPU time used by this process (all threads) so far.
    static func processCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// One trial's cost of one call: wall-clock and CPU seconds.
    struct Sample {
        var wall: Double
        var cpu: Double
    }

    /// Runs `body` once to warm up, then `trials` trials; each trial repeats `body` until
    /// `minTime` seconds have passed and records the mean cost per call.
    static func measure(trials: Int, minTime: Double, _ body: () throws -> Void) rethrows -> [Sample] {
        try body()
        var samples: [Sample] = []
        for _ in 0..<max(trials, 1) {
            let start = ContinuousClock.now
            let cpuStart = processCPUSeconds()
            var calls = 0
            repeat {
                try body()
                calls += 1
            } while (ContinuousClock.now - start).seconds < minTime
            let wall = (ContinuousClock.now - start).seconds / Double(calls)
            let cpu = (processCPUSeconds() - cpuStart) / Double(calls)
            samples.append(Sample(wall: wall, cpu: cpu))
        }
        return samples
    }

    /// The best (smallest) and median wall-clock seconds of `samples`.
    static func bestAndMedian(_ samples: [Sample]) -> (best: Sample, median: Double) {
        let sorted = samples.sorted { $0.wall < $1.wall }
        return (sorted[0], sorted[sorted.count / 2].wall)
    }
}

/// A missing value: `null` in JSON, `-` in a table.
struct JSONNull {}

/// One row of a benchmark result: named columns for the table, and the same values as a
/// JSON object (one per line with `--json`).
struct BenchRow {
    /// (column name, value) pairs, in display order. Values are Strings, Ints, Doubles
    /// (non-finite ones become `null`), Bools or ``JSONNull``.
    var fields: [(String, Any)]

    /// `text` as a JSON string literal: quotes, backslashes and every control character
    /// escaped; bytes of a non-UTF-8 file name as U+FFFD.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in OSPath.displayable(text).unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                        || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    func json() -> String {
        let parts = fields.map { key, value -> String in
            let rendered: String
            switch value {
            case let d as Double: rendered = d.isFinite ? NumberFormat.c("%.6g", d) : "null"
            case let i as Int: rendered = String(i)
            case let b as Bool: rendered = b ? "true" : "false"
            case is JSONNull: rendered = "null"
            case let s as String: rendered = Self.quoted(s)
            default: rendered = Self.quoted("\(value)")
            }
            return "\(Self.quoted(key)): \(rendered)"
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

/// Prints benchmark rows as a Markdown table (default) or as JSON lines.
struct BenchPrinter {
    let json: Bool
    private var header: [String]?

    init(json: Bool) { self.json = json }

    static func format(_ value: Any) -> String {
        switch value {
        case let d as Double:
            if !d.isFinite { return "-" }
            if abs(d) >= 100 { return NumberFormat.c("%.0f", d) }
            if abs(d) >= 10 { return NumberFormat.c("%.1f", d) }
            return NumberFormat.c("%.3g", d)
        case let b as Bool: return b ? "yes" : "no"
        case is JSONNull: return "-"
        default: return "\(value)"
        }
    }

    /// Prints one row (and the table header before the first one).
    mutating func emit(_ row: BenchRow) {
        if json {
            Terminal.print(row.json())
            return
        }
        let names = row.fields.map(\.0)
        if header != names {
            header = names
            Terminal.print("| " + names.joined(separator: " | ") + " |")
            Terminal.print("|" + names.map { _ in " ---: |" }.joined())
        }
        Terminal.print("| " + row.fields.map { Self.format($0.1) }.joined(separator: " | ") + " |")
    }
}
