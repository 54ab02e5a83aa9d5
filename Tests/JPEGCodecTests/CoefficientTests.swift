import Foundation
import Testing
@testable import JPEGCodec
import TestSupport

/// The DCT-domain half of the API: coefficients, quantization tables, sampling, plus
/// `inspect` and the metadata the decoder keeps.
@Suite struct CoefficientTests {
    /// `Fixtures/coefficients.txt`, written by the fixture script from the FDCT of flat
    /// blocks (DC = round(8 · (v − 128) / q), every AC 0).
    @Test func flatBlocksMatchTheHandDerivedValues() throws {
        let text = try String(contentsOf: Fixtures.root.appendingPathComponent("coefficients.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.count == 2)
        for line in lines {
            let parts = line.split(separator: " ")
            let name = String(parts[0])
            let expectedDC = parts[1...4].map { Int16($0)! }
            let qdc = UInt16(parts[5].dropFirst(4))!
            let jpeg = try Fixtures.bytes(Fixtures.root.appendingPathComponent("decoder/\(name).jpg"))
            let decoded = try JPEGDecoder.decode(jpeg)
            let c = try #require(decoded.components.first)
            #expect(decoded.components.count == 1)
            #expect(c.widthInBlocks == 2 && c.heightInBlocks == 2)
            #expect(c.coefficients.count == 4 * 64)
            #expect(c.quantizationTable[0] == qdc)
            for block in 0..<4 {
                #expect(c.coefficients[block * 64] == expectedDC[block], "\(name) block \(block)")
                #expect(c.coefficients[(block * 64 + 1)..<(block * 64 + 64)].allSatisfy { $0 == 0 }, "\(name) block \(block) AC")
            }
        }
    }

    /// Every coefficient of a real photo (4:2:0, restart interval 3) against the small,
    /// independent Python baseline decoder in the fixture script.
    @Test func everyCoefficientOfAPhotoMatchesThePythonDecoder() throws {
        let name = "photo_100x75_q85_420_rst3"
        let text = try String(contentsOf: Fixtures.root.appendingPathComponent("coefficients_\(name).txt"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        let decoded = try JPEGDecoder.decode(try Fixtures.bytes(Fixtures.root.appendingPathComponent("decoder/\(name).jpg")))
        #expect(lines.count == decoded.components.count)
        for (line, component) in zip(lines, decoded.components) {
            let numbers = line.split(separator: " ").map { Int($0)! }
            #expect(numbers[0] == component.id)
            #expect(numbers[1] == component.widthInBlocks && numbers[2] == component.heightInBlocks)
            let expected = numbers.dropFirst(3).map { Int16($0) }
            #expect(expected.count == component.coefficients.count)
            #expect(Array(expected) == component.coefficients, "component \(component.id)")
        }
    }

    /// A second full scan after the first (legal in sequential files) is decoded in both
    /// paths; the one-pass path falls back to whole coefficient planes for it.
    @Test func aRepeatedScanIsDecodedAgain() throws {
        let jpeg = try Fixtures.bytes(Fixtures.root.appendingPathComponent("decoder/photo_33x17_q85_420.jpg"))
        let sos = try #require(BadInputTests.segment(0xDA, in: jpeg))
        let scan = Array(jpeg[sos..<(jpeg.count - 2)])  // SOS header and data, without EOI
        // First the scan of this file, then the same scan again: same image.
        let twice = Array(jpeg[..<(jpeg.count - 2)]) + scan + [0xFF, 0xD9]
        let once = try JPEGDecoder.decode(jpeg)
        #expect(try JPEGDecoder.decode(twice).image == once.image)
        let streamed = try JPEGDecoder.decode(twice, options: JPEGDecodingOptions(keepCoefficients: false))
        #expect(streamed.image == once.image)
        #expect(streamed.components.allSatisfy { $0.coefficients.isEmpty })
    }

    @Test func tablesAndSamplingOfAPillowQ85File() throws {
        let jpeg = try Fixtures.bytes(Fixtures.root.appendingPathComponent("decoder/photo_100x75_q85_420.jpg"))
        let d = try JPEGDecoder.decode(jpeg)
        #expect(d.components.map(\.id) == [1, 2, 3])
        #expect(d.components.map(\.horizontalSampling) == [2, 1, 1])
        #expect(d.components.map(\.verticalSampling) == [2, 1, 1])
        // libjpeg's jpeg_set_quality(85) scaling of the Annex K tables.
        #expect(d.components[0].quantizationTable == StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 85))
        #expect(d.components[1].quantizationTable == StandardTables.scaledQuantization(StandardTables.chrominanceQuantization, quality: 85))
        // 100×75 with 16×16 MCUs: 7×5 MCUs; luma 14×10 blocks, chroma 7×5.
        #expect(d.components[0].widthInBlocks == 14 && d.components[0].heightInBlocks == 10)
        #expect(d.components[1].widthInBlocks == 7 && d.components[1].heightInBlocks == 5)
        #expect(d.components[1].sampleWidth == 50 && d.components[1].sampleHeight == 38)
        #expect(d.components[0].coefficients.count == 14 * 10 * 64)
        #expect(d.colorSpace == .yCbCr && d.image.channels == 3)
    }

    @Test func inspectReadsHeadersOnly() throws {
        let jpeg = try Fixtures.bytes(Fixtures.root.appendingPathComponent("decoder/photo_100x75_q85_420_rst3.jpg"))
        let info = try JPEGDecoder.inspect(jpeg)
        #expect(info.width == 100 && info.height == 75 && info.precision == 8)
        #expect(info.process == .baseline && !info.isProgressive)
        #expect(info.restartInterval == 3)
        #expect(info.components.map(\.horizontalSampling) == [2, 1, 1])
        #expect(info.quantizationTables[0] == StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 85))
        #expect(info.quantizationTables[2] == nil)
        // Progressive files can be inspected (not decoded).
        let prog = try Fixtures.bytes(Fixtures.root.appendingPathComponent("conformance/go/video-001.progressive.jpeg"))
        let pinfo = try JPEGDecoder.inspect(prog)
        #expect(pinfo.isProgressive && pinfo.width == 150 && pinfo.height == 103)
        // Only the headers are needed.
        let sos = try #require(BadInputTests.segment(0xDA, in: jpeg))
        #expect(try JPEGDecoder.inspect(Array(jpeg.prefix(sos + 14))).width == 100)
    }

    /// Files written by Pillow at a quality report that quality; cjpeg's custom tables none.
    @Test func pillowQualityFromTables() throws {
        let dir = Fixtures.root.appendingPathComponent("decoder")
        for q in [10, 50, 75, 85, 95, 100] {
            let info = try JPEGDecoder.inspect(try Fixtures.bytes(dir.appendingPathComponent("photo_100x75_q\(q)_420.jpg")))
            #expect(info.pillowQuality == q)
        }
        #expect(try JPEGDecoder.inspect(try Fixtures.bytes(dir.appendingPathComponent("gray_100x75_q95.jpg"))).pillowQuality == 95)
        #expect(try JPEGDecoder.inspect(try Fixtures.bytes(dir.appendingPathComponent("cjpeg_61x47_q50_16bitdqt.jpg"))).pillowQuality == nil)
    }

    @Test func colorInterpretation() throws {
        let dir = Fixtures.root.appendingPathComponent("decoder")
        #expect(try JPEGDecoder.decode(try Fixtures.bytes(dir.appendingPathComponent("adobe_rgb_48x40_q90.jpg"))).colorSpace == .rgb)
        #expect(try JPEGDecoder.decode(try Fixtures.bytes(dir.appendingPathComponent("adobe_ycc_48x40_q90.jpg"))).colorSpace == .yCbCr)
        let gray = try JPEGDecoder.decode(try Fixtures.bytes(dir.appendingPathComponent("gray_7x9_q85.jpg")))
        #expect(gray.colorSpace == .grayscale && gray.image.channels == 1 && gray.image.width == 7 && gray.image.height == 9)
    }

    /// jpeg-decoder's ICC chunk cases: complete sets in any order are joined by sequence
    /// number (equal to Pillow's profile); inconsistent sets give no profile (libjpeg's rule).
    @Test func iccChunkRules() throws {
        let dir = Fixtures.root.appendingPathComponent("conformance/jpeg-decoder/icc")
        let order = try JPEGDecoder.decode(try Fixtures.bytes(dir.appendingPathComponent("icc_chunk_order.jpeg")))
        #expect(order.iccProfile?.count == 254)
        for name in ["icc_missing_chunk", "icc_chunk_count_mismatch", "icc_chunk_double_seq_no", "icc_chunk_seq_no_0"] {
            let d = try JPEGDecoder.decode(try Fixtures.bytes(dir.appendingPathComponent(name + ".jpeg")))
            #expect(d.iccProfile == nil, "\(name)")
        }
    }

    @Test func huffmanDecoderRejectsBadTables() {
        // Two codes of length 1 would use the all-ones code "1": libjpeg refuses that.
        var counts = [UInt8](repeating: 0, count: 16)
        counts[0] = 2
        #expect(throws: JPEGError.self) { try HuffmanDecoder(HuffmanSpec(counts: counts, symbols: [0, 1]), isDC: true, offset: 0) }
        counts[0] = 1
        counts[1] = 1
        let ok = try? HuffmanDecoder(HuffmanSpec(counts: counts, symbols: [3, 5]), isDC: true, offset: 0)
        // Code "0" → 3 (length 1), "10" → 5 (length 2), "11…" is no code.
        let expectedShort: UInt16 = 1 << 8 | 3, expectedLong: UInt16 = 2 << 8 | 5
        let bits = HuffmanDecoder.lookupBits
        #expect(ok?.lookup[0] == expectedShort)
        #expect(ok?.lookup[(1 << (bits - 1)) - 1] == expectedShort)   // 0111…1
        #expect(ok?.lookup[1 << (bits - 1)] == expectedLong)          // 1000…0
        #expect(ok?.lookup[3 << (bits - 2)] == UInt16(0))             // 1100…0
    }

    @Test func inverseDCTOfADCOnlyBlock() {
        // DC-only: every sample is (DC · q / 8) + 128, rounded (libjpeg: DESCALE by 3 after
        // the ×8 scaling of the two passes).
        var coef = [Int16](repeating: 0, count: 64)
        coef[0] = 10
        let q = [UInt16](repeating: 4, count: 64)
        var out = [UInt8](repeating: 0, count: 64)
        coef.withUnsafeBufferPointer { c in
            out.withUnsafeMutableBufferPointer { o in
                InverseDCT.transformPlane(c.baseAddress!, quant: q, blocksWide: 1, blocksHigh: 1, samples: o.baseAddress!)
            }
        }
        #expect(out.allSatisfy { $0 == 133 })  // 128 + round(40 / 8)
    }
}

/// The SIMD inverse DCT against the scalar transcription of jidctint.c (with libjpeg's
/// zero-column and zero-row shortcuts and its wrap-around range limit) on random blocks,
/// sparse blocks and blocks whose outputs leave 0…255 (exercising the range limit).
/// Dequantized values stay within what 32-bit arithmetic represents exactly, which covers
/// every block an 8-bit encoder can produce (libjpeg's C code uses 64-bit intermediates and
/// its SIMD code 16-bit ones; the three agree in this range).
@Suite struct InverseDCTTests {
    @Test func simdMatchesTheScalarReference() {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<500 {
            // Every fifth block has coefficients only in the top-left 4 × 4 (sparse blocks
            // like most chroma blocks of a q85 photo).
            let density = [1, 2, 10, 64, 6][trial % 5]
            let limit: Int32 = [16383, 8191, 4095, 2047][trial % 4]  // bound on |coefficient × q|
            var coef = [Int16](repeating: 0, count: 64)
            let quant = (0..<64).map { _ in UInt16(1 + rng.next() % 64) }
            for i in 0..<density {
                let k = trial % 5 == 4 ? Int(rng.next() % 4) * 8 + Int(rng.next() % 4)
                    : density == 1 ? 0 : (density == 64 ? i : Int(rng.next() % 64))
                let q = Int32(quant[k])
                let bound = limit / q
                coef[k] = Int16(Int32(rng.next() % UInt64(2 * bound + 1)) - bound)
            }
            var simd = [UInt8](repeating: 0, count: 64)
            coef.withUnsafeBufferPointer { c in
                simd.withUnsafeMutableBufferPointer { o in
                    InverseDCT.transformPlane(c.baseAddress!, quant: quant, blocksWide: 1, blocksHigh: 1, samples: o.baseAddress!)
                }
            }
            var scalar = [UInt8](repeating: 0, count: 64)
            let q32 = quant.map { Int32(Int16(truncatingIfNeeded: $0)) }
            var ws = [Int32](repeating: 0, count: 64)
            coef.withUnsafeBufferPointer { c in
                q32.withUnsafeBufferPointer { q in
                    InverseDCT.rangeLimit.withUnsafeBufferPointer { r in
                        scalar.withUnsafeMutableBufferPointer { o in
                            ws.withUnsafeMutableBufferPointer { w in
                                InverseDCT.transform(c.baseAddress!, quant: q.baseAddress!, output: o.baseAddress!, stride: 8,
                                                     range: r.baseAddress!, workspace: w.baseAddress!)
                            }
                        }
                    }
                }
            }
            #expect(simd == scalar, "trial \(trial)")
        }
    }
}

/// The word-at-a-time search for 0xFF that the entropy-coded data's unstuffing starts with.
@Suite struct EntropySegmentSearchTests {
    @Test func skipToFFNeverPassesA0xFFByte() {
        var rng = SplitMix64(seed: 3)
        for length in 0..<72 {
            for trial in 0..<40 {
                // Random bytes that avoid 0xFF, with 0, 1 or 2 0xFF bytes planted (and, in some
                // trials, 0xFE and 0x7F bytes, which a wrong bit trick might mistake for 0xFF).
                var bytes = (0..<length).map { _ in UInt8(rng.next() % 255) }
                if trial % 3 == 0 { for i in bytes.indices where i % 5 == 0 { bytes[i] = [0xFE, 0x7F, 0x80][i % 3] } }
                for _ in 0..<(trial % 3) where length > 0 { bytes[Int(rng.next() % UInt64(length))] = 0xFF }
                let start = length == 0 ? 0 : Int(rng.next() % UInt64(length + 1))
                let firstFF = bytes[start...].firstIndex(of: 0xFF) ?? length
                let found = bytes.withUnsafeBufferPointer { EntropySegment.skipToFF($0, from: start) }
                #expect(found >= start && found <= firstFF, "length \(length) start \(start): \(found) > \(firstFF)")
                // Without a 0xFF it stops fewer than 16 bytes before the end.
                if firstFF == length { #expect(found > length - 16 || found == start) }
            }
        }
    }
}
