/// File names as the kernel sees them — bytes — carried through the tool as `String`s.
///
/// Linux paths are any bytes but NUL and need not be UTF-8, while `CommandLine.arguments`
/// repairs invalid UTF-8 to U+FFFD, so `in\xff.jpg` would turn into a name that does not exist.
/// The tool therefore reads the raw `argv` and directory entries through ``decode(_:)``, which
/// keeps every byte: valid UTF-8 stays as it is, and each byte of an invalid sequence becomes
/// one scalar of the private-use range U+10FF80…U+10FFFF (byte 0x80 + k → U+10FF80 + k, after
/// Python's "surrogateescape"). ``encode(_:)`` reverses it, so `encode(decode(b)) == b` for all
/// bytes. A name that really contains one of those 128 scalars is escaped byte by byte too,
/// which keeps the round trip exact. Every system call and every byte written to a terminal
/// goes through ``encode(_:)``, so messages show a file's name as it is on disk.
enum OSPath {
    /// First scalar of the escape range (stands for byte 0x80).
    static let escapeBase: UInt32 = 0x10FF00

    /// The name for the bytes `bytes` (lossless, see the type's documentation).
    static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        func escape<S: Sequence>(_ raw: S) where S.Element == UInt8 {
            for byte in raw { scalars.append(Unicode.Scalar(escapeBase + UInt32(byte))!) }
        }
        // The parser reports how many bytes an error covers; re-read them from a copy.
        let all = Array(bytes)
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF {
                    escape(all[offset..<(offset + encoded.count)])
                } else {
                    scalars.append(scalar)
                }
                offset += encoded.count
            case .error(let length):
                escape(all[offset..<(offset + length)])
                offset += length
            case .emptyInput:
                break loop
            }
        }
        return String(scalars)
    }

    /// The bytes of the name `path` (escapes turned back into their bytes).
    static func encode(_ path: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// Calls `body` with `path` as a NUL-terminated C string of its bytes.
    static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        var bytes = encode(path)
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// The name of a NUL-terminated C string.
    static func decode(cString: UnsafePointer<CChar>) -> String {
        var length = 0
        while cString[length] != 0 { length += 1 }
        return UnsafeRawPointer(cString).withMemoryRebound(to: UInt8.self, capacity: length) {
            decode(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// `path` for text that must be valid Unicode without escapes (JSON): each escaped byte
    /// shows as U+FFFD.
    static func displayable(_ path: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in path.unicodeScalars {
            let escaped = scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF
            scalars.append(escaped ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    // MARK: Path arithmetic on names ('/'-separated, no normalisation beyond trailing slashes)

    /// The last component (`a/b.jpg` → `b.jpg`; `a/b/` → `b`).
    static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return trimmed == "/" ? "/" : String(trimmed[trimmed.index(after: slash)...])
    }

    /// The folder part (`a/b.jpg` → `a`; `b.jpg` → `.`; `/b` → `/`).
    static func parent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// The extension of the last component, lowercased, without the dot ("" when none).
    static func pathExtension(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// The last component without its extension (`a/b.c.jpg` → `b.c`).
    static func stem(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// `folder/name`, without doubling a slash; `name` alone when `folder` is empty or `.`
    /// spelled implicitly.
    static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
