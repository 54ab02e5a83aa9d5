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
