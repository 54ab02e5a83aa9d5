/// Reads the orientation tag (0x0112) of IFD0 from an APP1 "Exif" segment body.
enum ExifOrientation {
    /// The orientation 1…8, or nil when the segment is not Exif, is damaged, or lacks a
    /// valid tag. Both TIFF byte orders ("II" and "MM") are read.
    /// - Parameter body: the APP1 segment bytes after the length field.
    static func parse(_ body: ArraySlice<UInt8>) -> Int? {
        let b = Array(body)
        let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
        guard b.count >= 14, Array(b[0..<6]) == exifHeader else { return nil }
        let t = 6  // start of the TIFF header
        let little: Bool
        switch (b[t], b[t + 1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ i: Int) -> Int? {
            guard i >= 0, i + 2 <= b.count else { return nil }
            return little ? Int(b[i]) | Int(b[i + 1]) << 8 : Int(b[i]) << 8 | Int(b[i + 1])
        }
        func u32(_ i: Int) -> Int? {
            guard let lo = u16(little ? i : i + 2), let hi = u16(little ? i + 2 : i) else { return nil }
            return hi << 16 | lo
        }
        guard u16(t + 2) == 42, let ifd = u32(t + 4) else { return nil }
        let ifdStart = t + ifd
        guard let entries = u16(ifdStart) else { return nil }
        for e in 0..<entries {
            let entry = ifdStart + 2 + 12 * e
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112 {
                guard let type = u16(entry + 2), type == 3, let value = u16(entry + 8),
                      (1...8).contains(value) else { return nil }
                return value
            }
        }
        return nil
    }
}
