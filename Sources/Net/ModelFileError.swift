/// Why a model file or a trainer checkpoint was refused.
///
/// Every case carries the byte offset where the problem was found and the offending values,
/// and ``description`` turns it into a one-line message for the command line.
public enum ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data ends before a field that starts at `offset` and needs `needed` bytes; only
    /// `available` bytes remain.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The first four bytes are not the expected magic: not a file of this kind.
    case foreignMagic(expected: [UInt8], found: [UInt8])
    /// The file was written by a newer (or unknown) format version than this reader supports.
    case unsupportedVersion(found: Int, supported: Int)
    /// The payload's CRC-32 does not match the one stored in the header: the file is corrupt.
    case checksumMismatch(declared: UInt32, computed: UInt32)
    /// The data holds `count` more bytes after the end of the declared payload at `offset`.
    case trailingBytes(offset: Int, count: Int)
    /// A field holds a value this reader does not accept (an unknown code, a zero size, an
    /// index out of range, a reserved field that is not zero).
    case invalidValue(field: String, value: UInt64, offset: Int)
    /// A field declares a size whose elements would need `declaredBytes` bytes (or more than
    /// `Int.max` when nil), but only `availableBytes` remain: nothing is allocated for it.
    case sizeExceedsData(field: String, declaredBytes: UInt64?, availableBytes: Int, offset: Int)
    /// A text field is not valid UTF-8.
    case invalidText(field: String, offset: Int)
    /// A section's content is inconsistent with the rest (e.g. a parameter count that does not
    /// match the architecture, or moments for a different model).
    case inconsistent(field: String, found: UInt64, expected: UInt64, offset: Int)

    /// The file holds a family of `count` networks where one model was expected.
    case family(count: Int)

    /// A one-line human-readable explanation.
    public var description: String {
        switch self {
        case let .truncated(offset, needed, available):
            return "file is truncated: at byte \(offset) a field needs \(needed) bytes but only \(available) remain"
        case let .foreignMagic(expected, found):
            return "not a file of this kind: expected magic \(Self.show(expected)), found \(Self.show(found))"
        case let .unsupportedVersion(found, supported):
            return "unsupported format version \(found) (this build reads versions up to \(supported))"
        case let .checksumMismatch(declared, computed):
            return "file is corrupt: stored CRC-32 \(Self.hex(declared)) but the payload's is \(Self.hex(computed))"
        case let .trailingBytes(offset, count):
            return "file has \(count) unexpected bytes after its payload at byte \(offset)"
        case let .invalidValue(field, value, offset):
            return "invalid \(field) \(value) at byte \(offset)"
        case let .sizeExceedsData(field, declared, available, offset):
            let need = declared.map { "\($0) bytes" } ?? "more bytes than addressable"
            return "\(field) at byte \(offset) declares \(need) but only \(available) bytes remain"
        case let .invalidText(field, offset):
            return "\(field) at byte \(offset) is not valid UTF-8"
        case let .family(count):
            return "the file holds a family of \(count) networks, where one model was expected"
        case let .inconsistent(field, found, expected, offset):
            return "inconsistent \(field) at byte \(offset): found \(found), expected \(expected)"
        }
    }

    private static func show(_ bytes: [UInt8]) -> String {
        let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if printable && !bytes.isEmpty { return "\"" + String(decoding: bytes, as: UTF8.self) + "\"" }
        return "[" + bytes.map { hexByte($0) }.joined(separator: " ") + "]"
    }

    private static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }

    private static func hex(_ v: UInt32) -> String {
        "0x" + (0..<4).reversed().map { hexByte(UInt8(truncatingIfNeeded: v >> (8 * UInt32($0)))) }.joined()
    }
}
