import Testing
import JPEGCodec
@testable import Cleaner

/// The chroma smoothing stage: Cb and Cr smoothed inside their bins on their own grid, the
/// change added back at full resolution.
@Suite struct ChromaSmoothingStageTests {
    @Test(arguments: [(48, 40), (37, 29)])
    func theChromaGridGetsTheSmoothedSamplesAndTheDetailStays(size: (Int, Int)) throws {
        let (w, h) = size
        let input = simulatedJPEG(syntheticImage(w, h, seed: 77))
        var state = PipelineState(input)
        // Some detail inside each 2×2 sample, as the guided chroma would leave.
        var before = state.planes()
        for c in 1..<3 { for i in before[c].samples.indices { before[c].samples[i] += Float(i % 3) - 1 } }
        state.setPlanes(before)
        let stage = ChromaSmoothingStage(options: QuantSmooth.Options(iterations: 1, threshold: 0.5))
        stage.apply(to: &state, context: StageContext(threads: 2))
        let after = state.planes()
        #expect(after[0] == before[0])                      // the luma is not touched
        for c in 1..<3 {
            let low = Resampling.boxDownsample(before[c], factorX: 2, factorY: 2)
            let expected = QuantSmooth.smooth(low, coefficients: input.components[c],
                                              options: QuantSmooth.Options(iterations: 1, threshold: 0.5))
            // On the chroma's grid: exactly the smoothed samples (whose coefficients lie in
            // the file's bins, `QuantSmoothTests`).
            let got = Resampling.boxDownsample(after[c], factorX: 2, factorY: 2)
            #expect(zip(got.samples, expected.samples).allSatisfy { abs($0 - $1) < 1e-3 })
            // Within a sample: every pixel moved by its sample's change.
            for y in 0..<h {
                for x in 0..<w {
                    let change = expected[x / 2, y / 2] - low[x / 2, y / 2]
                    #expect(abs(after[c][x, y] - before[c][x, y] - change) < 1e-3)
                }
            }
            #expect(got != low)                              // the smoothing did move something
        }
    }

    @Test func grayImagesAndFilesWithoutCoefficientsAreLeftAlone() {
        let gray = RasterImage(width: 16, height: 8, channels: 1, pixels: (0..<128).map { UInt8($0) })
        var state = PipelineState(CleanerInput(image: gray))
        let before = state.pixels()
        ChromaSmoothingStage().apply(to: &state, context: StageContext())
        #expect(state.pixels() == before)
    }
}
