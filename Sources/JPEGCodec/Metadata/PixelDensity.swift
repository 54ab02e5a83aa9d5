/// How many pixels make up a unit of length along each axis.
public struct PixelDensity: Sendable, Equatable {
    /// The unit the densities count pixels per.
    public enum Unit: Sendable, Equatable {
        /// No absolute unit: only the ratio of the two densities (the pixel aspect ratio)
        /// is meaningful (JFIF units 0).
        case aspectRatio
        /// Pixels per inch (JFIF units 1, EXIF ResolutionUnit 2).
        case inch
        /// Pixels per centimetre (JFIF units 2, EXIF ResolutionUnit 3).
        case centimetre
    }

    /// The segment the density was read from.
    public enum Source: Sendable, Equatable {
        /// The JFIF APP0 segment (integers 1…65535).
        case jfif
        /// The EXIF XResolution/YResolution rationals.
        case exif
    }

    /// Pixels per unit along x; finite and > 0.
    public var horizontal: Double
    /// Pixels per unit along y; finite and > 0.
    public var vertical: Double
    /// The unit.
    public var unit: Unit
    /// Where the values came from.
    public var source: Source

    /// Creates a density.
    public init(horizontal: Double, vertical: Double, unit: Unit, source: Source) {
        self.horizontal = horizontal
        self.vertical = vertical
        self.unit = unit
        self.source = source
    }

    /// The values of a PNG `pHYs` chunk (PNG spec 11.3.5.3): pixels per metre, rounded, when
    /// the unit is absolute (1 inch = 0.0254 m, so 300 dpi → 11811); for
    /// ``Unit/aspectRatio`` the two densities themselves with `unitIsMetre` false. Values
    /// are clamped to 1…2³¹ − 1, the range a PNG four-byte unsigned integer may hold.
    public var pixelsPerUnit: (x: UInt32, y: UInt32, unitIsMetre: Bool) {
        let scale: Double
        switch unit {
        case .aspectRatio: scale = 1
        case .inch: scale = 1 / 0.0254
        case .centimetre: scale = 100
        }
        func clamp(_ v: Double) -> UInt32 {
            let r = (v * scale).rounded()
            guard r.isFinite else { return r > 0 ? UInt32(Int32.max) : 1 }
            return UInt32(max(1, min(Double(Int32.max), r)))
        }
        return (clamp(horizontal), clamp(vertical), unit != .aspectRatio)
    }
}
