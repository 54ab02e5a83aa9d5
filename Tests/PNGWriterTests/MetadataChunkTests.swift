import Foundation
import Testing
import PNGWriter
import PNGReader
import TestSupport

/// The metadata chunks (iCCP, pHYs, eXIf, XMP iTXt): their bytes and order read back by a
/// chunk walker, the image by PNGReader, and one file (`ours.png`, committed) by Pillow
/// through make_metadata_fixtures.py.
@Suite struct MetadataChunkTests {
    /// Chunks of a PNG, in order (CRCs are checked by PNGReader in the tests that decode).
    static func chunks(_ png: [UInt8]) -> [(type: String, data: [UInt8])] {
        var out: [(String, [UInt8])] = []
        var i = 8
        while i + 12 <= png.count {
            let n = Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3])
            out.append((String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self), Array(png[(i + 8)..<(i + 8 + n)])))
            i += 12 + n
        }
        return out
    }

    /// A little-endian TIFF block: IFD0 = Orientation 1 (as after a reset), Make "UnJPEG".
    static let exif: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 2, 0,
                                0x0F, 0x01, 2, 0, 7, 0, 0, 0, 38, 0, 0, 0,  // Make, ASCII ×7 at 38
                                0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0,   // Orientation 1
                                0, 0, 0, 0] + Array("UnJPEG".utf8) + [0]
    static let xmp: [UInt8] = Array(#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" tiff:Orientation="1" dc:format="café"/></rdf:RDF></x:xmpmeta>"#.utf8)
    static let icc: [UInt8] = (0..<600).map { UInt8(truncatingIfNeeded: $0 * 7) }
    static let pixels: [UInt8] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120,
                                  130, 140, 150, 160, 170, 180, 190, 200, 210, 220, 230, 240]

    static func encoder() -> PNGEncoder {
        var e = PNGEncoder()
        e.iccProfile = ICCProfile(data: icc)
        e.physicalDimensions = .dotsPerInch(300)
        e.exif = exif
        e.xmp = xmp
        return e
    }

    @Test func chunksInOrderWithTheirBytes() throws {
        let png = try MetadataChunkTests.encoder().encode(MetadataChunkTests.pixels, width: 4, height: 2, format: .rgb8)
        let chunks = MetadataChunkTests.chunks(png)
        #expect(chunks.map(\.type) == ["IHDR", "iCCP", "pHYs", "eXIf", "iTXt", "IDAT", "IEND"])
        #expect(chunks[2].data == [0, 0, 0x2E, 0x23, 0, 0, 0x2E, 0x23, 1])  // 11811 px/m, metre
        #expect(chunks[3].data == MetadataChunkTests.exif)
        #expect(chunks[4].data == Array("XML:com.adobe.xmp".utf8) + [0, 0, 0, 0, 0] + MetadataChunkTests.xmp)
        let image = try PNGDecoder().decode(png)
        #expect(image.samples == .uint8(MetadataChunkTests.pixels))
        #expect(image.iccProfile?.data == MetadataChunkTests.icc)
    }

    @Test func aspectRatioOnlyDensity() throws {
        var e = PNGEncoder()
        e.physicalDimensions = PhysicalDimensions(pixelsPerUnitX: 2, pixelsPerUnitY: 1, unitIsMetre: false)
        let chunks = MetadataChunkTests.chunks(try e.encode([1, 2], width: 2, height: 1, format: .gray8))
        #expect(chunks.map(\.type) == ["IHDR", "pHYs", "IDAT", "IEND"])
        #expect(chunks[1].data == [0, 0, 0, 2, 0, 0, 0, 1, 0])
    }

    /// The committed `ours.png` was read by Pillow (ours_pillow.tsv); this checks that the
    /// encoder still writes the same metadata chunks and that Pillow saw what was meant.
    @Test func pillowReadsOurChunks() throws {
        let folder = TestPaths.fixtures("JPEGCodecTests").appendingPathComponent("metadata")
        let png = try MetadataChunkTests.encoder().encode(MetadataChunkTests.pixels, width: 4, height: 2, format: .rgb8)
        let url = folder.appendingPathComponent("ours.png")
        if ProcessInfo.processInfo.environment["UNJPEG_WRITE_FIXTURES"] == "1" {
            try Data(png).write(to: url)
        }
        let committed = [UInt8](try Data(contentsOf: url))
        let ancillary = { (p: [UInt8]) in MetadataChunkTests.chunks(p).prefix { $0.type != "IDAT" }.map { "\($0.type) \($0.data)" } }
        #expect(ancillary(png) == ancillary(committed))

        let text = try String(contentsOf: folder.appendingPathComponent("ours_pillow.tsv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let row = Dictionary(uniqueKeysWithValues: zip(lines[0], lines[1]))
        let hex = { (b: [UInt8]) in b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
        #expect(row["dpi_x"] == "299.999400" && row["dpi_y"] == "299.999400")  // 11811 × 0.0254
        #expect(row["orientation"] == "1")
        #expect(row["exif_hex"] == hex(MetadataChunkTests.exif))
        #expect(row["xmp_hex"] == hex(MetadataChunkTests.xmp))
        #expect(row["icc_bytes"] == "600")
        #expect(row["size"] == "4x2")
        #expect(row["first_pixel"] == "10,20,30")
    }

    @Test func iccProfileBound() throws {
        #expect(PNGEncoder.maxICCProfileBytes == 1_048_576)
        var e = PNGEncoder()
        e.iccProfile = ICCProfile(data: [UInt8](repeating: 0, count: 1_048_576))
        #expect(e.metadataProblems.isEmpty)
        let atLimit = try e.encode([0], width: 1, height: 1, format: .gray8)
        #expect(try PNGDecoder().decode(atLimit).iccProfile?.data.count == 1_048_576)

        e.iccProfile = ICCProfile(data: [UInt8](repeating: 0, count: 1_048_577))
        let problem = PNGMetadataProblem.iccProfileTooLarge(bytes: 1_048_577, limit: 1_048_576)
        #expect(e.metadataProblems == [problem])
        #expect(throws: PNGWriteError.unwritableMetadata(problem)) { try e.encode([0], width: 1, height: 1, format: .gray8) }
        #expect(e.dropUnwritableMetadata() == [problem])
        #expect(e.iccProfile == nil)
        let dropped = try e.encode([0], width: 1, height: 1, format: .gray8)
        #expect(MetadataChunkTests.chunks(dropped).map(\.type) == ["IHDR", "IDAT", "IEND"])
        #expect(problem.description == "The ICC profile (1048577 bytes) is larger than the 1048576 bytes PNG readers such as Pillow accept.")
    }

    @Test func unwritableExifAndXMP() throws {
        var e = PNGEncoder()
        e.exif = Array("Exif".utf8) + [0, 0, 0x4D, 0x4D, 0, 42]  // JPEG's prefix left on
        e.xmp = Array("<x>".utf8) + [0xC3]  // a cut UTF-8 sequence
        #expect(e.metadataProblems == [.exifNotTIFF(firstBytes: [0x45, 0x78, 0x69, 0x66]),
                                       .xmpNotText(reason: "invalid UTF-8 at byte 3")])
        #expect(e.metadataProblems.first?.description == "The EXIF block does not start with a TIFF header (it starts 45 78 69 66).")
        e.xmp = Array("a".utf8) + [0] + Array("b".utf8)
        #expect(e.metadataProblems.last == .xmpNotText(reason: "a NUL character at byte 1"))
        #expect(e.dropUnwritableMetadata().count == 2)
        #expect(e.exif == nil && e.xmp == nil)

        e.exif = [0x49, 0x49, 42, 0] + [UInt8](repeating: 0, count: PNGEncoder.maxAncillaryChunkBytes - 3)
        e.xmp = [UInt8](repeating: 0x20, count: PNGEncoder.maxAncillaryChunkBytes - 21)
        #expect(e.metadataProblems == [.exifTooLarge(bytes: 8_000_001, limit: 8_000_000),
                                       .xmpTooLarge(bytes: 7_999_979, limit: 7_999_978)])
        e.exif!.removeLast()
        e.xmp!.removeLast()
        #expect(e.metadataProblems.isEmpty)
    }
}
