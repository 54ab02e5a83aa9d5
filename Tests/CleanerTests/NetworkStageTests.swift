import Testing
import JPEGCodec
import Linalg
import Net
@testable import Cleaner

/// The network stage's ways of running a model (issue 18 item 1) and its flat one-colour
/// windows (issue 16 item 3).
@Suite struct NetworkStageTests {
    /// The network stage's two ways give the same image: each thread cutting, predicting and
    /// placing its own batches (a `WindowPredictor`, 1, 2 and 3 workers; batches of 50, which
    /// the GEMM packs, and of 48, a multiple of both kernels' tile heights, which it reads in
    /// place), and whole calls of `predict` (batches of 7) added in one order — one-colour
    /// windows (the white rectangle) included.
    @Test func workersPlaceTheSameOutputsAsWholeCalls() throws {
        let network = Model(layerSizes: [1728, 24, 192], seed: 11)
        let image = ThreadInvarianceTests.decoded.image
        let whole: ([Float], Int) -> [Float] = { windows, count in
            network.forward(batch: Matrix(rows: count, cols: 1728, storage: windows), threads: 1).storage
        }
        var stage = NetworkStage(residual: false, batchSize: 7)
        let reference = stage.predictImage(image, predict: whole)
        for batch in [50, 48] {
            stage.batchSize = batch
            for workers in [1, 2, 3] {
                let workspaces = SharedWorkspaces((0..<workers).map { _ in ModelWorkspace(model: network, batchCapacity: batch) })
                let predictor = WindowPredictor(workers: workers, batch: batch) { x, n, y, worker in
                    network.forward(batch: UnsafeBufferPointer(start: x, count: n * 1728), count: n,
                                    into: UnsafeMutableBufferPointer(start: y, count: n * 192),
                                    workspace: workspaces.items[worker], threads: 1)
                }
                let split = stage.predictImage(image, threads: workers, workers: predictor) { _, _ in
                    Issue.record("whole calls are not used when the outputs do not overlap"); return []
                }
                #expect(split == reference, "batches of \(batch), \(workers) workers")
            }
        }
        #expect(reference.samples.contains { $0 != 0 })
    }

    /// `flatUniform`: a window of one colour (inside a gray square, away from the clipping at 0
    /// and 255 that follows the mean) comes out flat, each
    /// channel the mean of what the network predicted for its block; every other window's
    /// output is as predicted.
    @Test func uniformWindowsComeOutFlat() throws {
        let network = Model(layerSizes: [1728, 24, 192], seed: 5)
        var image = syntheticImage(96, 80, seed: 52)
        for y in 8..<56 { for x in 8..<56 { for c in 0..<3 { image.pixels[(y * 96 + x) * 3 + c] = 120 } } }
        let whole: ([Float], Int) -> [Float] = { windows, count in
            network.forward(batch: Matrix(rows: count, cols: 1728, storage: windows), threads: 1).storage
        }
        var stage = NetworkStage(residual: false)
        let predicted = stage.predictImage(image, predict: whole)
        stage.flatUniform = true
        let flat = stage.predictImage(image, predict: whole)
        let grid = stage.geometry.grid(width: 96, height: 80)
        let uniform = Windows.uniformColours(of: image, grid: grid)
        #expect(uniform.contains { $0 != nil } && uniform.contains { $0 == nil })
        for n in 0..<grid.count {
            let (ox, oy) = grid.origin(ofWindow: n)
            let x0 = ox + 8, y0 = oy + 8
            guard x0 + 8 <= 96, y0 + 8 <= 80 else { continue }
            let block = { (img: FloatImage, ch: Int) in
                (0..<64).map { img.samples[((y0 + $0 / 8) * 96 + x0 + $0 % 8) * 3 + ch] }
            }
            for ch in 0..<3 {
                let before = block(predicted, ch), after = block(flat, ch)
                if uniform[n] == nil {
                    #expect(after == before, "window \(n)")
                } else {
                    #expect(Set(after).count == 1 && Set(before).count > 1, "window \(n)")
                    #expect(abs(after[0] - before.reduce(0, +) / 64) < 1e-3, "window \(n)")
                }
            }
        }
    }
}
