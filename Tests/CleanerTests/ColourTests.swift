import Testing
import JPEGCodec
@testable import Cleaner
import TestSupport

@Suite struct ColourTests {
    @Test func knownColoursByHand() {
        // White: the Y weights sum to 1, the Cb and Cr weights to 0.
        let w = ColourConversion.ycbcr(r: 255, g: 255, b: 255)
        #expect(abs(w.y - 255) < 1e-3 && abs(w.cb - 128) < 1e-3 && abs(w.cr - 128) < 1e-3)
        // Pure red: Y = 0.299·255 = 76.245, Cb = 128 − 0.168736·255 = 84.97232,
        // Cr = 128 + 0.5·255 = 255.5.
        let r = ColourConversion.ycbcr(r: 255, g: 0, b: 0)
        #expect(abs(r.y - 76.245) < 1e-3 && abs(r.cb - 84.97232) < 1e-3 && abs(r.cr - 255.5) < 1e-3)
        // Inverse of (Y, Cb, Cr) = (100, 150, 90): R = 100 + 1.402·(−38) = 46.724,
        // G = 100 − 0.344136·22 − 0.714136·(−38) = 119.565176, B = 100 + 1.772·22 = 138.984.
        let c = ColourConversion.rgb(y: 100, cb: 150, cr: 90)
        #expect(abs(c.r - 46.724) < 1e-3 && abs(c.g - 119.565176) < 1e-3 && abs(c.b - 138.984) < 1e-3)
    }

    @Test func eightBitRoundTripIsExact() {
        var rng = SplitMix64(seed: 11)
        let n = 4000
        let pixels = (0..<(n * 3)).map { _ in UInt8(rng.nextInt(below: 256)) }
        var extremes: [UInt8] = []
        for v in [0, 1, 127, 128, 254, 255] as [UInt8] { extremes += [v, 255 - v, v] }
        let image = RasterImage(width: n + 6, height: 1, channels: 3, pixels: pixels + extremes)
        let p = ColourConversion.ycbcrPlanes(of: image)
        #expect(p.count == 3)
        #expect(ColourConversion.rasterImage(y: p[0], cb: p[1], cr: p[2]) == image)
    }

    @Test func grayImageIsOnePlane() {
        let image = RasterImage(width: 2, height: 2, channels: 1, pixels: [0, 7, 200, 255])
        let p = ColourConversion.ycbcrPlanes(of: image)
        #expect(p.count == 1 && p[0].samples == [0, 7, 200, 255])
        #expect(ColourConversion.rasterImage(channels: p) == image)
    }

    @Test func quantizeRoundsAndClamps() {
        #expect(ColourConversion.quantize8(-3) == 0)
        #expect(ColourConversion.quantize8(0.49) == 0)
        #expect(ColourConversion.quantize8(0.5) == 1)
        #expect(ColourConversion.quantize8(254.5) == 255)
        #expect(ColourConversion.quantize8(300) == 255)
        #expect(ColourConversion.quantize8(.nan) == 0)
        // Eight at a time: the same as one at a time, edges, ties and NaN included.
        var values: [Float] = [-3, 0.49, 0.5, 1.49999, 127.5, 254.49, 254.5, 300, .nan, -.infinity, .infinity, 3.7, 0, 255, -0.6, 99.5]
        var rng = SplitMix64(seed: 8)
        values += (0..<4000).map { _ in 270 * rng.nextUnitFloat() - 7 }
        values += (0..<512).map { Float($0) / 2 - 0.5 }
        while values.count % 8 != 0 { values.append(1) }
        for start in stride(from: 0, to: values.count, by: 8) {
            let v = SIMD8<Float>(values[start..<(start + 8)])
            let q = ColourConversion.quantize8(v)
            for k in 0..<8 { #expect(q[k] == ColourConversion.quantize8(v[k]), "\(v[k])") }
        }
    }
}
