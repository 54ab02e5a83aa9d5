import LZ77

/// How hard the deflate encoder searches for repeated strings.
public enum CompressionLevel: Sendable, Hashable, CaseIterable {
    /// Greedy matching, 4 candidates per position: fastest (on a 12 MP photo about 1.6× as
    /// fast as Pillow/zlib-ng level 1 and 5 % smaller).
    case fast
    /// Lazy matching, 16 candidates per position (128 in highly repetitive content such as
    /// screenshots, 2 in noisy content such as photos, where few matches exist): the balance
    /// used when nothing is specified (on a 12 MP photo about 3×
    /// as fast as Pillow/zlib-ng level 6 and slightly smaller).
    case `default`
    /// Lazy matching, 512 candidates per position: smallest output, about 3× slower than
    /// `default`.
    case best
}

extension CompressionLevel {
    /// The deflate match-finder settings of this level.
    var matchParameters: MatchParameters {
        switch self {
        case .fast: .fast
        case .default: .standard
        case .best: .best
        }
    }
}
