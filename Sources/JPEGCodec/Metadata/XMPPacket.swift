/// Small, bounded edits and checks of an XMP packet (UTF-8 XML bytes) without an XML
/// parser: enough to keep XMP's `tiff:Orientation` in step with the pixels. Every scan is
/// linear in the packet's size (each candidate looks at most a fixed number of bytes ahead).
enum XMPPacket {
    private static let name: [UInt8] = Array("tiff:Orientation".utf8)
    /// How far past a candidate name a scan looks for its value (whitespace, attributes of
    /// an element, the value itself); anything longer is not an orientation.
    private static let lookahead = 256

    /// Why `packet` cannot be written as PNG iTXt text (PNG spec 11.3.4.5: UTF-8, no NUL), or
    /// nil when it can.
    static func problem(_ packet: [UInt8]) -> String? {
        var iterator = packet.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value == 0 { return "a NUL character at byte \(offset)" }
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                return "not UTF-8 at byte \(offset)"
            }
        }
    }

    /// The value ranges of every `tiff:Orientation` in `packet`: the attribute form
    /// `tiff:Orientation="6"` (either quote, spaces around `=`) and the element form
    /// `<tiff:Orientation>6</tiff:Orientation>` (attributes allowed on the start tag). Only
    /// values that are 1–3 ASCII digits count (whitespace around an element's digits is part
    /// of the range).
    static func orientationValueRanges(_ p: [UInt8]) -> [Range<Int>] {
        let n = p.count, m = name.count
        var ranges: [Range<Int>] = []
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        func isValue(_ r: Range<Int>) -> Bool {
            let digits = p[r].filter { !isSpace($0) }
            return (1...3).contains(digits.count) && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        var i = 1
        while i + m <= n {
            guard p[i] == name[0], p[i..<(i + m)].elementsEqual(name) else { i += 1; continue }
            let before = p[i - 1]
            var j = i + m
            let limit = min(n, j + lookahead)
            i += m
            if before == 0x3C {  // '<': the element form
                guard j < n, isSpace(p[j]) || p[j] == 0x3E else { continue }
                while j < limit, p[j] != 0x3E, p[j] != 0x3C { j += 1 }
                guard j < limit, p[j] == 0x3E, p[j - 1] != 0x2F else { continue }  // not "/>"
                let start = j + 1
                j = start
                while j < limit, p[j] != 0x3C { j += 1 }
                guard j < limit, isValue(start..<j) else { continue }
                ranges.append(start..<j)
                i = j
            } else if isSpace(before) {  // an attribute
                while j < limit, isSpace(p[j]) { j += 1 }
                guard j < limit, p[j] == 0x3D else { continue }  // '='
                j += 1
                while j < limit, isSpace(p[j]) { j += 1 }
                guard j < limit, p[j] == 0x22 || p[j] == 0x27 else { continue }
                let quote = p[j]
                let start = j + 1
                j = start
                while j < limit, p[j] != quote, p[j] != 0x3C { j += 1 }
                guard j < limit, p[j] == quote, isValue(start..<j) else { continue }
                ranges.append(start..<j)
                i = j
            }
        }
        return ranges
    }

    /// The first `tiff:Orientation` value of `packet` (either form), or nil when there is
    /// none or it is not a number.
    static func orientation(_ packet: [UInt8]) -> Int? {
        guard let r = orientationValueRanges(packet).first else { return nil }
        var v = 0
        for c in packet[r] where c >= 0x30 && c <= 0x39 { v = v * 10 + Int(c - 0x30) }
        return v
    }

    /// `packet` with every `tiff:Orientation` value (attribute or element form) replaced by
    /// `1`, so that a viewer does not rotate pixels that already were; every other byte is
    /// kept. A packet without the property comes back unchanged.
    /// - Parameter packet: the XMP packet, UTF-8.
    static func resettingOrientation(_ packet: [UInt8]) -> [UInt8] {
        let ranges = orientationValueRanges(packet)
        guard !ranges.isEmpty else { return packet }
        var out: [UInt8] = []
        out.reserveCapacity(packet.count)
        var copied = 0
        for r in ranges {
            out += packet[copied..<r.lowerBound]
            out.append(0x31)
            copied = r.upperBound
        }
        out += packet[copied...]
        return out
    }
}
