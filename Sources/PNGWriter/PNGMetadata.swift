/// An ICC colour profile to embed in an iCCP chunk.
public struct ICCProfile: Sendable, Hashable {
    /// The profile name (1–79 printable Latin-1 characters), e.g. "ICC Profile".
    public var name: String
    /// The uncompressed profile bytes; the encoder deflates them.
    public var data: [UInt8]

    /// Creates a profile to embed.
    /// - Parameters:
    ///   - name: The name stored in the chunk.
    ///   - data: The raw ICC profile.
    public init(name: String = "ICC Profile", data: [UInt8]) {
        self.name = name
        self.data = data
    }
}

/// The sRGB chunk's rendering intent (PNG spec §11.3.3.5).
public enum SRGBIntent: UInt8, Sendable, Hashable {
    /// Perceptual.
    case perceptual = 0
    /// Relative colorimetric.
    case relativeColorimetric = 1
    /// Saturation.
    case saturation = 2
    /// Absolute colorimetric.
    case absoluteColorimetric = 3
}

/// Physical pixel dimensions for a pHYs chunk.
public struct PhysicalDimensions: Sendable, Hashable {
    /// Pixels per unit along x.
    public var pixelsPerUnitX: UInt32
    /// Pixels per unit along y.
    public var pixelsPerUnitY: UInt32
    /// `true` if the unit is the metre, `false` if only the aspect ratio is meaningful.
    public var unitIsMetre: Bool

    /// Creates pixel dimensions.
    /// - Parameters:
    ///   - pixelsPerUnitX: Pixels per unit along x.
    ///   - pixelsPerUnitY: Pixels per unit along y.
    ///   - unitIsMetre: Whether the unit is the metre.
    public init(pixelsPerUnitX: UInt32, pixelsPerUnitY: UInt32, unitIsMetre: Bool) {
        self.pixelsPerUnitX = pixelsPerUnitX
        self.pixelsPerUnitY = pixelsPerUnitY
        self.unitIsMetre = unitIsMetre
    }

    /// Square pixels at `dpi` dots per inch (converted to pixels per metre, rounded).
    /// - Parameter dpi: Dots per inch.
    /// - Returns: The dimensions in pixels per metre.
    public static func dotsPerInch(_ dpi: Double) -> PhysicalDimensions {
        let ppm = UInt32(max(0, min(Double(UInt32.max), (dpi / 0.0254).rounded())))
        return PhysicalDimensions(pixelsPerUnitX: ppm, pixelsPerUnitY: ppm, unitIsMetre: true)
    }
}

/// Metadata that ``PNGEncoder/encode(_:width:height:format:)`` refuses to write, because it
/// is not what its chunk must hold or because common readers refuse a file that holds it.
/// ``PNGEncoder/metadataProblems`` lists them before encoding and
/// ``PNGEncoder/dropUnwritableMetadata()`` removes them, so that a caller can warn and still
/// write the image.
public enum PNGMetadataProblem: Equatable, Sendable, CustomStringConvertible {
    /// The ICC profile is larger than ``PNGEncoder/maxICCProfileBytes`` (Pillow refuses to
    /// open a PNG whose iCCP chunk inflates to more).
    case iccProfileTooLarge(bytes: Int, limit: Int)
    /// The EXIF block does not start with a TIFF header ("II*\0" or "MM\0*"), which an
    /// `eXIf` chunk must (libpng drops one whose byte-order mark is wrong).
    case exifNotTIFF(firstBytes: [UInt8])
    /// The `eXIf` chunk would exceed ``PNGEncoder/maxAncillaryChunkBytes``.
    case exifTooLarge(bytes: Int, limit: Int)
    /// The XMP packet is not iTXt text (UTF-8 without NUL characters); `reason` says where.
    case xmpNotText(reason: String)
    /// The XMP `iTXt` chunk would exceed ``PNGEncoder/maxAncillaryChunkBytes``.
    case xmpTooLarge(bytes: Int, limit: Int)

    /// A sentence for a user.
    public var description: String {
        switch self {
        case let .iccProfileTooLarge(bytes, limit):
            return "The ICC profile (\(bytes) bytes) is larger than the \(limit) bytes PNG readers such as Pillow accept."
        case let .exifNotTIFF(firstBytes):
            let hex = firstBytes.map { b -> String in
                let digits = Array("0123456789ABCDEF")
                return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
            }.joined(separator: " ")
            return "The EXIF block does not start with a TIFF header (it starts \(hex.isEmpty ? "empty" : hex))."
        case let .exifTooLarge(bytes, limit):
            return "The EXIF block (\(bytes) bytes) is larger than the \(limit) bytes PNG readers such as libpng accept in a chunk."
        case let .xmpNotText(reason):
            return "The XMP packet is not UTF-8 text (\(reason))."
        case let .xmpTooLarge(bytes, limit):
            return "The XMP packet (\(bytes) bytes) is larger than the \(limit) bytes PNG readers such as libpng accept in a chunk."
        }
    }
}

/// UTF-8 checks for iTXt text (PNG spec 11.3.3.4: UTF-8, no NUL).
enum ITXtText {
    /// Why `bytes` is not valid iTXt text, or nil when it is.
    static func problem(_ bytes: [UInt8]) -> String? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value == 0 { return "a NUL character at byte \(offset)" }
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                return "invalid UTF-8 at byte \(offset)"
            }
        }
    }
}
