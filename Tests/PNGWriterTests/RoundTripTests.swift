import Testing
import PNGWriter
import PNGReader

/// Writer → reader round trips over every format the writer supports.
@Suite struct RoundTripTests {
    static let sizes: [(Int, Int)] = [(1, 1), (1, 9), (9, 1), (2, 3), (17, 13), (64, 5), (300, 200)]

    static func expectedColorType(_ f: PNGPixelFormat) -> PNGColorType {
        switch f {
        case .gray8, .gray16: return .gray
        case .grayAlpha8: return .grayAlpha
        case .rgb8, .rgb16: return .rgb
        case .rgba8: return .rgba
        }
    }

    @Test(arguments: PNGPixelFormat.allCases)
    func everySizeAndLevel(_ format: PNGPixelFormat) throws {
        var seed: UInt64 = 1
        for (w, h) in RoundTripTests.sizes {
            for smooth in [false, true] {
                // All three levels on small images; the big one once per content type.
                let levels: [CompressionLevel] = w * h > 10_000 ? [smooth ? .default : .fast] : CompressionLevel.allCases
                for level in levels {
                    seed += 1
                    let count = w * h * format.channels
                    let image: PNGImage
                    if format.bitDepth == 8 {
                        let samples = TestImages.bytes(count: count, smooth: smooth, seed: seed, width: w, channels: format.channels)
                        let png = try PNGEncoder(level: level).encode(samples, width: w, height: h, format: format)
                        image = try PNGDecoder().decode(png)
                        #expect(image.samples == .uint8(samples), "\(format) \(w)×\(h) \(level)")
                    } else {
                        let hi = TestImages.bytes(count: count, smooth: smooth, seed: seed, width: w, channels: format.channels)
                        let lo = TestImages.bytes(count: count, smooth: false, seed: seed &* 7, width: w, channels: format.channels)
                        let samples = (0..<count).map { UInt16(hi[$0]) << 8 | UInt16(lo[$0]) }
                        let png = try PNGEncoder(level: level).encode(sixteenBit: samples, width: w, height: h, format: format)
                        image = try PNGDecoder().decode(png)
                        #expect(image.samples == .uint16(samples), "\(format) \(w)×\(h) \(level)")
                    }
                    #expect(image.width == w && image.height == h)
                    #expect(image.bitDepth == format.bitDepth)
                    #expect(image.colorType == RoundTripTests.expectedColorType(format))
                    #expect(!image.interlaced)
                }
            }
        }
    }

    @Test func ancillaryChunksRoundTrip() throws {
        let profile = (0..<3000).map { UInt8(truncatingIfNeeded: $0 * $0 / 7) }
        var encoder = PNGEncoder()
        encoder.iccProfile = ICCProfile(name: "Test Profile", data: profile)
        encoder.gamma = 45455
        encoder.physicalDimensions = .dotsPerInch(72)
        let png = try encoder.encode([UInt8]([1, 2, 3, 4, 5, 6]), width: 2, height: 1, format: .rgb8)
        let image = try PNGDecoder().decode(png)
        #expect(image.iccProfile == PNGICCProfile(name: "Test Profile", data: profile))
        #expect(image.gamma == 45455)
        #expect(image.srgbIntent == nil)
        #expect(image.rgb8() == [1, 2, 3, 4, 5, 6])
        // pHYs: 72 dpi = 72 / 0.0254 = 2834.6 → 2835 pixels per metre (0x00000B13), unit 1.
        let phys: [UInt8] = [0, 0, 0, 9] + Array("pHYs".utf8) + [0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]
        #expect((0...(png.count - phys.count)).contains { Array(png[$0..<($0 + phys.count)]) == phys })
        // gAMA 45455 = 0x0000B18F.
        let gama: [UInt8] = [0, 0, 0, 4] + Array("gAMA".utf8) + [0, 0, 0xB1, 0x8F]
        #expect((0...(png.count - gama.count)).contains { Array(png[$0..<($0 + gama.count)]) == gama })

        var srgb = PNGEncoder(level: .fast)
        srgb.srgbIntent = .perceptual
        let image2 = try PNGDecoder().decode(try srgb.encode([UInt8]([9]), width: 1, height: 1, format: .gray8))
        #expect(image2.srgbIntent == 0)
        #expect(image2.iccProfile == nil)
    }

    @Test func smallIDATChunksRoundTrip() throws {
        let samples = TestImages.bytes(count: 40 * 30 * 3, smooth: false, seed: 99, width: 40, channels: 3)
        var encoder = PNGEncoder()
        encoder.idatChunkSize = 100
        let png = try encoder.encode(samples, width: 40, height: 30, format: .rgb8)
        // Count IDAT chunks by walking the chunk list.
        var offset = 8, idats = 0
        while offset + 8 <= png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            if png[offset + 4] == 0x49 && png[offset + 5] == 0x44 && png[offset + 6] == 0x41 && png[offset + 7] == 0x54 {
                #expect(length <= 100)
                idats += 1
            }
            offset += 12 + length
        }
        #expect(idats > 1)
        #expect(try PNGDecoder().decode(png).samples == .uint8(samples))
    }

    @Test func invalidInputsAreRejected() {
        #expect(throws: PNGWriteError.invalidDimensions(width: 0, height: 1)) {
            _ = try PNGEncoder().encode([UInt8](), width: 0, height: 1, format: .gray8)
        }
        #expect(throws: PNGWriteError.sampleCountMismatch(expected: 6, actual: 5)) {
            _ = try PNGEncoder().encode([UInt8](repeating: 0, count: 5), width: 2, height: 1, format: .rgb8)
        }
        #expect(throws: PNGWriteError.sampleTypeMismatch(format: .rgb16)) {
            _ = try PNGEncoder().encode([UInt8](repeating: 0, count: 6), width: 2, height: 1, format: .rgb16)
        }
        var encoder = PNGEncoder()
        encoder.iccProfile = ICCProfile(name: " bad", data: [1])
        #expect(throws: PNGWriteError.invalidProfileName(" bad")) {
            _ = try encoder.encode([UInt8]([0]), width: 1, height: 1, format: .gray8)
        }
    }
}
