import Testing
import JPEGCodec
@testable import Cleaner
import TestSupport

/// Unquantized DCT of every block of `plane`, after edge extension to whole blocks and the
/// −128 level shift; blocks row-major, 64 values each.
func blockCoefficients(_ plane: Plane) -> [Float] {
    let bw = (plane.width + 7) / 8, bh = (plane.height + 7) / 8
    let p = plane.edgeExtended(toWidth: bw * 8, height: bh * 8)
    var out: [Float] = []
    for by in 0..<bh {
        for bx in 0..<bw {
            var block = [Float](repeating: 0, count: 64)
            for r in 0..<8 { for c in 0..<8 { block[r * 8 + c] = p[bx * 8 + c, by * 8 + r] - 128 } }
            out += DCT8x8.forward(block)
        }
    }
    return out
}

/// A random plane with some structure: a smooth gradient plus uniform noise, 0…255.
func randomPlane(_ w: Int, _ h: Int, _ rng: inout SplitMix64, noise: Float = 60) -> Plane {
    var p = Plane(width: w, height: h)
    for y in 0..<h {
        for x in 0..<w {
            let base = 60 + 120 * Float(x + y) / Float(w + h)
            p[x, y] = min(255, max(0, base + noise * (rng.nextUnitFloat() - 0.5)))
        }
    }
    return p
}

let lumaQ85 = StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 85)
let chromaQ85 = StandardTables.scaledQuantization(StandardTables.chrominanceQuantization, quality: 85)

@Suite struct ProjectionTests {
    @Test(arguments: [(16, 16), (37, 21), (5, 3), (64, 40)])
    func lumaNeverMovesAwayFromTruthAndLandsInBins(size: (Int, Int)) {
        var rng = SplitMix64(seed: UInt64(size.0 * 1000 + size.1))
        let (w, h) = size
        let truth = randomPlane(w, h, &rng)
        let coef = CoefficientPlane.quantizing(truth, quantization: lumaQ85)
        var pred = truth
        for i in pred.samples.indices { pred.samples[i] += 30 * (rng.nextUnitFloat() - 0.5) }
        let proj = DCTProjection.project(pred, onto: coef)
        #expect(proj.width == w && proj.height == h)

        // Compare on the block-padded plane the projection works on: the prediction
        // edge-extended to whole blocks plus the correction.
        let bw = (w + 7) / 8, bh = (h + 7) / 8
        var padded = pred.edgeExtended(toWidth: bw * 8, height: bh * 8)
        let delta = DCTProjection.correction(padded, DCTProjection.Bins(coef, width: padded.width, height: padded.height))
        if let d = delta { for i in padded.samples.indices { padded.samples[i] += d.samples[i] } }
        let t = blockCoefficients(truth), p = blockCoefficients(pred), j = blockCoefficients(padded)
        var moved = 0
        for i in t.indices {
            let q = Float(lumaQ85[i % 64]), k = Float(coef.coefficients[i])
            #expect(abs(t[i] - k * q) <= q / 2 + 1e-3)        // the truth is in its bin
            #expect(abs(j[i] - t[i]) <= abs(p[i] - t[i]) + 2e-3)
            #expect(abs(j[i] - k * q) <= q / 2 + 2e-3)        // projected lies in its bin
            if abs(j[i] - p[i]) > 1e-2 { moved += 1 }
        }
        #expect(moved > 0)                                    // the noise did leave some bins
        // The result is that padded plane cropped to the image.
        for y in 0..<h { for x in 0..<w { #expect(abs(proj[x, y] - padded[x, y]) < 1e-4) } }
        // Block-aligned: the returned plane itself lies in the bins.
        if w % 8 == 0 && h % 8 == 0 {
            let jj = blockCoefficients(proj)
            for i in t.indices {
                let q = Float(lumaQ85[i % 64]), k = Float(coef.coefficients[i])
                #expect(abs(jj[i] - k * q) <= q / 2 + 2e-3)
            }
        }
    }

    @Test func lumaProjectionDoesNotIncreaseSquaredError() {
        var rng = SplitMix64(seed: 5)
        let truth = randomPlane(32, 24, &rng)
        let coef = CoefficientPlane.quantizing(truth, quantization: lumaQ85)
        var pred = truth
        for i in pred.samples.indices { pred.samples[i] += 40 * (rng.nextUnitFloat() - 0.5) }
        let proj = DCTProjection.project(pred, onto: coef)
        func sse(_ a: Plane) -> Float { zip(a.samples, truth.samples).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        #expect(sse(proj) < sse(pred))
    }

    @Test(arguments: [(16, 16), (33, 17), (7, 9), (1, 1)])
    func chromaThroughSubsamplingNeverMovesAwayFromTruth(size: (Int, Int)) {
        var rng = SplitMix64(seed: UInt64(size.0 * 31 + size.1))
        let (w, h) = size
        let truth = randomPlane(w, h, &rng)
        // The encoder: extend to whole 16×16 areas, box-average 2×2, quantize.
        let cw = (w + 1) / 2, ch = (h + 1) / 2
        let bw = (cw + 7) / 8, bh = (ch + 7) / 8
        let lowTruth = Resampling.boxDownsample(truth.edgeExtended(toWidth: bw * 16, height: bh * 16),
                                                factorX: 2, factorY: 2)
        let coef = CoefficientPlane.quantizing(lowTruth, quantization: chromaQ85,
                                               horizontalSampling: 1, verticalSampling: 1)
        var pred = truth
        for i in pred.samples.indices { pred.samples[i] += 40 * (rng.nextUnitFloat() - 0.5) }
        let proj = DCTProjection.project(pred, onto: coef, factorX: 2, factorY: 2)
        #expect(proj.width == w && proj.height == h)

        func low(_ p: Plane) -> Plane {
            Resampling.boxDownsample(p.edgeExtended(toWidth: bw * 16, height: bh * 16), factorX: 2, factorY: 2)
        }
        let t = blockCoefficients(lowTruth), p = blockCoefficients(low(pred))
        // Inside the image the correction is constant on each 2×2 box; where the image
        // ends inside a box, the projected plane's own extension differs from the padded
        // plane the projection saw, so compare the coefficients of that padded plane.
        var lowPred = low(pred)
        let delta = DCTProjection.correction(lowPred, DCTProjection.Bins(coef, width: lowPred.width, height: lowPred.height))
        if let d = delta { for i in lowPred.samples.indices { lowPred.samples[i] += d.samples[i] } }
        let j = blockCoefficients(lowPred)
        for i in t.indices {
            let q = Float(chromaQ85[i % 64]), k = Float(coef.coefficients[i])
            #expect(abs(j[i] - t[i]) <= abs(p[i] - t[i]) + 2e-3)
            #expect(abs(j[i] - k * q) <= q / 2 + 2e-3)
        }
        // The full-resolution result adds exactly that correction, replicated.
        for y in 0..<h {
            for x in 0..<w {
                let d = delta?[x / 2, y / 2] ?? 0
                #expect(abs(proj[x, y] - (pred[x, y] + d)) < 1e-4)
            }
        }
        // When the image is a whole number of 16×16 areas, box(proj) is in the bins too.
        if w % 16 == 0 && h % 16 == 0 {
            let jj = blockCoefficients(low(proj))
            for i in t.indices {
                let q = Float(chromaQ85[i % 64]), k = Float(coef.coefficients[i])
                #expect(abs(jj[i] - k * q) <= q / 2 + 2e-3)
            }
        }
    }

    @Test(arguments: [(24, 16), (8, 8), (64, 40)])
    func unmodifiedBlockAlignedDecodeIsFixedPoint(size: (Int, Int)) {
        var rng = SplitMix64(seed: 99)
        let (w, h) = size
        let coef = CoefficientPlane.quantizing(randomPlane(w, h, &rng), quantization: lumaQ85)
        let decode = coef.dequantizedPlane()
        let proj = DCTProjection.project(decode, onto: coef)
        for i in decode.samples.indices { #expect(abs(proj.samples[i] - decode.samples[i]) < 1e-2) }
    }

    @Test(arguments: [(24, 16), (37, 21), (1, 1), (7, 9)])
    func decodeIsExactFixedPointWithReference(size: (Int, Int)) {
        // Any size, rounded and clipped to 8 bits: the decode is returned bit-for-bit when
        // it is also the reference (the bins widen to contain it).
        var rng = SplitMix64(seed: 77)
        let (w, h) = size
        let coef = CoefficientPlane.quantizing(randomPlane(w, h, &rng), quantization: lumaQ85)
        var decode = coef.dequantizedPlane().cropped(toWidth: w, height: h)
        for i in decode.samples.indices { decode.samples[i] = Float(ColourConversion.quantize8(decode.samples[i])) }
        #expect(DCTProjection.project(decode, onto: coef, reference: decode) == decode)
        #expect(DCTProjection.project(decode, onto: coef, factorX: 2, factorY: 2,
                                      reference: decode) == decode)
    }

    @Test func unmodifiedSubsampledDecodeIsFixedPoint() {
        var rng = SplitMix64(seed: 123)
        let low = randomPlane(16, 8, &rng)                // component plane of a 32×16 image
        let coef = CoefficientPlane.quantizing(low, quantization: chromaQ85)
        let decodedLow = coef.dequantizedPlane()
        let full = Resampling.replicateUpsample(decodedLow, factorX: 2, factorY: 2, width: 32, height: 16)
        let proj = DCTProjection.project(full, onto: coef, factorX: 2, factorY: 2)
        for i in full.samples.indices { #expect(abs(proj.samples[i] - full.samples[i]) < 1e-2) }
    }

    @Test func referenceWidensOnlyAsFarAsNeeded() {
        // A flat block whose file says DC = 0 (mid-grey 128 ± Q/16): a prediction at 160
        // (DC 256) is pulled to the bin edge, DC = Q/2, i.e. 128 + Q/16 everywhere; with a
        // reference at 150 (DC 176) the edge moves to 176, i.e. 150 everywhere.
        let q = [UInt16](repeating: 16, count: 64)
        let coef = CoefficientPlane(blocksWide: 1, blocksHigh: 1,
                                    coefficients: [Int16](repeating: 0, count: 64), quantization: q)
        let pred = Plane(width: 8, height: 8, repeating: 160)
        let a = DCTProjection.project(pred, onto: coef)
        for s in a.samples { #expect(abs(s - 129) < 1e-3) }
        let b = DCTProjection.project(pred, onto: coef, reference: Plane(width: 8, height: 8, repeating: 150))
        for s in b.samples { #expect(abs(s - 150) < 1e-3) }
        // A slack of 2 moves the edge to DC = 10, i.e. 128 + 10/8 = 129.25 everywhere.
        let c = DCTProjection.project(pred, onto: coef, slack: 2)
        for s in c.samples { #expect(abs(s - 129.25) < 1e-3) }
        // A slack of −4 (the guided chroma's bin shrink) narrows the bin to DC ±4: 128.5; one
        // of −9 closes it at its centre (never inverts it): 128.
        let d = DCTProjection.project(pred, onto: coef, slack: -4)
        for s in d.samples { #expect(abs(s - 128.5) < 1e-3) }
        let e = DCTProjection.project(pred, onto: coef, slack: -9)
        for s in e.samples { #expect(abs(s - 128) < 1e-3) }
    }
}
