/// The metadata of a JPEG file worth carrying into another format (a PNG's `eXIf`, `iTXt`
/// and `pHYs` chunks), read from the marker segments before the first scan, where libjpeg
/// and Pillow read them too. The ICC profile and the EXIF orientation are kept beside it in
/// ``DecodedJPEG`` and ``JPEGInfo``.
///
/// Reading it costs one pass over each APPn segment (at most 65,533 bytes each), so never
/// more than the file's size; damaged EXIF or XMP is left out and named in ``issues``,
/// never thrown and never trapped on.
public struct JPEGMetadata: Sendable, Equatable {
    /// The EXIF block: the TIFF structure of the first well-formed APP1 "Exif\0\0" segment,
    /// from its byte-order mark ("II" or "MM") to the end of the segment — exactly what a
    /// PNG `eXIf` chunk holds. Nil when the file has none (or only damaged ones).
    public var exif: [UInt8]?
    /// The XMP packet (UTF-8 XML) of the first well-formed APP1
    /// "http://ns.adobe.com/xap/1.0/\0" segment, trailing NUL bytes removed. Extended XMP (the "xmp/extension" segments that
    /// continue a packet over 64 KB) is not joined; see ``JPEGMetadataIssue/extendedXMPIgnored(offset:)``.
    public var xmp: [UInt8]?
    /// The pixel density: from the JFIF APP0 segment when it names a unit, else from the
    /// EXIF XResolution/YResolution/ResolutionUnit tags, else a JFIF aspect ratio that is
    /// not 1:1. Nil when the file says nothing useful.
    public var density: PixelDensity?
    /// Metadata that was present but left out because it is damaged, in file order; at
    /// most one per kind.
    public var issues: [JPEGMetadataIssue]

    /// Creates metadata (for tests and for callers that build it by hand).
    public init(exif: [UInt8]? = nil, xmp: [UInt8]? = nil, density: PixelDensity? = nil,
                issues: [JPEGMetadataIssue] = []) {
        self.exif = exif
        self.xmp = xmp
        self.density = density
        self.issues = issues
    }

    /// The metadata that describes the pixels after ``RasterImage/applyingOrientation(_:)``
    /// with `orientation`: the EXIF Orientation tag and XMP's `tiff:Orientation` say 1 (so a
    /// viewer that honours them does not turn the image a second time), and for the
    /// orientations that swap the axes (5…8) the horizontal and vertical densities are
    /// swapped. With `orientation` 1 (or outside 1…8) the metadata is returned unchanged.
    /// - Parameter orientation: the EXIF orientation 1…8 that was applied to the pixels.
    public func afterApplyingOrientation(_ orientation: Int) -> JPEGMetadata {
        guard (2...8).contains(orientation) else { return self }
        var result = self
        if var tiff = result.exif {
            _ = ExifTIFF.resetOrientation(in: &tiff)
            result.exif = tiff
        }
        if let packet = result.xmp { result.xmp = XMPPacket.resettingOrientation(packet) }
        if orientation >= 5, let d = result.density {
            result.density = PixelDensity(horizontal: d.vertical, vertical: d.horizontal, unit: d.unit, source: d.source)
        }
        return result
    }
}

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

/// Metadata that a file holds but that was left out of ``JPEGMetadata`` because it is
/// damaged or not supported. Decoding is not affected (this is not a ``JPEGWarning``, and
/// strict decoding does not throw it); a caller that carries metadata can tell the user
/// what did not make it. Every case names the byte offset of the segment's marker.
public enum JPEGMetadataIssue: Equatable, Sendable, CustomStringConvertible {
    /// An APP1 "Exif" segment whose TIFF structure is unreadable: `reason` says how.
    case malformedExif(offset: Int, reason: String)
    /// An APP1 XMP segment whose packet is not UTF-8 text: `reason` says how.
    case malformedXMP(offset: Int, reason: String)
    /// An extended-XMP segment ("http://ns.adobe.com/xmp/extension/"), the continuation of
    /// a packet too large for one segment; it is not joined to the main packet.
    case extendedXMPIgnored(offset: Int)

    /// A sentence for a user, naming the problem and where it is.
    public var description: String {
        switch self {
        case let .malformedExif(offset, reason):
            return "The EXIF block at byte \(offset) is damaged (\(reason)); it was left out."
        case let .malformedXMP(offset, reason):
            return "The XMP packet at byte \(offset) is damaged (\(reason)); it was left out."
        case let .extendedXMPIgnored(offset):
            return "The extended XMP at byte \(offset) (the continuation of a large XMP packet) was left out."
        }
    }

    /// The kind, to keep one issue per kind.
    var kind: Int {
        switch self {
        case .malformedExif: return 0
        case .malformedXMP: return 1
        case .extendedXMPIgnored: return 2
        }
    }
}

/// Gathers ``JPEGMetadata`` from APP0 and APP1 segment bodies as the marker parser meets them.
struct MetadataCollector {
    private(set) var exif: [UInt8]?
    private(set) var xmp: [UInt8]?
    private var jfifDensity: PixelDensity?
    private var jfifAspect: PixelDensity?
    private var exifDensity: PixelDensity?
    private var issues: [JPEGMetadataIssue] = []

    static let exifSignature: [UInt8] = Array("Exif".utf8) + [0, 0]
    static let xmpSignature: [UInt8] = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]
    static let extendedXMPSignature: [UInt8] = Array("http://ns.adobe.com/xmp/extension/".utf8) + [0]

    private mutating func note(_ issue: JPEGMetadataIssue) {
        if !issues.contains(where: { $0.kind == issue.kind }) { issues.append(issue) }
    }

    /// An APP0 body: a JFIF header sets the density (units 1 or 2) or the aspect ratio (0).
    mutating func addAPP0(_ body: ArraySlice<UInt8>) {
        let b = body, s = body.startIndex
        guard b.count >= 12, Array(b[s..<(s + 5)]) == [0x4A, 0x46, 0x49, 0x46, 0] else { return }
        guard jfifDensity == nil, jfifAspect == nil else { return }
        let units = b[s + 7]
        let x = Int(b[s + 8]) << 8 | Int(b[s + 9]), y = Int(b[s + 10]) << 8 | Int(b[s + 11])
        guard x > 0, y > 0 else { return }
        switch units {
        case 1: jfifDensity = PixelDensity(horizontal: Double(x), vertical: Double(y), unit: .inch, source: .jfif)
        case 2: jfifDensity = PixelDensity(horizontal: Double(x), vertical: Double(y), unit: .centimetre, source: .jfif)
        case 0 where x != y:
            jfifAspect = PixelDensity(horizontal: Double(x), vertical: Double(y), unit: .aspectRatio, source: .jfif)
        default: break
        }
    }

    /// An APP1 body: EXIF, XMP, or extended XMP; anything else is ignored.
    mutating func addAPP1(_ body: ArraySlice<UInt8>, offset: Int) {
        if body.starts(with: MetadataCollector.exifSignature) {
            guard exif == nil else { return }
            let tiff = Array(body.dropFirst(6))
            if let problem = ExifTIFF.problem(tiff) {
                note(.malformedExif(offset: offset, reason: problem.description))
            } else {
                exif = tiff
                exifDensity = ExifTIFF.density(tiff)
            }
        } else if body.starts(with: MetadataCollector.xmpSignature) {
            guard xmp == nil else { return }
            var packet = Array(body.dropFirst(MetadataCollector.xmpSignature.count))
            while packet.last == 0 { packet.removeLast() }
            if let reason = XMPPacket.problem(packet) {
                note(.malformedXMP(offset: offset, reason: reason))
            } else {
                xmp = packet
            }
        } else if body.starts(with: MetadataCollector.extendedXMPSignature) {
            note(.extendedXMPIgnored(offset: offset))
        }
    }

    /// What was gathered.
    var metadata: JPEGMetadata {
        JPEGMetadata(exif: exif, xmp: xmp, density: jfifDensity ?? exifDensity ?? jfifAspect, issues: issues)
    }
}
