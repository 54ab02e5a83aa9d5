/// Text and file names made safe for the report's HTML (and the SVG inside it).
enum HTMLText {
    /// `text` as HTML character data or a quoted attribute value: `& < > " '` as references,
    /// bytes of a non-UTF-8 file name (``OSPath``'s escapes) and control characters as U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in OSPath.displayable(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value):
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A relative path (`/`-separated) as a URL path for `src` and `href`: every byte but
    /// the unreserved ones (`A–Z a–z 0–9 - . _ ~`) and `/` percent-encoded.
    static func urlPath(_ path: String) -> String {
        var out = ""
        for byte in OSPath.encode(path) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// A file-name part made of `A–Z a–z 0–9 - _` only (others become `_`), at most
    /// `limit` characters: crop files get names that need no escaping anywhere.
    static func slug(_ name: String, limit: Int = 40) -> String {
        var out = ""
        for byte in OSPath.encode(name).prefix(limit) {
            let safe = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            out.unicodeScalars.append(safe ? Unicode.Scalar(byte) : "_")
        }
        return out.isEmpty ? "image" : out
    }
}
