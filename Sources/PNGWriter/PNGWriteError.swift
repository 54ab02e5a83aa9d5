/// Why the encoder refused its input.
public enum PNGWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Width or height is zero, negative or above 2³¹ − 1 (PNG's limit).
    case invalidDimensions(width: Int, height: Int)
    /// The sample array's length is not width × height × channels.
    case sampleCountMismatch(expected: Int, actual: Int)
    /// 8-bit samples were given for a 16-bit format, or 16-bit samples for an 8-bit one.
    case sampleTypeMismatch(format: PNGPixelFormat)
    /// The ICC profile name is not 1–79 printable Latin-1 characters without leading,
    /// trailing or doubled spaces (PNG spec §11.3.3.3).
    case invalidProfileName(String)
    /// Metadata the encoder was given cannot be written (see ``PNGEncoder/metadataProblems``;
    /// ``PNGEncoder/dropUnwritableMetadata()`` removes it beforehand).
    case unwritableMetadata(PNGMetadataProblem)

    /// A sentence describing the error.
    public var description: String {
        switch self {
        case let .invalidDimensions(w, h):
            return "The image size \(w)×\(h) cannot be written as PNG: both sides must be 1 to 2147483647 pixels."
        case let .sampleCountMismatch(expected, actual):
            return "The image needs \(expected) samples but \(actual) were given."
        case let .sampleTypeMismatch(format):
            return "The samples' type does not match the \(format.bitDepth)-bit pixel format \(format)."
        case let .invalidProfileName(name):
            return "The ICC profile name \"\(name)\" is not 1 to 79 printable Latin-1 characters without leading, trailing or double spaces."
        case let .unwritableMetadata(problem):
            return problem.description
        }
    }
}
