import Testing
import JPEGCodec
import Linalg
import Net
@testable import Cleaner
import TestSupport

/// End to end in miniature: a small network trained for a few hundred steps on one synthetic
/// image's (JPEG window, clean block) pairs cleans that image's JPEG closer to the original.
@Suite struct LearnedCleaningTests {
    /// 64×48 RGB: soft gradients plus dark "text" strokes on white, the kind of content whose
    /// JPEG ringing a network learns quickly.
    static func syntheticImage() -> RasterImage {
        let w = 64, h = 48
        var pixels = [UInt8](repeating: 255, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let i = (y * w + x) * 3
                if y >= 24 {
                    pixels[i] = UInt8(100 + x)
                    pixels[i + 1] = UInt8(60 + 2 * y)
                    pixels[i + 2] = UInt8(200 - x)
                } else if (x % 11 < 2 && y % 20 > 4) || (y % 10 == 3 && x % 13 > 3) {
                    pixels[i] = 20; pixels[i + 1] = 30; pixels[i + 2] = 90
                }
            }
        }
        return RasterImage(width: w, height: h, channels: 3, pixels: pixels)
    }

    @Test func aBrieflyTrainedModelLowersTheError() throws {
        let clean = Self.syntheticImage()
        let degradation = Degradation(quality: 40, subsampling: .yuv420)
        let decoded = try degradation.apply(to: clean)
        let geometry = WindowGeometry()
        // Pairs: every window position under all eight flips/turns, clean targets on the input scale.
        let pairOptions = TrainingPairOptions(geometry: geometry, target: .clean)
        let source = TrainingPairSource(clean: clean, degraded: decoded.image, options: pairOptions)
        var rng = SplitMix64(seed: 7)
        let batch = source.samplePairs(count: 1024, using: &rng)
        let residual = Model.centralCropIndices(height: 24, width: 24, channels: 3, cropHeight: 8, cropWidth: 8)
        var model = Model(layerSizes: [batch.inputSize, 16, batch.targetSize], residualInputIndices: residual, seed: 3)
        model.metadata = CleaningModel.metadata(for: CleaningOptions(geometry: geometry, residual: false, projection: .none),
                                                quality: 40, subsampling: "4:2:0")
        var trainer = Trainer(model: model, configuration: TrainerConfiguration(
            batchSize: 64, optimizer: .adam(), learningRate: 5e-3,
            schedule: .cosine(totalSteps: 150), shuffle: .full, maxEpochs: nil, maxSteps: 150, threads: 1, seed: 1,
            outputBounds: OutputBounds(lower: -2, upper: 127.0 / 64)))
        var data = InMemoryDataset(inputs: Matrix(rows: batch.count, cols: batch.inputSize, storage: batch.inputs),
                                   targets: Matrix(rows: batch.count, cols: batch.targetSize, storage: batch.targets))
        _ = try trainer.train(on: &data)

        let cleaner = try CleaningModel(network: trainer.model)
        let cleaned = cleaner.clean(decoded, threads: 1)
        let before = Metrics.psnr(clean, decoded.image), after = Metrics.psnr(clean, cleaned)
        #expect(after > before + 0.25, "PSNR \(before) dB → \(after) dB")
    }
}
