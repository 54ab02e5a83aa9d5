import Linalg
import Testing
@testable import Net

/// Small nets learn small problems to a stated loss in a fixed number of steps (fixed seeds).
@Suite struct LearningTests {
    /// XOR: 2→4→1 with Adam, full batch of the 4 cases. The best constant prediction (0.5)
    /// has MSE 0.25; below 0.01 every output is within 0.2 of its target, so all four cases
    /// are classified correctly at threshold 0.5 (this seed reaches ~1e-14 in 400 steps).
    @Test func learnsXOR() {
        let x = Matrix(rows: 4, cols: 2, storage: [0, 0, 0, 1, 1, 0, 1, 1])
        let t = Matrix(rows: 4, cols: 1, storage: [0, 1, 1, 0])
        let model = Model(layerSizes: [2, 4, 1], seed: 3)
        var trainer = Trainer(model: model, configuration: TrainerConfiguration(
            batchSize: 4, optimizer: .adam(), learningRate: 0.05, threads: 1, seed: 1))
        let first = MeanSquaredError.loss(trainer.model.forward(batch: x), t)
        for _ in 0..<400 { trainer.step(batch: Batch(inputs: x, targets: t)) }
        let y = trainer.model.forward(batch: x)
        let last = MeanSquaredError.loss(y, t)
        #expect(last < 0.01, "final loss \(last)")
        #expect(last < first / 10, "loss went from \(first) to \(last)")
        for i in 0..<4 { #expect((y.storage[i] > 0.5) == (t.storage[i] > 0.5)) }
    }

    /// A linear map y = A·x + b (4 → 3) learned by a single linear layer with plain SGD, rate
    /// η/fan-in, momentum 0.9, on 64 fixed random examples. The problem is convex and
    /// well conditioned, so 300 steps bring the loss from ~O(1) to below 1e-4 (the targets'
    /// variance is ~0.5; this seed reaches ~1e-14).
    @Test func learnsLinearMap() {
        let a = randomValues(12, seed: 7), b = randomValues(3, seed: 8)
        let n = 64
        let xs = randomValues(n * 4, seed: 9)
        var ts = [Float]()
        for r in 0..<n {
            for j in 0..<3 {
                var s = b[j]
                for i in 0..<4 { s += a[j * 4 + i] * xs[r * 4 + i] }
                ts.append(s)
            }
        }
        let x = Matrix(rows: n, cols: 4, storage: xs), t = Matrix(rows: n, cols: 3, storage: ts)
        var trainer = Trainer(model: Model(layerSizes: [4, 3], seed: 5), configuration: TrainerConfiguration(
            batchSize: n, optimizer: .sgd(momentum: 0.9, fanInScaling: .inverse), learningRate: 1.0, threads: 1))
        let first = MeanSquaredError.loss(trainer.model.forward(batch: x), t)
        for _ in 0..<300 { trainer.step(batch: Batch(inputs: x, targets: t)) }
        let last = MeanSquaredError.loss(trainer.model.forward(batch: x), t)
        #expect(last < 1e-4, "final loss \(last)")
        #expect(last < first / 1000, "loss went from \(first) to \(last)")
    }

    /// A smooth 2-D function f(u, v) = u·v + 0.5·u² − 0.3·v on [−1, 1]², learned by 2→16→16→1
    /// through the full training loop: minibatches of 16 from 256 examples, shuffled, Adam
    /// with cosine decay, per-feature input normalisation and global output scaling, 100 epochs
    /// (1600 steps), validated on 128 other points. The function's variance is ≈ 0.16 and the
    /// initial validation MSE ≈ 0.3; the validation MSE must fall below 2e-3 (≈ 1 % of the
    /// variance; this seed reaches 5e-4), and early stopping (patience 10) must not fire.
    @Test func learnsSmoothFunction() throws {
        func sample(_ count: Int, seed: UInt64) -> InMemoryDataset {
            let p = randomValues(2 * count, seed: seed)
            var t = [Float]()
            for i in 0..<count {
                let u = p[2 * i], v = p[2 * i + 1]
                t.append(u * v + 0.5 * u * u - 0.3 * v)
            }
            return InMemoryDataset(inputs: Matrix(rows: count, cols: 2, storage: p),
                                   targets: Matrix(rows: count, cols: 1, storage: t))
        }
        var training = sample(256, seed: 21), validation = sample(128, seed: 22)
        var model = Model(layerSizes: [2, 16, 16, 1], seed: 4)
        model.inputNormalization = try training.fitInputNormalization(kind: .perFeature)
        model.outputScaling = try training.fitOutputScaling(kind: .global, residualInputIndices: nil)
        let before = try model.meanSquaredError(on: &validation)
        var trainer = Trainer(model: model, configuration: TrainerConfiguration(
            batchSize: 16, optimizer: .adam(), learningRate: 0.01, schedule: .cosine(totalSteps: 1600, warmupSteps: 20),
            maxEpochs: 100, earlyStopping: EarlyStopping(patience: 10), threads: 1, seed: 2))
        var epochs = [EpochReport]()
        var steps = 0
        let summary = try trainer.train(on: &training, validation: &validation, hooks: TrainingHooks(
            onStep: { _ in steps += 1; return .proceed }, onEpoch: { epochs.append($0) }))
        let after = try trainer.model.meanSquaredError(on: &validation)
        #expect(summary.stopReason == .maxEpochs)
        #expect(summary.steps == 1600 && steps == 1600 && epochs.count == 100)
        #expect(after < 2e-3, "validation loss \(after)")
        #expect(after < before / 20, "validation loss went from \(before) to \(after)")
        #expect(epochs.last?.validationLoss == after)
    }
}
