import Foundation
import Testing
@testable import JPEGCodec

/// Inputs found by the fuzzer (Fuzz/run.sh), truncation at every offset, and resource bounds.
@Suite struct HardeningTests {
    static func decodeError(_ bytes: [UInt8], options: JPEGDecodingOptions = JPEGDecodingOptions()) -> JPEGError? {
        do throws(JPEGError) { _ = try JPEGDecoder.decode(bytes, options: options); return nil } catch { return error }
    }

    static func regression(_ name: String) throws -> [UInt8] {
        try Fixtures.bytes(Fixtures.root.appendingPathComponent("fuzz-regressions/\(name)"))
    }

    /// A DHT whose length-1 count is 3 (over-subscribed) used to fill the 10-bit lookup table
    /// past its end before the over-subscription check ran (an out-of-bounds trap).
    @Test func overSubscribedHuffmanTableIsAnError() throws {
        let bytes = try HardeningTests.regression("dht-oversubscribed-length1.jpg")
        let error = HardeningTests.decodeError(bytes)
        guard case .badHuffmanTable(_, let reason)? = error else {
            Issue.record("expected badHuffmanTable, got \(String(describing: error))")
            return
        }
        #expect(reason == "the code lengths are over-subscribed")
    }

    /// The same fault built by hand, for DC and AC tables.
    @Test(arguments: [true, false])
    func overSubscribedShortCodesAreRefused(_ isDC: Bool) {
        // Each of these used to write past the lookup table (codes of length ≤ 10 that run
        // past the all-ones code of their length).
        for counts: [UInt8] in [[3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                                [1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                                [1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 0, 0, 0, 0, 0, 0]] {
            let total = counts.reduce(0) { $0 + Int($1) }
            let spec = HuffmanSpec(counts: counts, symbols: (0..<total).map { UInt8($0 % 16) })
            do throws(JPEGError) {
                _ = try HuffmanDecoder(spec, isDC: isDC, offset: 7)
                Issue.record("counts \(counts) were accepted")
            } catch {
                #expect(error == .badHuffmanTable(offset: 7, reason: "the code lengths are over-subscribed"))
            }
        }
    }

    /// Every prefix of a small colour file with restart markers decodes to a consistent
    /// picture or throws a JPEGError — in both decoding paths (coefficients kept, streamed).
    @Test(arguments: [true, false])
    func everyTruncationIsAnErrorOrAPicture(_ keepCoefficients: Bool) throws {
        let full = try Fixtures.bytes(Fixtures.root.appendingPathComponent("decoder/photo_33x17_q75_422_rstrow.jpg"))
        let options = JPEGDecodingOptions(keepCoefficients: keepCoefficients)
        var pictures = 0, errors = 0
        for cut in 0...full.count {
            let prefix = Array(full.prefix(cut))
            do throws(JPEGError) {
                let decoded = try JPEGDecoder.decode(prefix, options: options)
                #expect(decoded.image.width == 33 && decoded.image.height == 17)
                #expect(decoded.image.pixels.count == 33 * 17 * 3)
                pictures += 1
            } catch {
                #expect(!error.description.isEmpty)
                errors += 1
            }
        }
        // The complete file (and the one without its EOI) are pictures; the empty prefix is not.
        #expect(pictures >= 2 && errors >= 1 && pictures + errors == full.count + 1)
    }

    /// The pixel limit is checked when the frame header is read, before any plane exists:
    /// a 65000 × 65000 frame (4.2 GP) with nothing after it is refused by the limit, not
    /// reported as truncated and never allocated.
    @Test func pixelLimitComesBeforeAllocation() throws {
        var file: [UInt8] = [0xFF, 0xD8]
        file += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        file += [0xFF, 0xC0, 0x00, 0x11, 8, 0xFD, 0xE8, 0xFD, 0xE8, 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]
        #expect(HardeningTests.decodeError(file) == .tooManyPixels(declared: 65000 * 65000, limit: 512_000_000))
        // A small limit refuses a small file the default limit accepts.
        let small = try Fixtures.bytes(Fixtures.root.appendingPathComponent("decoder/photo_33x17_q75_422_rstrow.jpg"))
        #expect(HardeningTests.decodeError(small) == nil)
        #expect(HardeningTests.decodeError(small, options: JPEGDecodingOptions(maxPixels: 33 * 17 - 1))
                == .tooManyPixels(declared: 33 * 17, limit: 33 * 17 - 1))
        #expect(HardeningTests.decodeError(small, options: JPEGDecodingOptions(maxPixels: 33 * 17)) == nil)
    }

    /// A million fill bytes before a marker and ten thousand APPn/COM segments are walked in
    /// one pass: the file still decodes to the same picture.
    @Test func fillBytesAndManySegmentsAreWalkedOnce() throws {
        let full = try Fixtures.bytes(Fixtures.root.appendingPathComponent("decoder/photo_33x17_q75_422_rstrow.jpg"))
        let reference = try JPEGDecoder.decode(full).image
        var padded: [UInt8] = [0xFF, 0xD8]
        padded += [UInt8](repeating: 0xFF, count: 1_000_000)
        for i in 0..<10_000 {
            padded += [0xFF, UInt8(0xE3 + i % 11), 0x00, 0x04, 0x41, 0x42]
        }
        padded += [0xFF, 0xFE, 0x00, 0x02]
        padded += full.dropFirst(2)
        let decoded = try JPEGDecoder.decode(padded)
        #expect(decoded.image == reference)
    }
}
