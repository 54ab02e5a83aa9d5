import Foundation
import Testing
@testable import JPEGCodec

@Suite struct EncoderColorTests {
    @Test func knownPixels() {
        // Hand-computed from jccolor.c: Y = (19595 R + 38470 G + 7471 B + 2^15) >> 16,
        // Cb = (−11059 R − 21709 G + 32768 B + 128·2^16 + 2^15 − 1) >> 16,
        // Cr = (32768 R − 27439 G − 5329 B + 128·2^16 + 2^15 − 1) >> 16.
        #expect(EncoderColorConverter.convert(r: 0, g: 0, b: 0) == (0, 128, 128))
        #expect(EncoderColorConverter.convert(r: 255, g: 255, b: 255) == (255, 128, 128))
        // Red: Y = 5029493 >> 16 = 76, Cb = 5601330 >> 16 = 85, Cr = 16777215 >> 16 = 255.
        #expect(EncoderColorConverter.convert(r: 255, g: 0, b: 0) == (76, 85, 255))
        // Blue: Y = (1905105 + 32768) >> 16 = 29, Cb = (8355840 + 8421375) >> 16 = 255,
        // Cr = (−1358895 + 8421375) >> 16 = 107.
        #expect(EncoderColorConverter.convert(r: 0, g: 0, b: 255) == (29, 255, 107))
        #expect(EncoderColorConverter.yR == 19595 && EncoderColorConverter.yG == 38470
                && EncoderColorConverter.yB == 7471)
        #expect(EncoderColorConverter.cbR == 11059 && EncoderColorConverter.cbG == 21709
                && EncoderColorConverter.crG == 27439 && EncoderColorConverter.crB == 5329)
    }

    @Test func withinHalfAnLSBOfTheExactTransform() {
        // Y rounds to nearest; Cb/Cr round with a bias just below one half.
        for r in stride(from: 0, through: 255, by: 15) {
            for g in stride(from: 0, through: 255, by: 17) {
                for b in stride(from: 0, through: 255, by: 5) {
                    let (y, cb, cr) = EncoderColorConverter.convert(r: UInt8(r), g: UInt8(g), b: UInt8(b))
                    let (R, G, B) = (Double(r), Double(g), Double(b))
                    let ey = 0.299 * R + 0.587 * G + 0.114 * B
                    let ecb = -0.16874 * R - 0.33126 * G + 0.5 * B + 128
                    let ecr = 0.5 * R - 0.41869 * G - 0.08131 * B + 128
                    #expect(abs(Double(y) - ey) <= 0.5 + 1e-3)
                    #expect(abs(Double(cb) - ecb) <= 0.5 + 1e-3)
                    #expect(abs(Double(cr) - ecr) <= 0.5 + 1e-3)
                }
            }
        }
    }

    @Test func downsamplingBiasAlternates() {
        // h2v1: (a + b + {0,1,0,1}) >> 1; pairs summing to 1 show the bias.
        let row: [UInt8] = [0, 1, 0, 1, 0, 1, 0, 1]
        var out = [UInt8](repeating: 9, count: 4)
        row.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o in
                EncoderDownsampler.h2v1(r.baseAddress!, outputCount: 4, into: o.baseAddress!)
            }
        }
        #expect(out == [0, 1, 0, 1])
        // h2v2: (sum + {1,2,1,2}) >> 2; a sum of 2 gives 0, 1, 0, 1.
        let top: [UInt8] = [1, 1, 1, 1, 1, 1, 1, 1], bottom = [UInt8](repeating: 0, count: 8)
        top.withUnsafeBufferPointer { t in
            bottom.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    EncoderDownsampler.h2v2(t.baseAddress!, b.baseAddress!, outputCount: 4, into: o.baseAddress!)
                }
            }
        }
        #expect(out == [0, 1, 0, 1])
    }
}

@Suite struct EncoderDCTTests {
    func transform(_ samples: [UInt8]) -> [Int32] {
        var output = [Int32](repeating: 0, count: 64)
        samples.withUnsafeBufferPointer { s in
            output.withUnsafeMutableBufferPointer { o in
                EncoderForwardDCT.transform(s.baseAddress!, stride: 8, into: o.baseAddress!)
            }
        }
        return output
    }

    @Test func flatBlock() {
        // Hand-checked: 64 samples of 255 → centred 127; DC = 8 · Σ/8 = 8128, AC = 0.
        let out = transform([UInt8](repeating: 255, count: 64))
        #expect(out[0] == 8128)
        #expect(out[1...].allSatisfy { $0 == 0 })
        #expect(transform([UInt8](repeating: 128, count: 64)).allSatisfy { $0 == 0 })
    }

    @Test func matchesDoubleReferenceWithinOneAndAHalfEighths() {
        var state: UInt64 = 0x1234_5678
        var worst = 0.0
        for trial in 0..<200 {
            var samples = [UInt8](repeating: 0, count: 64)
            for i in 0..<64 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let noise = UInt8(truncatingIfNeeded: state >> 56)
                // Mix smooth blocks and full-range noise.
                samples[i] = trial % 2 == 0 ? noise : UInt8((i % 8) * 30 + (i / 8) * 3)
            }
            let out = transform(samples)
            for v in 0..<8 {
                for u in 0..<8 {
                    var sum = 0.0
                    for y in 0..<8 {
                        for x in 0..<8 {
                            sum += (Double(samples[y * 8 + x]) - 128)
                                * cos(Double(2 * x + 1) * Double(u) * .pi / 16)
                                * cos(Double(2 * y + 1) * Double(v) * .pi / 16)
                        }
                    }
                    let cu = u == 0 ? 1 / 2.0.squareRoot() : 1, cv = v == 0 ? 1 / 2.0.squareRoot() : 1
                    let reference = 0.25 * cu * cv * sum * 8  // scaled by 8 like islow
                    worst = max(worst, abs(Double(out[v * 8 + u]) - reference))
                }
            }
        }
        // The output is the coefficient scaled by 8; islow's fixed-point error stays
        // below 1.5 of those units (0.19 of a coefficient). Measured worst: 1.16.
        #expect(worst < 1.5, "worst \(worst)")
    }

    @Test func constantsAreFixOfTheirReals() {
        #expect(EncoderForwardDCT.c0_298631336 == EncoderForwardDCT.fix(0.298631336))
        #expect(EncoderForwardDCT.c0_390180644 == EncoderForwardDCT.fix(0.390180644))
        #expect(EncoderForwardDCT.c0_541196100 == EncoderForwardDCT.fix(0.541196100))
        #expect(EncoderForwardDCT.c0_765366865 == EncoderForwardDCT.fix(0.765366865))
        #expect(EncoderForwardDCT.c0_899976223 == EncoderForwardDCT.fix(0.899976223))
        #expect(EncoderForwardDCT.c1_175875602 == EncoderForwardDCT.fix(1.175875602))
        #expect(EncoderForwardDCT.c1_501321110 == EncoderForwardDCT.fix(1.501321110))
        #expect(EncoderForwardDCT.c1_847759065 == EncoderForwardDCT.fix(1.847759065))
        #expect(EncoderForwardDCT.c1_961570560 == EncoderForwardDCT.fix(1.961570560))
        #expect(EncoderForwardDCT.c2_053119869 == EncoderForwardDCT.fix(2.053119869))
        #expect(EncoderForwardDCT.c2_562915447 == EncoderForwardDCT.fix(2.562915447))
        #expect(EncoderForwardDCT.c3_072711026 == EncoderForwardDCT.fix(3.072711026))
        let c = EncoderColorConverter.self
        #expect(c.yR == c.fix(0.29900) && c.yG == c.fix(0.58700) && c.yB == c.fix(0.11400))
        #expect(c.cbR == c.fix(0.16874) && c.cbG == c.fix(0.33126) && c.half == c.fix(0.5))
        #expect(c.crG == c.fix(0.41869) && c.crB == c.fix(0.08131))
    }

    @Test func vectorPathEqualsScalarPath() {
        var state: UInt64 = 99
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for trial in 0..<400 {
            // Small steps, baseline steps, and (every fourth trial) 16-bit steps up to 32767,
            // which take the quantizer's second shift.
            let table = (0..<64).map { _ in
                UInt16([1 + next() % 255, 1 + next() % 12, 1 + next() % 255, 1 + next() % 32767][trial % 4])
            }
            let quantizer = EncoderQuantizer(table: table)
            // 8×8 block inside a 11-wide buffer (stride ≠ 8); extremes every third trial.
            let samples = (0..<(11 * 8)).map { _ in UInt8(trial % 3 == 1 ? (next() % 2) * 255 : next() % 256) }
            var scalar = [Int16](repeating: 0, count: 64), vector = [Int16](repeating: 7, count: 64)
            var work = [Int32](repeating: 0, count: 64)
            samples.withUnsafeBufferPointer { s in
            work.withUnsafeMutableBufferPointer { w in
            quantizer.constants.withUnsafeBufferPointer { k in
                EncoderForwardDCT.transform(s.baseAddress! + 2, stride: 11, into: w.baseAddress!)
                scalar.withUnsafeMutableBufferPointer { o in
                    quantizer.quantizeBlock(w.baseAddress!, into: o.baseAddress!)
                }
                vector.withUnsafeMutableBufferPointer { o in
                    EncoderForwardDCT.transformAndQuantize(s.baseAddress! + 2, stride: 11,
                                                           quantizer: k.baseAddress!, into: o.baseAddress!)
                }
            }}}
            if scalar != vector { Issue.record("trial \(trial): \(scalar) ≠ \(vector)"); return }
        }
    }

    @Test func pairPathEqualsOneBlockPath() {
        var state: UInt64 = 5
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for trial in 0..<200 {
            let table = (0..<64).map { _ in UInt16(trial % 4 == 3 ? 1 + next() % 32767 : 1 + next() % 255) }
            let quantizer = EncoderQuantizer(table: table)
            // Two blocks side by side inside a 19-wide buffer; extremes every third trial.
            let samples = (0..<(19 * 8)).map { _ in UInt8(trial % 3 == 1 ? (next() % 2) * 255 : next() % 256) }
            var single = [Int16](repeating: 0, count: 128), pair = [Int16](repeating: 7, count: 128)
            samples.withUnsafeBufferPointer { s in
            quantizer.constants.withUnsafeBufferPointer { k in
                single.withUnsafeMutableBufferPointer { o in
                    for b in 0..<2 {
                        EncoderForwardDCT.transformAndQuantize(s.baseAddress! + 3 + 8 * b, stride: 19, quantizer: k.baseAddress!,
                                                               into: o.baseAddress! + 64 * b)
                    }
                }
                pair.withUnsafeMutableBufferPointer { o in
                    EncoderForwardDCT.transformAndQuantizePair(s.baseAddress! + 3, stride: 19, quantizer: k.baseAddress!,
                                                               into: o.baseAddress!)
                }
            }}
            if single != pair { Issue.record("trial \(trial): \(single) ≠ \(pair)"); return }
        }
    }

    @Test func quantizerEqualsRoundingDivision() {
        // Every coefficient the FDCT of 8-bit samples can produce (|x| < 2¹⁵), for steps on
        // both sides of the quantizer's shift change (2047/2048) and the largest allowed.
        for q: UInt16 in [1, 2, 3, 5, 7, 10, 16, 37, 99, 128, 255, 1000, 2047, 2048, 4099, 32767] {
            let quantizer = EncoderQuantizer(table: [UInt16](repeating: q, count: 64))
            #expect(quantizer.halves[5] == UInt32(q) * 4)
            let d = Int(q) * 8
            for x in -32767...32767 {
                let expected = x < 0 ? -((-x + d / 2) / d) : (x + d / 2) / d
                let actual = EncoderQuantizer.quantize(Int32(x), multiplier: quantizer.multipliers[5],
                                                       half: quantizer.halves[5], shift: quantizer.shifts[5])
                if Int(actual) != expected {
                    Issue.record("q \(q) x \(x): \(actual) ≠ \(expected)")
                    return
                }
            }
        }
    }
}

@Suite struct EncoderHuffmanTests {
    @Test func optimalTableSmallCase() {
        // Hand-run of jpeg_gen_optimal_table: counts {0: 1, 1: 1, 2: 2} plus the reserved
        // symbol 256 (count 1) give lengths 2 → 1, 0 → 2, 1 → 3, 256 → 3; removing 256
        // leaves one code per length 1, 2, 3 with symbols 2, 0, 1.
        var frequencies = [Int](repeating: 0, count: 256)
        frequencies[0] = 1; frequencies[1] = 1; frequencies[2] = 2
        let table = EncoderOptimalHuffman.table(frequencies: frequencies)
        #expect(table.bits == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(table.values == [2, 0, 1])
    }

    @Test func lengthsAreLimitedTo16() {
        // Counts 2^0 … 2^23 (symbols 1, 6, 11, …, 116) plus symbols 200, 201 (count 1) and
        // 202 (count 3) make an unlimited Huffman code 25 levels deep. Expected values from
        // a direct transcription of the classic IJG 6b procedure (two selection scans per
        // merge, symbol-order listing), run in Python.
        var frequencies = [Int](repeating: 0, count: 256)
        for s in 0..<24 { frequencies[s * 5 + 1] = 1 << s }
        frequencies[200] = 1; frequencies[201] = 1; frequencies[202] = 3
        let table = EncoderOptimalHuffman.table(frequencies: frequencies)
        #expect(table.bits == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 15])
        #expect(table.values == [116, 111, 106, 101, 96, 91, 86, 81, 76, 71, 66, 61, 56, 51, 46,
                                 41, 36, 31, 26, 21, 16, 6, 11, 202, 1, 200, 201])
        // Kraft sum strictly below 1: the all-ones code stays unused.
        let kraft: Double = table.bits.enumerated().reduce(0.0) {
            $0 + Double($1.element) / Double(1 << ($1.offset + 1))
        }
        #expect(kraft < 1)
    }

    @Test func standardCodes() {
        // T.81 table K.3: category 0 → 00, 1 → 010, 5 → 110, 11 → 111111110.
        let dc = EncoderHuffmanTable.standardLuminanceDC
        #expect(dc.codes[0] == 0b00 && dc.lengths[0] == 2)
        #expect(dc.codes[1] == 0b010 && dc.lengths[1] == 3)
        #expect(dc.codes[5] == 0b110 && dc.lengths[5] == 3)
        #expect(dc.codes[11] == 0b1_1111_1110 && dc.lengths[11] == 9)
        // Table K.5: EOB 1010, ZRL 11111111001.
        let ac = EncoderHuffmanTable.standardLuminanceAC
        #expect(ac.codes[0x00] == 0b1010 && ac.lengths[0x00] == 4)
        #expect(ac.codes[0xF0] == 0b111_1111_1001 && ac.lengths[0xF0] == 11)
    }

    @Test func bitWriterStuffsAndPadsWithOnes() {
        var writer = JPEGBitWriter(prefix: [0xAA], capacity: 8)
        writer.write(0xFF, count: 8)
        writer.write(0b101, count: 3)
        writer.flush()
        // 70 bits through the 64-bit accumulator: 0x00 ×8 bytes then 6 one bits + 2 pad.
        var long = JPEGBitWriter(prefix: [], capacity: 0)
        long.reserve(64)
        long.write(0, count: 30); long.write(0, count: 30); long.write(0b1111_1111_11, count: 10)
        long.flush()
        #expect(long.bytes == [0, 0, 0, 0, 0, 0, 0, 0x0F, 0xFF, 0x00])
        #expect(writer.bytes == [0xAA, 0xFF, 0x00, 0b1011_1111])
        writer.write(0b1111, count: 4)
        writer.writeMarker(0xD0)  // pads 1111 → 0xFF, stuffed
        #expect(writer.bytes == [0xAA, 0xFF, 0x00, 0xBF, 0xFF, 0x00, 0xFF, 0xD0])
        // Negative values are sent as the low bits of v − 1.
        #expect(EncoderHuffmanCoder.category(-5) == 3 && EncoderHuffmanCoder.extraBits(-5, category: 3) == 0b010)
        #expect(EncoderHuffmanCoder.category(1023) == 10 && EncoderHuffmanCoder.category(0) == 0)
    }
}

@Suite struct EncoderAPITests {
    let gray = RasterImage(width: 4, height: 4, channels: 1, pixels: [UInt8](repeating: 9, count: 16))

    @Test func invalidQualityIsRejected() {
        for quality in [0, -3, 101] {
            #expect(throws: JPEGEncodingError.invalidQuality(quality)) {
                try JPEGEncoder.encode(gray, options: EncoderOptions(quality: quality))
            }
        }
    }

    @Test func oversizedOrEmptyImagesAreRejected() {
        let wide = RasterImage(width: 65536, height: 1, channels: 1, pixels: [UInt8](repeating: 0, count: 65536))
        #expect(throws: JPEGEncodingError.invalidDimensions(width: 65536, height: 1)) {
            try JPEGEncoder.encode(wide)
        }
        let empty = RasterImage(width: 0, height: 5, channels: 3, pixels: [])
        #expect(throws: JPEGEncodingError.invalidDimensions(width: 0, height: 5)) {
            try JPEGEncoder.encode(empty)
        }
        #expect(throws: JPEGEncodingError.invalidDimensions(width: 70000, height: 2)) {
            try JPEGEncoder.encode(planes: [EncoderPlane(width: 70000, height: 2, samples: [])],
                                   width: 70000, height: 2)
        }
    }

    @Test func badRestartAndTablesAreRejected() {
        #expect(throws: JPEGEncodingError.invalidRestartInterval(65536)) {
            try JPEGEncoder.encode(gray, options: EncoderOptions(restartInterval: 65536))
        }
        #expect(throws: JPEGEncodingError.invalidRestartInterval(-1)) {
            try JPEGEncoder.encode(gray, options: EncoderOptions(restartRows: -1))
        }
        #expect(throws: JPEGEncodingError.invalidQuantizationTable(index: 1)) {
            try JPEGEncoder.encode(gray, options: EncoderOptions(quantizationTables: [
                [UInt16](repeating: 1, count: 64), [UInt16](repeating: 0, count: 64)]))
        }
        #expect(throws: JPEGEncodingError.invalidQuantizationTable(index: 0)) {
            try JPEGEncoder.encode(gray, options: EncoderOptions(quantizationTables: [[1, 2, 3]]))
        }
        #expect(throws: JPEGEncodingError.invalidQuantizationTable(index: 3)) {
            try JPEGEncoder.encode(gray, options: EncoderOptions(quantizationTables: [[UInt16]](
                repeating: [UInt16](repeating: 1, count: 64), count: 3)))
        }
    }

    @Test func badPlanesAreRejected() {
        let plane = EncoderPlane(width: 4, height: 4, samples: [UInt8](repeating: 0, count: 16))
        #expect(throws: JPEGEncodingError.invalidPlaneCount(2)) {
            try JPEGEncoder.encode(planes: [plane, plane], width: 4, height: 4)
        }
        // At 4:2:0 a 4×4 image has 2×2 chroma planes.
        #expect(throws: JPEGEncodingError.invalidPlaneSize(index: 1, expectedWidth: 2, expectedHeight: 2)) {
            try JPEGEncoder.encode(planes: [plane, plane, plane], width: 4, height: 4)
        }
    }

    @Test func grayPlaneMatchesImagePathAndPillow() throws {
        let image = try EncoderFixtures.image("graytext45x30.pgm")
        let plane = EncoderPlane(width: image.width, height: image.height, samples: image.pixels)
        let options = EncoderOptions(quality: 85)
        let fromPlanes = try JPEGEncoder.encode(planes: [plane], width: image.width, height: image.height,
                                                options: options)
        #expect(fromPlanes == (try EncoderFixtures.bytes("graytext45x30_q85.jpg")))
    }

    @Test func colourPlanesMatchPillow() throws {
        // 64×48 is a whole number of 4:2:0 MCUs, so no padding is involved. The planes are
        // built here independently: per-pixel conversion, then 2×2 sums with bias 1, 2, 1, 2.
        let image = try EncoderFixtures.image("photo64x48.ppm")
        var y = [UInt8](), cb = [UInt8](), cr = [UInt8]()
        for i in 0..<(64 * 48) {
            let p = EncoderColorConverter.convert(r: image.pixels[3 * i], g: image.pixels[3 * i + 1],
                                                  b: image.pixels[3 * i + 2])
            y.append(p.y); cb.append(p.cb); cr.append(p.cr)
        }
        func halve(_ plane: [UInt8]) -> [UInt8] {
            var out = [UInt8]()
            for row in 0..<24 {
                for column in 0..<32 {
                    let a = Int(plane[2 * row * 64 + 2 * column]), b = Int(plane[2 * row * 64 + 2 * column + 1])
                    let c = Int(plane[(2 * row + 1) * 64 + 2 * column])
                    let d = Int(plane[(2 * row + 1) * 64 + 2 * column + 1])
                    out.append(UInt8((a + b + c + d + 1 + column % 2) / 4))
                }
            }
            return out
        }
        let planes = [EncoderPlane(width: 64, height: 48, samples: y),
                      EncoderPlane(width: 32, height: 24, samples: halve(cb)),
                      EncoderPlane(width: 32, height: 24, samples: halve(cr))]
        let bytes = try JPEGEncoder.encode(planes: planes, width: 64, height: 48,
                                           options: EncoderOptions(quality: 85, subsampling: .yuv420))
        #expect(bytes == (try EncoderFixtures.bytes("photo64x48_q85_s2.jpg")))
    }
}
