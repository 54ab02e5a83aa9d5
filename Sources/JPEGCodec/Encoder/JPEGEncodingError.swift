/// Why ``JPEGEncoder`` refused to encode an image.
public enum JPEGEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Width or height is 0 or larger than 65535 (the limit of the SOF fields).
    case invalidDimensions(width: Int, height: Int)
    /// Quality outside 1…100.
    case invalidQuality(Int)
    /// Restart interval (in MCUs or rows) negative, or an MCU count above 65535.
    case invalidRestartInterval(Int)
    /// Explicit quantization tables: not 1 or 2 tables, a table without 64 entries, or an
    /// entry outside 1…32767. Carries the table index.
    case invalidQuantizationTable(index: Int)
    /// The image has a channel count other than 1 or 3.
    case unsupportedChannelCount(Int)
    /// Raw planes: wrong number of planes (1 or 3 expected).
    case invalidPlaneCount(Int)
    /// Raw planes: a plane's size does not match the size its sampling factors imply,
    /// or its sample count is not `width × height`.
    case invalidPlaneSize(index: Int, expectedWidth: Int, expectedHeight: Int)

    /// A one-line message for people.
    public var description: String {
        switch self {
        case let .invalidDimensions(width, height):
            return "JPEG image size \(width)×\(height) is outside 1…65535 on a side"
        case let .invalidQuality(quality):
            return "JPEG quality \(quality) is outside 1…100"
        case let .invalidRestartInterval(value):
            return "JPEG restart interval \(value) is outside 0…65535 MCUs"
        case let .invalidQuantizationTable(index):
            return "quantization table \(index) must hold 64 entries in 1…32767 (1 or 2 tables)"
        case let .unsupportedChannelCount(channels):
            return "cannot encode an image with \(channels) channels (1 or 3 expected)"
        case let .invalidPlaneCount(count):
            return "cannot encode \(count) planes (1 or 3 expected)"
        case let .invalidPlaneSize(index, expectedWidth, expectedHeight):
            return "plane \(index) must be \(expectedWidth)×\(expectedHeight) samples"
        }
    }
}
