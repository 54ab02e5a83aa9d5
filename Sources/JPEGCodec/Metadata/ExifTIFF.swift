/// Reads and patches an EXIF block: the TIFF structure (TIFF 6.0 §2) that follows
/// "Exif\0\0" in a JPEG APP1 segment and fills a PNG `eXIf` chunk. Only IFD0 is looked at;
/// every read is bounds-checked, so damaged or hostile bytes give nil or `false`, never a
/// trap, and the cost is at most one pass over IFD0's entries (≤ the block's size / 12).
enum ExifTIFF {
    /// Why a block is not a readable TIFF structure.
    enum Problem: Equatable, CustomStringConvertible {
        /// Fewer than the 8 bytes of a TIFF header.
        case tooShort(bytes: Int)
        /// The first four bytes are neither "II*\0" nor "MM\0*".
        case badHeader
        /// IFD0's offset points outside the block.
        case ifdOutOfBounds(offset: Int, size: Int)
        /// IFD0's entry count runs past the end of the block.
        case entriesOutOfBounds(entries: Int, size: Int)

        var description: String {
            switch self {
            case let .tooShort(bytes): return "\(bytes) bytes, shorter than a TIFF header"
            case .badHeader: return "no TIFF byte-order mark II*\\0 or MM\\0*"
            case let .ifdOutOfBounds(offset, size): return "the first IFD at \(offset) lies outside the \(size) bytes"
            case let .entriesOutOfBounds(entries, size): return "\(entries) IFD entries do not fit in the \(size) bytes"
            }
        }
    }

    /// Bounds-checked reads in the block's byte order.
    struct Reader {
        let bytes: [UInt8]
        let little: Bool

        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 8 else { return nil }
            switch (bytes[0], bytes[1], bytes[2], bytes[3]) {
            case (0x49, 0x49, 42, 0): little = true
            case (0x4D, 0x4D, 0, 42): little = false
            default: return nil
            }
            self.bytes = bytes
        }

        func u16(_ i: Int) -> Int? {
            guard i >= 0, i <= bytes.count - 2 else { return nil }
            let a = Int(bytes[i]), b = Int(bytes[i + 1])
            return little ? a | b << 8 : a << 8 | b
        }

        func u32(_ i: Int) -> Int? {
            guard let first = u16(i), let second = u16(i + 2) else { return nil }
            return little ? second << 16 | first : first << 16 | second
        }

        /// IFD0's offset and entry count, when both fit in the block.
        var ifd0: (start: Int, entries: Int)? {
            guard let start = u32(4), let n = u16(start), start + 2 + 12 * n <= bytes.count else { return nil }
            return (start, n)
        }

        /// The byte offset of IFD0's entry for `tag`, if any.
        func entry(_ tag: Int) -> Int? {
            guard let (start, n) = ifd0 else { return nil }
            for e in 0..<n where u16(start + 2 + 12 * e) == tag { return start + 2 + 12 * e }
            return nil
        }

        /// A one-value RATIONAL (type 5) tag of IFD0 as a Double, when finite and > 0.
        func rational(_ tag: Int) -> Double? {
            guard let e = entry(tag), u16(e + 2) == 5, u32(e + 4) == 1, let at = u32(e + 8),
                  let num = u32(at), let den = u32(at + 4), num > 0, den > 0 else { return nil }
            return Double(num) / Double(den)
        }

        /// A one-value SHORT (type 3) tag of IFD0.
        func short(_ tag: Int) -> Int? {
            guard let e = entry(tag), u16(e + 2) == 3, u32(e + 4) == 1 else { return nil }
            return u16(e + 8)
        }
    }

    /// Why `tiff` is not a TIFF header followed by an IFD0 whose entries all lie inside it;
    /// nil when it is.
    static func problem(_ tiff: [UInt8]) -> Problem? {
        guard tiff.count >= 8 else { return .tooShort(bytes: tiff.count) }
        guard let r = Reader(tiff) else { return .badHeader }
        let start = r.u32(4) ?? 0
        guard start >= 8, let n = r.u16(start) else { return .ifdOutOfBounds(offset: start, size: tiff.count) }
        guard start + 2 + 12 * n <= tiff.count else { return .entriesOutOfBounds(entries: n, size: tiff.count) }
        return nil
    }

    /// The orientation tag (0x0112) of IFD0, 1…8, or nil when absent, of another type than
    /// SHORT, out of range, or when the block is unreadable.
    /// - Parameter tiff: the EXIF block from its byte-order mark.
    static func orientation(_ tiff: [UInt8]) -> Int? {
        guard let r = Reader(tiff), let v = r.short(0x0112), (1...8).contains(v) else { return nil }
        return v
    }

    /// The density of IFD0's XResolution (0x011A) and YResolution (0x011B) rationals in the
    /// unit of ResolutionUnit (0x0128: 2 inch, the TIFF default when absent; 3 centimetre).
    /// Nil without a valid XResolution or with unit 1 (none) or another value. A missing
    /// YResolution is taken equal to XResolution, as Pillow does.
    static func density(_ tiff: [UInt8]) -> PixelDensity? {
        guard let r = Reader(tiff), let x = r.rational(0x011A) else { return nil }
        let y = r.rational(0x011B) ?? x
        let unit: PixelDensity.Unit
        switch r.short(0x0128) ?? 2 {
        case 2: unit = .inch
        case 3: unit = .centimetre
        default: return nil
        }
        return PixelDensity(horizontal: x, vertical: y, unit: unit, source: .exif)
    }

    /// Sets IFD0's Orientation tag (0x0112) to 1 ("top-left", the stored order), in place and
    /// in the block's byte order, so that a viewer does not rotate pixels that already were.
    /// Nothing else changes: the block keeps its length and every offset in it stays valid.
    /// - Parameter tiff: the EXIF block from its byte-order mark ("II" or "MM").
    /// - Returns: true when the tag exists (one SHORT or LONG value) and now says 1; false
    ///   when there is no such tag or the block is unreadable (the block is then unchanged).
    @discardableResult
    static func resetOrientation(in tiff: inout [UInt8]) -> Bool {
        guard let r = Reader(tiff), let e = r.entry(0x0112), r.u32(e + 4) == 1 else { return false }
        switch r.u16(e + 2) {
        case 3:  // SHORT: the value sits in the first two bytes of the value field
            tiff[e + 8] = r.little ? 1 : 0
            tiff[e + 9] = r.little ? 0 : 1
        case 4:  // LONG
            tiff[e + 8] = r.little ? 1 : 0
            tiff[e + 9] = 0
            tiff[e + 10] = 0
            tiff[e + 11] = r.little ? 0 : 1
        default:
            return false
        }
        return true
    }
}
