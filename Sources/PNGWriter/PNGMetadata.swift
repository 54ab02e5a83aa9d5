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
