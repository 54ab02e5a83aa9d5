import Testing
import JPEGCodec
@testable import Cleaner
import TestSupport

/// A smooth colourful test image with some edges.
func syntheticImage(_ w: Int, _ h: Int, seed: UInt64) -> RasterImage {
    var rng = SplitMix64(seed: seed)
    var px = [UInt8]()
    for y in 0..<h {
        for x in 0..<w {
            let edge: Float = x > w / 2 ? 60 : 0
            let r = 40 + 3 * Float(x) + edge, g = 200 - 2 * Float(y) - edge / 2
            let b = 120 + 40 * Float((x / 5 + y / 7) % 2)
            for v in [r, g, b] { px.append(ColourConversion.quantize8(v + 6 * (rng.nextUnitFloat() - 0.5))) }
        }
    }
    return RasterImage(width: w, height: h, channels: 3, pixels: px)
}

/// A float model of a q85 4:2:0 JPEG round trip: Y quantized at full size, Cb and Cr
/// box-averaged 2×2 (after edge extension to whole 16×16 areas) and quantized; the decode
/// inverse-transforms, replicates the chroma up and rounds RGB to 8 bits.
func simulatedJPEG(_ image: RasterImage) -> CleanerInput {
    let p = ColourConversion.ycbcrPlanes(of: image)
    let w = image.width, h = image.height
    let y = CoefficientPlane.quantizing(p[0], quantization: lumaQ85, horizontalSampling: 2, verticalSampling: 2)
    let bw = ((w + 1) / 2 + 7) / 8, bh = ((h + 1) / 2 + 7) / 8
    let chroma = [p[1], p[2]].map { plane in
        CoefficientPlane.quantizing(
            Resampling.boxDownsample(plane.edgeExtended(toWidth: bw * 16, height: bh * 16), factorX: 2, factorY: 2),
            quantization: chromaQ85)
    }
    let dy = y.dequantizedPlane().cropped(toWidth: w, height: h)
    let dc = chroma.map { Resampling.replicateUpsample($0.dequantizedPlane(), factorX: 2, factorY: 2, width: w, height: h) }
    return CleanerInput(image: ColourConversion.rasterImage(y: dy, cb: dc[0], cr: dc[1]), components: [y] + chroma)
}

@Suite struct CleaningTests {
    @Test(arguments: [(37, 29), (1, 1), (16, 16), (7, 9)])
    func zeroResidualReturnsTheDecodeExactly(size: (Int, Int)) {
        let decoded = simulatedJPEG(syntheticImage(size.0, size.1, seed: 3))
        for projection in [ProjectionMode.all, .luma, .none] {
            for output in [WindowOutput.centralBlock, .fullWindow] {
                let options = CleaningOptions(output: output, batchSize: 5, projection: projection)
                let o = output.size(for: options.geometry) 
                var calls = 0
                let cleaned = Cleaning.clean(decoded, options: options) { windows, count in
                    calls += 1
                    #expect(windows.count == count * 24 * 24 * 3)
                    return [Float](repeating: 0, count: count * o * o * 3)
                }
                #expect(cleaned == decoded.image)
                #expect(calls >= 1)
            }
        }
    }

    @Test func identityModelReturnsTheDecodeExactly() {
        let decoded = simulatedJPEG(syntheticImage(33, 17, seed: 4))
        let options = CleaningOptions(weights: Windows.tentWeights(size: 8), residual: false)
        let cleaned = Cleaning.clean(decoded, options: options) { windows, count in
            var out: [Float] = []
            for n in 0..<count {
                for r in 8..<16 { for k in 8..<16 { for c in 0..<3 {
                    out.append(windows[n * 1728 + (r * 24 + k) * 3 + c])
                } } }
            }
            return out
        }
        #expect(cleaned == decoded.image)
    }

    @Test func grayImageWithOneComponent() {
        let clean = syntheticImage(20, 12, seed: 6)
        let gray = RasterImage(width: 20, height: 12, channels: 1,
                               pixels: (0..<240).map { clean.pixels[$0 * 3 + 1] })
        let coef = CoefficientPlane.quantizing(ColourConversion.planes(of: gray)[0], quantization: lumaQ85)
        let decodeImage = ColourConversion.rasterImage(channels: [coef.dequantizedPlane().cropped(toWidth: 20, height: 12)])
        let decoded = CleanerInput(image: decodeImage, components: [coef])
        let cleaned = Cleaning.clean(decoded) { [Float](repeating: 0, count: $1 * 64) }
        #expect(cleaned == decodeImage)
    }

    @Test func projectionPullsANoisyModelTowardsTheOriginal() {
        // A "model" that adds strong noise (±64 levels) to every output. Projection removes
        // most of the luma noise and most of the chroma noise the file can see (its 2×2
        // box averages); chroma noise that averages out inside a 2×2 box is invisible to
        // the file and stays.
        let original = syntheticImage(48, 40, seed: 10)
        let decoded = simulatedJPEG(original)
        var rng = SplitMix64(seed: 77)
        let noisy = Cleaning.predictImage(decoded.image, options: CleaningOptions()) { _, count in
            (0..<(count * 192)).map { _ in 2 * (rng.nextUnitFloat() - 0.5) }
        }
        let truth = ColourConversion.ycbcrPlanes(of: original)
        func errors(_ image: RasterImage) -> (y: Float, cbLow: Float, crLow: Float) {
            let p = ColourConversion.ycbcrPlanes(of: image)
            func mse(_ a: Plane, _ b: Plane) -> Float {
                zip(a.samples, b.samples).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Float(a.samples.count)
            }
            func low(_ q: Plane) -> Plane { Resampling.boxDownsample(q, factorX: 2, factorY: 2) }
            return (mse(p[0], truth[0]), mse(low(p[1]), low(truth[1])), mse(low(p[2]), low(truth[2])))
        }
        let none = Cleaning.project(noisy, decoded: decoded, mode: .none)
        let luma = Cleaning.project(noisy, decoded: decoded, mode: .luma)
        let all = Cleaning.project(noisy, decoded: decoded, mode: .all)
        let (en, el, ea) = (errors(none), errors(luma), errors(all))
        #expect(el.y < en.y / 4)
        // Luma mode leaves chroma alone (up to 8-bit rounding and clipping of RGB).
        #expect(abs(el.cbLow - en.cbLow) < 0.05 * en.cbLow && abs(el.crLow - en.crLow) < 0.05 * en.crLow)
        // q85 chroma bins are wide (Q = 30 for most AC coefficients), so only the noise
        // beyond ±15 is removed: measured 133 → 95 (Cb) and 150 → 85 (Cr).
        #expect(ea.cbLow < 0.8 * en.cbLow && ea.crLow < 0.8 * en.crLow)
        #expect(abs(ea.y - el.y) < 0.05 * el.y)
        let (pn, pl, pa) = (Metrics.psnr(original, none), Metrics.psnr(original, luma), Metrics.psnr(original, all))
        #expect(pl > pn + 0.5)
        #expect(pa > pl + 0.2)
        // The plain decode is still better than a noisy model, projected or not.
        #expect(Metrics.psnr(original, decoded.image) > pa)
    }
}
