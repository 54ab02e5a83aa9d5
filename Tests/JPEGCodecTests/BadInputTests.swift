import Foundation
import Testing
@testable import JPEGCodec

/// Damaged and hostile inputs: each must give its typed error, never a trap.
@Suite struct BadInputTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        try Fixtures.bytes(Fixtures.root.appendingPathComponent("decoder/\(name).jpg"))
    }

    /// Offset of the first marker segment `marker` (walking the segments from SOI).
    static func segment(_ marker: UInt8, in b: [UInt8]) -> Int? {
        var i = 2
        while i + 4 <= b.count && b[i] == 0xFF {
            if b[i + 1] == marker { return i }
            if b[i + 1] == 0xDA { return nil }
            i += 2 + (Int(b[i + 2]) << 8 | Int(b[i + 3]))
        }
        return nil
    }

    static func error(_ bytes: [UInt8], options: JPEGDecodingOptions = JPEGDecodingOptions()) -> JPEGError? {
        do throws(JPEGError) { _ = try JPEGDecoder.decode(bytes, options: options); return nil } catch { return error }
    }

    @Test func notAJPEG() {
        #expect(BadInputTests.error([]) == .notAJPEG)
        #expect(BadInputTests.error([0x89, 0x50, 0x4E, 0x47]) == .notAJPEG)
        #expect(BadInputTests.error([0xFF]) == .notAJPEG)
    }

    @Test func truncatedAtManyOffsets() throws {
        for name in ["photo_100x75_q85_420", "photo_100x75_q85_420_rst3", "gray_100x75_q50"] {
            let full = try BadInputTests.fixture(name)
            let sos = try #require(BadInputTests.segment(0xDA, in: full))
            // Inside the headers, just after the SOS header, and in the entropy-coded data.
            for cut in [3, 20, 60, 100, sos + 1, sos + 10, sos + 20, (sos + full.count) / 2, full.count - 40] {
                let e = BadInputTests.error(Array(full.prefix(cut)), options: JPEGDecodingOptions(strict: true))
                guard case .truncated(let offset)? = e else {
                    Issue.record("\(name) cut at \(cut): expected truncated, got \(String(describing: e))")
                    continue
                }
                #expect(offset <= cut)
            }
        }
    }

    @Test func missingMarkers() throws {
        #expect(BadInputTests.error([0xFF, 0xD8, 0xFF, 0xD9]) == .missingSOF(offset: 2))
        let full = try BadInputTests.fixture("gray_7x9_q85")
        let sos = try #require(BadInputTests.segment(0xDA, in: full))
        // Headers, then EOI: no scan.
        #expect(BadInputTests.error(Array(full.prefix(sos)) + [0xFF, 0xD9]) == .missingSOS(offset: sos))
        // A scan before the frame header.
        let sof = try #require(BadInputTests.segment(0xC0, in: full))
        var noSOF = full
        noSOF[sof + 1] = 0xE5  // turn the SOF0 into an APP5 segment that is skipped
        #expect(BadInputTests.error(noSOF) == .missingSOF(offset: sos))
        // Two frame headers.
        let sofLength = Int(full[sof + 2]) << 8 | Int(full[sof + 3])
        let twice = Array(full[..<sof]) + Array(full[sof..<(sof + 2 + sofLength)]) + Array(full[sof...])
        #expect(BadInputTests.error(twice) == .duplicateFrame(offset: sof + 2 + sofLength))
    }

    @Test func badHuffmanTables() throws {
        let full = try BadInputTests.fixture("gray_7x9_q85")
        let dht = try #require(BadInputTests.segment(0xC4, in: full))
        // Class 2 does not exist.
        var b = full
        b[dht + 4] = 0x20
        guard case .badHuffmanTable(let offset, _)? = BadInputTests.error(b) else {
            Issue.record("expected badHuffmanTable"); return
        }
        #expect(offset == dht)
        // Three codes of length 1: over-subscribed (found when the scan starts).
        b = full
        b[dht + 5] = 3
        guard case .badHuffmanTable? = BadInputTests.error(b) else { Issue.record("expected over-subscription error"); return }
        // A DC symbol above 15.
        b = full
        let counts = (0..<16).map { Int(b[dht + 5 + $0]) }.reduce(0, +)
        #expect(counts > 0)
        b[dht + 5 + 16] = 16
        guard case .badHuffmanTable? = BadInputTests.error(b) else { Issue.record("expected DC symbol error"); return }
        // Counts that run past the segment.
        b = full
        b[dht + 5 + 15] = 200
        guard case .badHuffmanTable? = BadInputTests.error(b) else { Issue.record("expected length error"); return }
    }

    @Test func badHuffmanCode() throws {
        let full = try BadInputTests.fixture("photo_100x75_q85_420")
        let sos = try #require(BadInputTests.segment(0xDA, in: full))
        let data = sos + 2 + (Int(full[sos + 2]) << 8 | Int(full[sos + 3]))
        // Sixteen and more one bits: libjpeg never assigns the all-ones code.
        var b = full
        b.replaceSubrange(data..<(data + 4), with: [0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00])
        let strict = JPEGDecodingOptions(strict: true)
        guard case .badHuffmanCode(let offset)? = BadInputTests.error(b, options: strict) else {
            Issue.record("expected badHuffmanCode, got \(String(describing: BadInputTests.error(b, options: strict)))"); return
        }
        // Reported at the end of the MCU that held the bad code.
        #expect(offset >= data && offset < data + 64)
        // Without strict: libjpeg's recovery (symbol 0 after 17 bits), reported as a warning.
        let recovered = try JPEGDecoder.decode(b)
        #expect(recovered.warnings.contains(.badHuffmanCode(offset: offset)))
    }

    @Test func dimensionsAndPixelLimit() throws {
        let full = try BadInputTests.fixture("photo_100x75_q85_420")
        let sof = try #require(BadInputTests.segment(0xC0, in: full))
        var b = full
        b[sof + 5] = 0; b[sof + 6] = 0  // height 0
        #expect(BadInputTests.error(b) == .invalidDimensions(width: 100, height: 0, offset: sof))
        b = full
        b[sof + 7] = 0xFF; b[sof + 8] = 0xFF  // width 65535
        #expect(BadInputTests.error(b) == .invalidDimensions(width: 65535, height: 75, offset: sof))
        #expect(BadInputTests.error(full, options: JPEGDecodingOptions(maxPixels: 7499))
                == .tooManyPixels(declared: 7500, limit: 7499))
        #expect(BadInputTests.error(full, options: JPEGDecodingOptions(maxPixels: 7500)) == nil)
        // A 60000×60000 header in a tiny file: refused by the limit, nothing allocated.
        b = full
        b[sof + 5] = 0xEA; b[sof + 6] = 0x60; b[sof + 7] = 0xEA; b[sof + 8] = 0x60
        #expect(BadInputTests.error(b) == .tooManyPixels(declared: 3_600_000_000, limit: 512_000_000))
        // Within the limit but far more blocks than the data can hold: truncated, before allocation.
        guard case .truncated? = BadInputTests.error(b, options: JPEGDecodingOptions(maxPixels: .max, strict: true)) else {
            Issue.record("expected truncated for a huge frame with little data"); return
        }
    }

    @Test func badFrameAndScanHeaders() throws {
        let full = try BadInputTests.fixture("photo_100x75_q85_420")
        let sof = try #require(BadInputTests.segment(0xC0, in: full))
        var b = full
        b[sof + 11] = 0x51  // component 1 sampling 5×1
        guard case .invalidFrame(let offset, _)? = BadInputTests.error(b) else { Issue.record("expected invalidFrame"); return }
        #expect(offset == sof)
        b = full
        b[sof + 12] = 3  // component 1 uses quantization table 3, never defined
        let sos = try #require(BadInputTests.segment(0xDA, in: full))
        #expect(BadInputTests.error(b) == .missingQuantizationTable(index: 3, offset: sos))
        b = full
        b[sos + 6] = 0x22  // first scan component uses DC/AC table 2
        #expect(BadInputTests.error(b) == .missingHuffmanTable(isDC: true, index: 2, offset: sos))
        b = full
        b[sos + 5] = 9  // a component id that is not in the frame
        guard case .invalidScan? = BadInputTests.error(b) else { Issue.record("expected invalidScan"); return }
        b = full
        b[sof + 2] = 0; b[sof + 3] = 5  // impossible SOF length
        guard case .invalidSegmentLength? = BadInputTests.error(b) else { Issue.record("expected invalidSegmentLength"); return }
    }

    @Test func badRestartMarker() throws {
        let full = try BadInputTests.fixture("photo_100x75_q85_420_rst3")
        let sos = try #require(BadInputTests.segment(0xDA, in: full))
        // The first RST0 after the scan header becomes RST5.
        var b = full
        var i = sos + 2 + (Int(full[sos + 2]) << 8 | Int(full[sos + 3]))
        while !(b[i] == 0xFF && b[i + 1] == 0xD0) { i += 1 }
        b[i + 1] = 0xD5
        let strict = JPEGDecodingOptions(strict: true)
        guard case .badRestartMarker(let expected, let offset)? = BadInputTests.error(b, options: strict) else {
            Issue.record("expected badRestartMarker, got \(String(describing: BadInputTests.error(b, options: strict)))"); return
        }
        #expect(expected == 0)
        // Without strict: RST5 is taken for RST0 (libjpeg's resync), with a warning.
        let recovered = try JPEGDecoder.decode(b)
        #expect(recovered.warnings == [.badRestartMarker(expected: 0, offset: offset)])
        #expect(recovered.image == (try JPEGDecoder.decode(full)).image)
    }

    @Test func unsupportedFeatures() throws {
        let full = try BadInputTests.fixture("photo_100x75_q85_420")
        let sof = try #require(BadInputTests.segment(0xC0, in: full))
        for (marker, word) in [(UInt8(0xC3), "lossless"), (0xC9, "arithmetic"), (0xC5, "hierarchical")] {
            var b = full
            b[sof + 1] = marker
            guard case .unsupported(let feature, let offset)? = BadInputTests.error(b) else {
                Issue.record("SOF \(marker): expected unsupported"); continue
            }
            #expect(feature.contains(word))
            #expect(offset == sof)
        }
        var b = full
        b[sof + 1] = 0xC1; b[sof + 4] = 12  // extended sequential, 12-bit
        guard case .unsupported(let feature, _)? = BadInputTests.error(b) else { Issue.record("expected 12-bit unsupported"); return }
        #expect(feature.contains("12-bit"))
        #expect(BadInputTests.error(b)?.description.hasPrefix("unsupported: ") == true)
    }

    @Test func errorsReadAsSentences() {
        let e = JPEGError.truncated(offset: 1234)
        #expect(e.description.contains("1234"))
        #expect(JPEGError.tooManyPixels(declared: 10, limit: 5).description.contains("limit of 5"))
    }
}
