import Foundation
import Testing
@testable import JPEGCodec

/// Damage that libjpeg recovers from: the decoder recovers the same way, lists a
/// ``JPEGWarning``, and refuses the file with `strict`.
@Suite struct DamagedFileTests {
    static func fixture(_ path: String) throws -> [UInt8] {
        try Fixtures.bytes(Fixtures.root.appendingPathComponent(path))
    }

    static let strict = JPEGDecodingOptions(strict: true)

    static func strictError(_ bytes: [UInt8]) -> JPEGError? {
        do throws(JPEGError) { _ = try JPEGDecoder.decode(bytes, options: strict); return nil } catch { return error }
    }

    @Test(arguments: ["decoder/photo_100x75_q85_420.jpg", "progressive/prog_100x75_q85_420_rst3.jpg"])
    func garbageAfterEOIIsIgnored(_ path: String) throws {
        let full = try DamagedFileTests.fixture(path)
        let clean = try JPEGDecoder.decode(full)
        #expect(clean.warnings.isEmpty)
        let padded = try JPEGDecoder.decode(full + [0x00, 0x12, 0xFF, 0xD8, 0xFF, 0xC4, 0x55])
        #expect(padded.image == clean.image)
        #expect(padded.warnings.isEmpty)
    }

    @Test(arguments: ["decoder/photo_100x75_q85_420.jpg", "progressive/prog_100x75_q85_420_rst3.jpg"])
    func missingEOIIsAWarning(_ path: String) throws {
        let full = try DamagedFileTests.fixture(path)
        #expect(full.suffix(2) == [0xFF, 0xD9])
        let cut = Array(full.dropLast(2))
        let decoded = try JPEGDecoder.decode(cut)
        #expect(decoded.image == (try JPEGDecoder.decode(full)).image)
        #expect(decoded.warnings == [.missingEOI(offset: cut.count)])
        #expect(DamagedFileTests.strictError(cut) == .damaged(.missingEOI(offset: cut.count)))
    }

    /// Offset of the first marker `marker` after the SOI, walking segments.
    static func segment(_ marker: UInt8, in b: [UInt8]) -> Int? {
        var i = 2
        while i + 4 <= b.count && b[i] == 0xFF {
            if b[i + 1] == marker { return i }
            i += 2 + (Int(b[i + 2]) << 8 | Int(b[i + 3]))
        }
        return nil
    }

    @Test func fillBytesAreLegalStrayBytesAreAWarning() throws {
        let full = try DamagedFileTests.fixture("progressive/prog_33x17_q75_420.jpg")
        let clean = try JPEGDecoder.decode(full)
        let dqt = try #require(DamagedFileTests.segment(0xDB, in: full))
        // Fill bytes: any number of 0xFF before a marker (T.81 B.1.1.2).
        var filled = full
        filled.insert(contentsOf: [0xFF, 0xFF, 0xFF], at: dqt)
        let f = try JPEGDecoder.decode(filled, options: DamagedFileTests.strict)
        #expect(f.image == clean.image && f.warnings.isEmpty)
        // Stray bytes: libjpeg's "3 extraneous bytes before marker 0xdb".
        var stray = full
        stray.insert(contentsOf: [0x12, 0x34, 0x56], at: dqt)
        let s = try JPEGDecoder.decode(stray)
        #expect(s.image == clean.image)
        let warning = JPEGWarning.extraneousBytes(count: 3, marker: 0xDB, offset: dqt + 3)
        #expect(s.warnings == [warning])
        #expect(DamagedFileTests.strictError(stray) == .damaged(warning))
        #expect(!warning.description.isEmpty)
    }

    /// A progressive file whose AC scans come without a DC scan (libjpeg: "Inconsistent
    /// progression sequence"): decoded, with the warning; its pixels are checked against
    /// Pillow in ConformanceTests.
    @Test func inconsistentProgressionIsAWarning() throws {
        let bytes = try DamagedFileTests.fixture("conformance/jpeg-decoder/reftest/progressive-missing-dc.jpg")
        let decoded = try JPEGDecoder.decode(bytes)
        #expect(decoded.warnings.contains { if case .inconsistentProgression(0, 0, _) = $0 { true } else { false } })
        guard case .damaged(.inconsistentProgression)? = DamagedFileTests.strictError(bytes) else {
            Issue.record("expected a strict-mode error"); return
        }
    }
}
