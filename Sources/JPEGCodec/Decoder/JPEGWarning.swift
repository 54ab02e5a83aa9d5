/// A problem in a file that libjpeg recovers from (and warns about) and that this decoder
/// recovers from the same way. Decoding goes on and the warning is listed in
/// ``DecodedJPEG/warnings``; with ``JPEGDecodingOptions/strict`` the first one is thrown as
/// ``JPEGError/damaged(_:)`` instead. Every case names a byte offset from the start of the file.
public enum JPEGWarning: Equatable, Sendable, CustomStringConvertible {
    /// The entropy-coded data of a scan ends (at a marker or the end of the file) before all
    /// of its MCUs were coded; the rest was filled the way libjpeg fills it (libjpeg:
    /// "Corrupt JPEG data: premature end of data segment"). Strict mode throws
    /// ``JPEGError/truncated(offset:)``.
    case prematureEndOfScan(offset: Int)
    /// The entropy-coded data holds a bit pattern that is no code of the Huffman table in
    /// use; like libjpeg, 17 bits were read as symbol 0 and decoding went on (libjpeg:
    /// "Corrupt JPEG data: bad Huffman code"). Strict mode throws ``JPEGError/badHuffmanCode(offset:)``.
    case badHuffmanCode(offset: Int)
    /// At a restart point the marker RST`expected` was missing or another one was found;
    /// the decoder resynchronised as libjpeg does (libjpeg: "Corrupt JPEG data: found marker
    /// 0xXX instead of RSTn"). Strict mode throws ``JPEGError/badRestartMarker(expected:offset:)``.
    case badRestartMarker(expected: Int, offset: Int)
    /// The file ends without an EOI marker (libjpeg: "Premature end of JPEG file").
    case missingEOI(offset: Int)
    /// `count` bytes that belong to no marker segment were skipped before the marker at
    /// `offset` (libjpeg: "Corrupt JPEG data: N extraneous bytes before marker 0xXX").
    case extraneousBytes(count: Int, marker: UInt8, offset: Int)
    /// A progressive scan refines bits of a coefficient that earlier scans did not send in
    /// that order (libjpeg: "Inconsistent progression sequence for component C coefficient K").
    case inconsistentProgression(component: Int, coefficient: Int, offset: Int)
    /// `count` further warnings, the first of them at `firstOffset`, were not listed: the
    /// list stops at ``JPEGDecodingOptions/maxWarnings`` entries and this one, always last,
    /// counts the rest (a file can repeat one defect thousands of times).
    case moreWarnings(count: Int, firstOffset: Int)

    /// The byte offset (from the start of the file) the warning names.
    public var offset: Int {
        switch self {
        case .prematureEndOfScan(let offset), .badHuffmanCode(let offset), .badRestartMarker(_, let offset),
             .missingEOI(let offset), .extraneousBytes(_, _, let offset), .inconsistentProgression(_, _, let offset):
            return offset
        case .moreWarnings(_, let firstOffset):
            return firstOffset
        }
    }

    /// Whether the warning means that coefficients are missing or wrong (data that ran out,
    /// bad codes, lost restart intervals), so ``DecodedJPEG/coefficientsComplete`` is false.
    var damagesCoefficients: Bool {
        switch self {
        case .prematureEndOfScan, .badHuffmanCode, .badRestartMarker: return true
        default: return false
        }
    }

    /// A sentence for a user, naming the problem and where it is.
    public var description: String {
        switch self {
        case .prematureEndOfScan(let offset):
            return "The scan data ends early (at byte \(offset)); the missing part of the image was filled in as libjpeg does."
        case .badHuffmanCode(let offset):
            return "Corrupt entropy-coded data near byte \(offset) (no Huffman code matches); decoding went on as libjpeg does."
        case .badRestartMarker(let expected, let offset):
            return "Restart marker RST\(expected) missing near byte \(offset); decoding resynchronised as libjpeg does."
        case .missingEOI(let offset):
            return "The file ends at byte \(offset) without an end-of-image marker."
        case .extraneousBytes(let count, let marker, let offset):
            let digits = Array("0123456789ABCDEF")
            let hex = String([digits[Int(marker >> 4)], digits[Int(marker & 15)]])
            return "\(count) stray bytes before the marker FF \(hex) at byte \(offset) were skipped."
        case .inconsistentProgression(let component, let coefficient, let offset):
            return "The progressive scan at byte \(offset) refines component \(component), coefficient \(coefficient) out of order."
        case .moreWarnings(let count, let firstOffset):
            return "\(count) more warning\(count == 1 ? "" : "s") (from byte \(firstOffset) on) not listed."
        }
    }
}
