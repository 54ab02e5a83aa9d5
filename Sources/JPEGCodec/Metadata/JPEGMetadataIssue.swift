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
