import Testing
import JPEGCodec
@testable import Cleaner

/// The image pair of Fixtures/metrics_reference.py.
func fixturePair(_ w: Int, _ h: Int) -> (RasterImage, RasterImage) {
    var a = [UInt8](), b = [UInt8]()
    for y in 0..<h {
        for x in 0..<w {
            for c in 0..<3 {
                let va = (x * 37 + y * 101 + c * 53 + ((x * y) % 17) * 7) % 256
                let vb = min(255, max(0, va / 2 + 60 + (x * 13 + y * 7 + c * 3) % 81 - 40))
                a.append(UInt8(va)); b.append(UInt8(vb))
            }
        }
    }
    return (RasterImage(width: w, height: h, channels: 3, pixels: a),
            RasterImage(width: w, height: h, channels: 3, pixels: b))
}

@Suite struct MetricsTests {
    @Test func elementaryFunctions() {
        #expect(abs(ElementaryFunctions.log(1)) < 1e-15)
        #expect(abs(ElementaryFunctions.log(2) - 0.6931471805599453) < 1e-14)
        #expect(abs(ElementaryFunctions.log10(1000) - 3) < 1e-13)
        #expect(abs(ElementaryFunctions.log10(65025) - 4.81308036086791) < 1e-12)  // log10(255²)
        #expect(abs(ElementaryFunctions.exp(1) - 2.718281828459045) < 1e-14)
        #expect(abs(ElementaryFunctions.exp(-0.5) - 0.6065306597126334) < 1e-15)
    }

    @Test func psnrOfKnownError() {
        // Every sample off by exactly 5: MSE 25, PSNR = 10·log10(65025/25) = 34.1514 dB.
        let a = RasterImage(width: 4, height: 3, channels: 3, pixels: [UInt8](repeating: 100, count: 36))
        let b = RasterImage(width: 4, height: 3, channels: 3, pixels: [UInt8](repeating: 105, count: 36))
        #expect(Metrics.meanSquaredError(a, b) == 25)
        #expect(abs(Metrics.psnr(a, b) - 34.15140352195873) < 1e-9)
        #expect(Metrics.psnr(a, a) == .infinity)
        // One channel off by 16 on one of 2 pixels, the rest exact: MSE = 256/6 overall;
        // per channel: R 128 → 10·log10(65025/128) = 27.0587 dB, G and B infinite.
        let c = RasterImage(width: 2, height: 1, channels: 3, pixels: [10, 20, 30, 40, 50, 60])
        let d = RasterImage(width: 2, height: 1, channels: 3, pixels: [26, 20, 30, 40, 50, 60])
        #expect(abs(Metrics.meanSquaredError(c, d) - 256.0 / 6) < 1e-12)
        let ch = Metrics.channelPSNR(c, d)
        #expect(abs(ch[0] - 27.05870391220042) < 1e-9 && ch[1] == .infinity && ch[2] == .infinity)
    }

    @Test func matchesNumpyReference() {
        // Values from Fixtures/metrics_reference.txt.
        let cases: [(Int, Int, Double, Double, [Double], Double, Double)] = [
            (23, 17, 1885.400682011935, 15.376767010238,
             [15.368001898144, 15.215014542693, 15.553907402296], 0.651873873164, 0.733305736483),
            (6, 5, 1953.533333333333, 15.222595348340,
             [16.322284003435, 14.635438237117, 14.892646970161], 0.633221183141, 0.731320351517),
        ]
        for (w, h, mse, psnr, chan, luma, rgb) in cases {
            let (a, b) = fixturePair(w, h)
            #expect(abs(Metrics.meanSquaredError(a, b) - mse) < 1e-9)
            #expect(abs(Metrics.psnr(a, b) - psnr) < 1e-9)
            let c = Metrics.channelPSNR(a, b)
            for k in 0..<3 { #expect(abs(c[k] - chan[k]) < 1e-9) }
            #expect(abs(Metrics.ssim(a, b, channels: .luma) - luma) < 1e-9)
            #expect(abs(Metrics.ssim(a, b, channels: .rgbMean) - rgb) < 1e-9)
        }
    }

    @Test func ssimOfIdenticalImagesIsOne() {
        let a = randomRaster(30, 14, seed: 4)
        #expect(abs(Metrics.ssim(a, a) - 1) < 1e-12)
        #expect(abs(Metrics.ssim(a, a, channels: .rgbMean) - 1) < 1e-12)
        let g = randomRaster(3, 2, channels: 1, seed: 9)
        #expect(abs(Metrics.ssim(g, g) - 1) < 1e-12)
    }

    @Test func whiteKeptCountsExactWhites() {
        // Original: white, white, white, grey. Result: white, 254-in-blue, white, white.
        let o = RasterImage(width: 4, height: 1, channels: 3,
                            pixels: [255, 255, 255, 255, 255, 255, 255, 255, 255, 9, 9, 9])
        let r = RasterImage(width: 4, height: 1, channels: 3,
                            pixels: [255, 255, 255, 255, 255, 254, 255, 255, 255, 255, 255, 255])
        let w = Metrics.whiteKept(original: o, result: r)
        #expect(w.kept == 2 && w.total == 3 && w.fraction == 2.0 / 3)
        let none = Metrics.whiteKept(original: r.cropped(x: 1, y: 0, width: 1, height: 1),
                                     result: r.cropped(x: 1, y: 0, width: 1, height: 1))
        #expect(none.total == 0 && none.fraction == nil)
    }
}

/// Flat kept, against `Fixtures/flat_reference.py` (peers.py's definition in numpy).
@Suite struct FlatKeptTests {
    @Test func flatKeptMatchesTheReference() {
        let w = 60, h = 45
        var a = [UInt8](), b = [UInt8]()
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    let va = ((x / 23) * 70 + (y / 19) * 50 + c * 20) % 256
                    let vb = va + ((x * 7 + y * 3) % 31 == 0 && c == 1 ? 1 : 0)
                    a.append(UInt8(va)); b.append(UInt8(vb))
                }
            }
        }
        let original = RasterImage(width: w, height: h, channels: 3, pixels: a)
        let result = RasterImage(width: w, height: h, channels: 3, pixels: b)
        let counts = Metrics.flatKept(original: original, result: result)
        // Fixtures/flat_reference.txt: 60x45 pairs=2565 kept=2397 far_pairs=1125 far_kept=1050
        #expect(counts.pairs == 2565 && counts.kept == 2397 && counts.farPairs == 1125 && counts.farKept == 1050)
        let same = Metrics.flatKept(original: original, result: original)
        #expect(same.kept == same.pairs && same.farKept == same.farPairs)
    }
}
