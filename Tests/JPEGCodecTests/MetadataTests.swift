import Foundation
import Testing
@testable import JPEGCodec

/// EXIF, XMP and density: read from Pillow-made fixtures (Fixtures/metadata, made and read
/// by make_metadata_fixtures.py) and from hand-made bytes.
@Suite struct MetadataTests {
    static let folder = Fixtures.root.appendingPathComponent("metadata")

    static func jpeg(_ name: String) throws -> [UInt8] {
        try Fixtures.bytes(folder.appendingPathComponent("\(name).jpg"))
    }

    static func hex(_ s: String) -> [UInt8]? {
        guard s != "-" else { return nil }
        let chars = Array(s.utf8)
        return stride(from: 0, to: chars.count, by: 2).map { UInt8(String(decoding: chars[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
    }

    /// `jpeg` with a marker segment inserted right after SOI.
    static func inserting(_ marker: UInt8, _ body: [UInt8], into jpeg: [UInt8]) -> [UInt8] {
        let length = body.count + 2
        return [0xFF, 0xD8, 0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + body + jpeg[2...]
    }

    /// Pixels per inch, whatever the unit (Pillow's `info["dpi"]`).
    static func dpi(_ d: PixelDensity) -> (Double, Double) {
        let f = d.unit == .centimetre ? 2.54 : 1
        return (d.horizontal * f, d.vertical * f)
    }

    // MARK: Pillow fixtures

    @Test func pillowFixturesReadAsPillowReadsThem() throws {
        let rows = try Fixtures.tsv(MetadataTests.folder.appendingPathComponent("EXPECTED.tsv"))
        #expect(rows.count == 3)
        for row in rows {
            let name = row["name"]!
            let bytes = try MetadataTests.jpeg(name)
            let decoded = try JPEGDecoder.decode(bytes)
            let info = try JPEGDecoder.inspect(bytes)
            #expect(info.metadata == decoded.metadata, "\(name)")
            #expect(decoded.orientation == Int(row["orientation"]!)!, "\(name)")
            let pillowExif = MetadataTests.hex(row["exif_hex"]!)
            if let e = pillowExif, e.starts(with: [0x49, 0x49]) || e.starts(with: [0x4D, 0x4D]) {
                #expect(decoded.metadata.exif == e, "\(name)")
            } else {
                // Pillow keeps whatever follows "Exif\0\0"; a PNG eXIf must be TIFF, so we don't.
                #expect(decoded.metadata.exif == nil, "\(name)")
                #expect(decoded.metadata.issues.count == 1, "\(name)")
                if case .malformedExif(let offset, _) = decoded.metadata.issues.first {
                    #expect(offset == 20, "\(name): the APP1 after SOI (2) and JFIF APP0 (18)")
                } else {
                    Issue.record("\(name): expected a malformedExif issue, got \(decoded.metadata.issues)")
                }
            }
            #expect(decoded.metadata.xmp == MetadataTests.hex(row["xmp_hex"]!), "\(name)")
            let density = try #require(decoded.metadata.density, "\(name)")
            let (x, y) = MetadataTests.dpi(density)
            #expect(abs(x - Double(row["dpi_x"]!)!) < 1e-6, "\(name)")
            #expect(abs(y - Double(row["dpi_y"]!)!) < 1e-6, "\(name)")
        }
    }

    @Test func phonePhotoValues() throws {
        let m = try JPEGDecoder.decode(MetadataTests.jpeg("exif6_xmp_300dpi")).metadata
        #expect(m.density == PixelDensity(horizontal: 300, vertical: 300, unit: .inch, source: .jfif))
        let ppu = try #require(m.density).pixelsPerUnit
        #expect(ppu.x == 11811 && ppu.y == 11811 && ppu.unitIsMetre)  // 300 / 0.0254 = 11811.02
        let exif = try #require(m.exif)
        #expect(Array(exif.prefix(4)) == [0x49, 0x49, 0x2A, 0x00])
        #expect(ExifTIFF.orientation(exif) == 6)
        #expect(XMPPacket.orientation(try #require(m.xmp)) == 6)
        #expect(m.issues.isEmpty)
    }

    @Test func exifDensityWhenJFIFHasNoUnit() throws {
        let m = try JPEGDecoder.decode(MetadataTests.jpeg("exif8_be_dpcm_xmp")).metadata
        #expect(m.density == PixelDensity(horizontal: 118, vertical: 118, unit: .centimetre, source: .exif))
        let ppu = try #require(m.density).pixelsPerUnit
        #expect(ppu.x == 11800 && ppu.y == 11800 && ppu.unitIsMetre)
        #expect(ExifTIFF.orientation(try #require(m.exif)) == 8)
        #expect(XMPPacket.orientation(try #require(m.xmp)) == 8)
    }

    @Test func resettingTheFixturesOrientation() throws {
        for (name, orientation) in [("exif6_xmp_300dpi", 6), ("exif8_be_dpcm_xmp", 8)] {
            let m = try JPEGDecoder.decode(MetadataTests.jpeg(name)).metadata
            let reset = m.afterApplyingOrientation(orientation)
            let before = try #require(m.exif), after = try #require(reset.exif)
            #expect(ExifTIFF.orientation(after) == 1, "\(name)")
            #expect(after.count == before.count)
            // Only the orientation value's low byte changes (the entry after IFD0's count at 10).
            let changed = (0..<before.count).filter { before[$0] != after[$0] }
            #expect(changed == [before[0] == 0x49 ? 18 : 19], "\(name)")
            let xmp = String(decoding: try #require(reset.xmp), as: UTF8.self)
            let original = String(decoding: try #require(m.xmp), as: UTF8.self)
            let expected = orientation == 6
                ? original.replacingOccurrences(of: "tiff:Orientation=\"6\"", with: "tiff:Orientation=\"1\"")
                : original.replacingOccurrences(of: "<tiff:Orientation>8<", with: "<tiff:Orientation>1<")
            #expect(xmp == expected && xmp != original, "\(name)")
            #expect(reset.density == m.density, "\(name): square densities stay")
        }
    }

    // MARK: hand-made segments

    @Test func jfifUnitsAndAspect() throws {
        // damaged_exif has no usable EXIF: the JFIF APP0 alone decides. Its units byte is at
        // 2 (SOI) + 4 (marker, length) + 7 = 13, the densities at 14 and 16.
        var bytes = try MetadataTests.jpeg("damaged_exif")
        #expect(Array(bytes[6..<11]) == Array("JFIF".utf8) + [0])
        bytes[13] = 0; bytes[14] = 0; bytes[15] = 2; bytes[16] = 0; bytes[17] = 1
        let aspect = try #require(try JPEGDecoder.decode(bytes).metadata.density)
        #expect(aspect == PixelDensity(horizontal: 2, vertical: 1, unit: .aspectRatio, source: .jfif))
        #expect(aspect.pixelsPerUnit.x == 2 && aspect.pixelsPerUnit.y == 1 && !aspect.pixelsPerUnit.unitIsMetre)
        bytes[15] = 1  // 1:1 without a unit says nothing
        #expect(try JPEGDecoder.decode(bytes).metadata.density == nil)
        bytes[13] = 2; bytes[15] = 100; bytes[17] = 50  // dots per centimetre
        let dpcm = try #require(try JPEGDecoder.decode(bytes).metadata.density)
        #expect(dpcm.pixelsPerUnit.x == 10_000 && dpcm.pixelsPerUnit.y == 5_000 && dpcm.pixelsPerUnit.unitIsMetre)
        bytes[15] = 0; bytes[17] = 0  // zero densities are meaningless
        #expect(try JPEGDecoder.decode(bytes).metadata.density == nil)
    }

    @Test func swappedDensityForTransposingOrientations() {
        let m = JPEGMetadata(density: PixelDensity(horizontal: 300, vertical: 150, unit: .inch, source: .jfif))
        #expect(m.afterApplyingOrientation(3).density?.horizontal == 300)
        #expect(m.afterApplyingOrientation(6).density?.horizontal == 150)
        #expect(m.afterApplyingOrientation(6).density?.vertical == 300)
        #expect(m.afterApplyingOrientation(1) == m)
    }

    @Test func extendedXMPAndDamagedXMPAreNamed() throws {
        let base = try MetadataTests.jpeg("exif6_xmp_300dpi")
        let main = try #require(try JPEGDecoder.decode(base).metadata.xmp)
        let extended = Array("http://ns.adobe.com/xmp/extension/".utf8) + [0] + [UInt8](repeating: 0x41, count: 40)
        let withExtension = MetadataTests.inserting(0xE1, extended, into: base)
        let m = try JPEGDecoder.decode(withExtension).metadata
        #expect(m.xmp == main)
        #expect(m.issues == [.extendedXMPIgnored(offset: 2)])

        // A packet that is not UTF-8, first in the file: left out and named; the first
        // well-formed one (the fixture's, after it) is carried, as for EXIF.
        let bad = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array("<x:xmpmeta>".utf8) + [0xFF, 0xFE]
        let damaged = try JPEGDecoder.decode(MetadataTests.inserting(0xE1, bad, into: base)).metadata
        #expect(damaged.xmp == main)
        #expect(damaged.issues == [.malformedXMP(offset: 2, reason: "not UTF-8 at byte 11")])

        // Trailing NULs (some writers terminate the packet) are removed.
        let terminated = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array("<x/>".utf8) + [0, 0]
        let plain = try JPEGDecoder.decode(MetadataTests.inserting(0xE1, terminated, into: base)).metadata
        #expect(plain.xmp == Array("<x/>".utf8))
    }

    @Test func manyDamagedExifSegmentsGiveOneIssue() throws {
        var bytes = try MetadataTests.jpeg("exif6_xmp_300dpi")
        let junk = Array("Exif".utf8) + [0, 0] + Array("XX".utf8) + [UInt8](repeating: 7, count: 60)
        for _ in 0..<2000 { bytes = MetadataTests.inserting(0xE1, junk, into: bytes) }
        let m = try JPEGDecoder.inspect(bytes).metadata
        #expect(m.issues == [.malformedExif(offset: 2, reason: "no TIFF byte-order mark II*\\0 or MM\\0*")])
        // The fixture's own EXIF comes after the junk and is carried.
        #expect(ExifTIFF.orientation(try #require(m.exif)) == 6)
    }
}

/// The EXIF and XMP helpers on hand-made bytes, both TIFF byte orders.
@Suite struct ExifAndXMPHelperTests {
    /// A TIFF block with IFD0 = [Orientation (type, value)], in either byte order.
    static func tiff(little: Bool, type: UInt16 = 3, orientation: UInt32 = 6, extraTag: Bool = false) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { little ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] {
            let b = [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
            return little ? b.reversed() : b
        }
        var t: [UInt8] = little ? [0x49, 0x49, 0x2A, 0] : [0x4D, 0x4D, 0, 0x2A]
        t += u32(8) + u16(extraTag ? 2 : 1)
        if extraTag { t += u16(0x010F) + u16(2) + u32(4) + [0x41, 0x42, 0x43, 0] }  // Make "ABC"
        let value = type == 3 ? u16(UInt16(orientation)) + [0, 0] : u32(orientation)
        t += u16(0x0112) + u16(type) + u32(1) + value
        t += u32(0)
        return t
    }

    @Test(arguments: [true, false])
    func resetShortOrientation(little: Bool) {
        var t = ExifAndXMPHelperTests.tiff(little: little, extraTag: true)
        #expect(ExifTIFF.orientation(t) == 6)
        let original = t
        #expect(ExifTIFF.resetOrientation(in: &t))
        #expect(ExifTIFF.orientation(t) == 1)
        #expect(t == ExifAndXMPHelperTests.tiff(little: little, orientation: 1, extraTag: true))
        #expect(t.count == original.count)
    }

    @Test(arguments: [true, false])
    func resetLongOrientation(little: Bool) {
        var t = ExifAndXMPHelperTests.tiff(little: little, type: 4, orientation: 8)
        #expect(ExifTIFF.orientation(t) == nil)  // not a SHORT: not honoured by our reader
        #expect(ExifTIFF.resetOrientation(in: &t))
        #expect(t == ExifAndXMPHelperTests.tiff(little: little, type: 4, orientation: 1))
    }

    @Test func resetWithoutTagOrOnDamage() {
        // No orientation tag: IFD0 holds only Make.
        var noTag: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 1, 0, 0x0F, 0x01, 2, 0, 1, 0, 0, 0, 0x41, 0, 0, 0, 0, 0, 0, 0]
        let copy = noTag
        #expect(!ExifTIFF.resetOrientation(in: &noTag))
        #expect(noTag == copy)
        // IFD0 offset far outside the block, an entry count past its end, a truncated header.
        var farIFD: [UInt8] = [0x4D, 0x4D, 0, 0x2A, 0xFF, 0xFF, 0xFF, 0xF0, 0, 1]
        #expect(!ExifTIFF.resetOrientation(in: &farIFD))
        var manyEntries = ExifAndXMPHelperTests.tiff(little: true)
        manyEntries[8] = 0xFF; manyEntries[9] = 0xFF
        let before = manyEntries
        #expect(!ExifTIFF.resetOrientation(in: &manyEntries))
        #expect(manyEntries == before)
        #expect(ExifTIFF.orientation(manyEntries) == nil)
        var short: [UInt8] = [0x49, 0x49, 0x2A]
        #expect(!ExifTIFF.resetOrientation(in: &short))
        #expect(ExifTIFF.orientation([]) == nil)
    }

    @Test func xmpAttributeAndElementForms() {
        func reset(_ s: String) -> String { String(decoding: XMPPacket.resettingOrientation(Array(s.utf8)), as: UTF8.self) }
        #expect(reset(#"<d tiff:Orientation="6" tiff:Make="X"/>"#) == #"<d tiff:Orientation="1" tiff:Make="X"/>"#)
        #expect(reset("<d\n  tiff:Orientation = '8'/>") == "<d\n  tiff:Orientation = '1'/>")
        #expect(reset("<tiff:Orientation>6</tiff:Orientation>") == "<tiff:Orientation>1</tiff:Orientation>")
        #expect(reset("<tiff:Orientation rdf:datatype=\"int\">\n 3 \n</tiff:Orientation>")
                == "<tiff:Orientation rdf:datatype=\"int\">1</tiff:Orientation>")
        #expect(reset(#"<a tiff:Orientation="5"/><tiff:Orientation>7</tiff:Orientation>"#)
                == #"<a tiff:Orientation="1"/><tiff:Orientation>1</tiff:Orientation>"#)
        #expect(XMPPacket.orientation(Array(#"<a tiff:Orientation="5"/>"#.utf8)) == 5)
        // Not the property: another prefix, a longer name, a non-number, an empty element.
        for s in [#"<d xtiff:Orientation="6"/>"#, #"<d exif:Orientation="6"/>"#, "<tiff:OrientationX>6</tiff:OrientationX>",
                  #"<d tiff:Orientation="six"/>"#, "<tiff:Orientation/>", #"<d tiff:Orientation="6"#] {
            #expect(reset(s) == s, "\(s)")
            #expect(XMPPacket.orientation(Array(s.utf8)) == nil, "\(s)")
        }
    }

    @Test func hostileXMPIsLinear() {
        // 200,000 unterminated candidates (3.8 MB): each is looked at a bounded distance ahead.
        let unit = Array(#" tiff:Orientation="6"#.utf8)
        var packet: [UInt8] = []
        packet.reserveCapacity(unit.count * 200_000)
        for _ in 0..<200_000 { packet += unit }
        let clock = ContinuousClock()
        let start = clock.now
        let out = XMPPacket.resettingOrientation(packet)
        let elapsed = clock.now - start
        // `"6 tiff:Orientation="` – each value runs into the next candidate and is not a number,
        // except the last (unterminated): nothing changes.
        #expect(out == packet)
        #expect(elapsed < .seconds(5))
    }
}
