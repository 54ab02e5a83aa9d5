/// The JPEGs a model's network was trained on, as its file records them: the qualities, the
/// chroma samplings and whether custom (non-libjpeg) tables were among them. `clean` compares
/// a file's ``TableQuality`` with it and warns when the file is outside: the classical stages
/// read the file's own tables and still apply, but the network works outside what it learned.
public struct ModelCoverage: Equatable, Sendable {
    /// Quality ranges (a single quality is a one-value range).
    public var qualities: [ClosedRange<Int>]
    /// Chroma samplings, e.g. ["4:2:0"]. Gray files are covered whenever 4:4:4 is (a gray
    /// file is cleaned as R = G = B, with no chroma to restore).
    public var subsamplings: [String]
    /// Whether custom tables were part of training.
    public var customTables: Bool

    /// Metadata keys (the first two are the ones every model since the first has written).
    public enum Key {
        public static let quality = "unjpeg.jpeg.quality"
        public static let subsampling = "unjpeg.jpeg.subsampling"
        public static let tables = "unjpeg.jpeg.tables"
    }

    /// A coverage; a quality range listed twice (training weights a range by repeating it) is
    /// kept once.
    public init(qualities: [ClosedRange<Int>], subsamplings: [String], customTables: Bool) {
        self.qualities = Self.once(qualities)
        self.subsamplings = Self.once(subsamplings.map(Self.canonicalSampling))
        self.customTables = customTables
    }

    /// Reads the coverage from a model's metadata; nil when it does not say (no warning then).
    /// `unjpeg.jpeg.quality` is a list of qualities or ranges ("85", "50-98", "85,50-98"),
    /// `unjpeg.jpeg.subsampling` a list ("4:2:0,4:4:4"), `unjpeg.jpeg.tables` "standard"
    /// (the default) or "custom".
    public init?(metadata: [String: String]) {
        guard let q = metadata[Key.quality], let s = metadata[Key.subsampling],
              let qualities = Self.parseQualities(q) else { return nil }
        self.qualities = Self.once(qualities)
        subsamplings = Self.once(s.split(separator: ",").map { Self.canonicalSampling(String($0)) })
        customTables = metadata[Key.tables] == "custom"
    }

    /// A sampling's name as ``TableQuality`` writes it: "444" (as `train --subsampling` also
    /// accepts it) is "4:4:4", and spaces are dropped, so a family's choice by sampling matches.
    public static func canonicalSampling(_ name: String) -> String {
        let bare = name.filter { $0 != " " }
        switch bare {
        case "444": return "4:4:4"
        case "422": return "4:2:2"
        case "420": return "4:2:0"
        case "440": return "4:4:0"
        default: return bare
        }
    }

    /// `items` without repeats, in their first order.
    static func once<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }

    /// "85", "50-98" or "85,50-98" as ranges within 1…100; nil when malformed.
    public static func parseQualities(_ text: String) -> [ClosedRange<Int>]? {
        var out: [ClosedRange<Int>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count), let a = Int(ends[0]), let b = Int(ends[ends.count - 1]),
                  1 <= a, a <= b, b <= 100 else { return nil }
            out.append(a...b)
        }
        return out.isEmpty ? nil : out
    }

    /// The metadata entries that record this coverage.
    public func metadata() -> [String: String] {
        [Key.quality: qualities.map { $0.count == 1 ? String($0.lowerBound) : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ","),
         Key.subsampling: subsamplings.joined(separator: ","),
         Key.tables: customTables ? "custom" : "standard"]
    }

    /// Why a file of `quality` is outside this coverage, or nil when it is inside. A quality
    /// within 2 of a covered one counts as covered (neighbouring qualities differ by a step or
    /// two in a few entries).
    public func gap(for file: TableQuality) -> String? {
        var reasons: [String] = []
        if !qualities.contains(where: { ($0.lowerBound - 2)...($0.upperBound + 2) ~= file.quality }) {
            reasons.append("quality \(file.quality)")
        }
        let sampling = file.subsampling == "gray" ? "4:4:4" : file.subsampling
        if !subsamplings.contains(sampling) { reasons.append(file.subsampling) }
        if !file.isStandard && !customTables { reasons.append("custom quantization tables") }
        return reasons.isEmpty ? nil : reasons.joined(separator: ", ")
    }

    /// How many quality steps `quality` lies outside the nearest trained range (0 inside one).
    public func qualityDistance(to quality: Int) -> Int {
        qualities.map { quality < $0.lowerBound ? $0.lowerBound - quality : max(quality - $0.upperBound, 0) }.min() ?? Int.max
    }

    /// "quality 85, 4:2:0" — what the model covers, for a warning.
    public var description: String {
        let q = qualities.map { $0.count == 1 ? String($0.lowerBound) : "\($0.lowerBound)–\($0.upperBound)" }
        return "quality " + q.joined(separator: ", ") + "; " + subsamplings.joined(separator: ", ")
            + (customTables ? "; standard and custom tables" : "; standard tables")
    }
}
