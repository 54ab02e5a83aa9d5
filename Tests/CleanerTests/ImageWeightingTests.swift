import Testing
import JPEGCodec
@testable import Cleaner

/// `PairGenerator.imageWeights` and `inverseErrorWeights`: records per image in proportion to
/// area × weight, and the weight 1 / (decode MSE + floor).
@Suite struct ImageWeightingTests {
    static func flat(_ w: Int, _ h: Int, _ rgb: (UInt8, UInt8, UInt8)) -> RasterImage {
        var pixels: [UInt8] = []
        for _ in 0..<(w * h) { pixels += [rgb.0, rgb.1, rgb.2] }
        return RasterImage(width: w, height: h, channels: 3, pixels: pixels)
    }

    @Test func aLosslessImageWeighsOneOverTheFloorAndANoisyOneLess() throws {
        // Mid-gray is 0 after the level shift: every coefficient is 0, the decode is exact,
        // so its MSE is 0 and its weight exactly 1 / floor.
        let gray = Self.flat(32, 32, (128, 128, 128))
        let noisy = syntheticImage(48, 40, seed: 3)
        let weights = try PairGenerator.inverseErrorWeights(images: [gray, noisy],
                                                            degradation: Degradation(quality: 85, subsampling: .yuv420),
                                                            floor: 2)
        #expect(weights[0] == 0.5)
        #expect(weights[1] > 0 && weights[1] < 0.5)
        // Its own decode's error, measured here: the same weight.
        let decoded = try JPEGDecoder.decode(try JPEGEncoder.encode(noisy, options: EncoderOptions(quality: 85, subsampling: .yuv420)))
        #expect(abs(weights[1] - 1 / (Metrics.meanSquaredError(noisy, decoded.image) + 2)) < 1e-12)
        // The same on two threads.
        let threaded = try PairGenerator.inverseErrorWeights(images: [gray, noisy],
                                                             degradation: Degradation(quality: 85, subsampling: .yuv420),
                                                             floor: 2, threads: 2)
        #expect(threaded == weights)
    }

    @Test func recordsFollowAreaTimesWeight() throws {
        // Two images of one size and two colours, weights 3 : 1: of 80 records, 60 and 20
        // (the shares are whole numbers, so no rounding moves one).
        let red = Self.flat(48, 40, (200, 40, 40)), blue = Self.flat(48, 40, (40, 40, 200))
        var generator = PairGenerator(images: [red, blue], count: 80, passes: 1,
                                      degradation: Degradation(quality: 85, subsampling: .yuv420),
                                      geometry: WindowGeometry(), pipeline: Pipeline(), seed: 7)
        generator.imageWeights = [3, 1]
        var records: [UInt8] = []
        var total = 0
        try generator.generate(emit: { bytes, n in records += bytes; total += n })
        #expect(total == 80)
        let size = generator.format.recordBytes
        var reds = 0
        for r in 0..<total where records[r * size] > records[r * size + 2] { reds += 1 }
        #expect(reds == 60)
        // Without weights, by area alone: 40 and 40.
        generator.imageWeights = nil
        records = []
        total = 0
        try generator.generate(emit: { bytes, n in records += bytes; total += n })
        var redsByArea = 0
        for r in 0..<total where records[r * size] > records[r * size + 2] { redsByArea += 1 }
        #expect(redsByArea == 40)
    }
}
