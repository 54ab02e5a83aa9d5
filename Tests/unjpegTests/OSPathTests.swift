import Testing
import TestSupport
@testable import unjpeg

/// File names are bytes: ``OSPath`` maps any byte string to a `String` and back exactly.
@Suite struct OSPathTests {
    @Test func everyByteStringRoundTrips() {
        var rng = SplitMix64(seed: 14)
        for length in 0..<64 {
            for _ in 0..<40 {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) | 1 }  // no NUL
                #expect(OSPath.encode(OSPath.decode(bytes)) == bytes, "\(bytes)")
            }
        }
        // Valid UTF-8 stays as it is; invalid bytes and the escape range itself are escaped.
        #expect(OSPath.decode(Array("photo é.jpg".utf8)) == "photo é.jpg")
        let invalid: [UInt8] = [0x69, 0x6E, 0xFF, 0x2E, 0x6A]  // "in\xff.j"
        #expect(OSPath.decode(invalid).unicodeScalars.map(\.value) == [0x69, 0x6E, 0x10FFFF, 0x2E, 0x6A])
        let escapeScalar = Array("\u{10FF80}".utf8)  // a real name holding U+10FF80 keeps its 4 bytes
        #expect(OSPath.encode(OSPath.decode(escapeScalar)) == escapeScalar)
        #expect(OSPath.displayable(OSPath.decode(invalid)) == "in\u{FFFD}.j")
    }

    @Test func pathArithmetic() {
        #expect(OSPath.lastComponent("a/b.jpg") == "b.jpg" && OSPath.lastComponent("a/b/") == "b" && OSPath.lastComponent("/") == "/")
        #expect(OSPath.parent("a/b.jpg") == "a" && OSPath.parent("b.jpg") == "." && OSPath.parent("/b") == "/")
        #expect(OSPath.pathExtension("x/Photo.JPEG") == "jpeg" && OSPath.pathExtension(".hidden") == "")
        #expect(OSPath.stem("a/b.c.jpg") == "b.c")
        #expect(OSPath.join("a/", "b") == "a/b" && OSPath.join("", "b") == "b")
    }
}
