import Linalg
import Testing
@testable import Net

/// The bounded loss: an output beyond a bound its target sits on is exact after clipping, so
/// it costs nothing; everything else is plain squared error.
@Suite struct OutputBoundsTests {
    @Test func errorsByHand() {
        let b = OutputBounds(lower: -2, upper: 1)
        #expect(b.error(output: 1.5, target: 1) == 0)       // overshoot at the upper bound: exact after clipping
        #expect(b.error(output: 1.5, target: 0.5) == 1)     // target inside: plain error
        #expect(b.error(output: 0.5, target: 1) == -0.5)    // undershoot of a bound target: plain error
        #expect(b.error(output: -3, target: -2) == 0)
        #expect(b.error(output: -3, target: -1) == -2)
    }

    @Test func lossAndGradientUseTheBoundedError() {
        // 1 row, 3 columns: errors (0, 1, -0.5) → loss (0 + 1 + 0.25)/3, gradient 2·e/3.
        let outputs: [Float] = [1.5, 1.5, 0.5], targets: [Float] = [1, 0.5, 1]
        var gradient = [Float](repeating: .nan, count: 3)
        var rowLoss: [Float] = [.nan]
        let loss = gradient.withUnsafeMutableBufferPointer { g in
            rowLoss.withUnsafeMutableBufferPointer { r in
                MeanSquaredError.lossAndGradient(outputs: outputs, targets: targets, rows: 1, columns: 3,
                                                 gradient: g.baseAddress!, rowLosses: r.baseAddress!,
                                                 bounds: OutputBounds(lower: -2, upper: 1))
            }
        }
        #expect(abs(loss - 1.25 / 3) < 1e-7)
        #expect(abs(rowLoss[0] - 1.25 / 3) < 1e-7)
        #expect(gradient == [0, 2.0 / 3, -1.0 / 3])
    }

    @Test func boundsSurviveACheckpoint() throws {
        var configuration = CheckpointTests.configuration(.adam())
        configuration.outputBounds = OutputBounds(lower: -2, upper: 1.984375)
        let trainer = Trainer(model: Model(layerSizes: [4, 6, 3], seed: 3), configuration: configuration)
        let restored = try Trainer(checkpoint: trainer.checkpoint())
        #expect(restored.configuration.outputBounds == OutputBounds(lower: -2, upper: 1.984375))
        #expect(restored.configuration == configuration)
    }

    @Test func trainingWithBoundsLearnsToOvershootSaturatedTargets() {
        // Targets saturate at the upper bound 1 for positive inputs; with bounds, the net is free
        // to overshoot there, so the bounded loss falls below the plain loss of the same outputs.
        var x: [Float] = [], t: [Float] = []
        for i in 0..<64 {
            let v = Float(i) / 32 - 1
            x.append(v)
            t.append(min(2 * v, 1))
        }
        let data = InMemoryDataset(inputs: Matrix(rows: 64, cols: 1, storage: x), targets: Matrix(rows: 64, cols: 1, storage: t))
        var trainer = Trainer(model: Model(layerSizes: [1, 8, 1], seed: 5), configuration: TrainerConfiguration(
            batchSize: 64, optimizer: .adam(), learningRate: 0.02, shuffle: .none, maxEpochs: 400, threads: 1,
            outputBounds: OutputBounds(lower: -3, upper: 1)))
        let training = data
        var last: Float = 1
        for _ in 0..<400 { last = trainer.step(inputs: x, targets: t, count: 64) }
        _ = training.count
        #expect(last < 1e-3, "bounded loss \(last)")
        let predicted = trainer.model.forward(batch: Matrix(rows: 64, cols: 1, storage: x), threads: 1)
        let clipped = predicted.storage.map { min($0, 1) }
        let mse = zip(clipped, t).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 64
        #expect(mse < 1e-3, "clipped-output MSE \(mse)")
    }
}
