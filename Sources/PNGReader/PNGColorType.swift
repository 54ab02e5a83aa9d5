/// The colour types of PNG's IHDR chunk.
public enum PNGColorType: UInt8, Sendable, Hashable, CaseIterable {
    /// Grayscale (bit depths 1, 2, 4, 8, 16).
    case gray = 0
    /// RGB (8, 16).
    case rgb = 2
    /// Palette indices (1, 2, 4, 8).
    case palette = 3
    /// Grayscale with alpha (8, 16).
    case grayAlpha = 4
    /// RGB with alpha (8, 16).
    case rgba = 6

    /// Samples per pixel as stored.
    public var channels: Int {
        switch self {
        case .gray, .palette: return 1
        case .grayAlpha: return 2
        case .rgb: return 3
        case .rgba: return 4
        }
    }

    /// Whether `depth` is allowed for this colour type (PNG spec table 11.1).
    public func allows(bitDepth depth: Int) -> Bool {
        switch self {
        case .gray: return [1, 2, 4, 8, 16].contains(depth)
        case .palette: return [1, 2, 4, 8].contains(depth)
        case .rgb, .grayAlpha, .rgba: return depth == 8 || depth == 16
        }
    }
}
