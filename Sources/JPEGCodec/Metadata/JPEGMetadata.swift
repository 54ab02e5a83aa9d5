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
