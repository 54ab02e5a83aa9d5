import Linalg
import Testing
@testable import Net

/// A run resumed from a checkpoint ends with the same weights, bit for bit, as one that was
/// never interrupted; damaged checkpoints are refused.
@Suite struct CheckpointTests {
    static func data(_ count: Int, seed: UInt64) -> InMemoryDataset {
        let x = randomValues(count * 4, seed: seed)
        var t = [Float]()
        for r in 0..<count {
            let v = Array(x[r * 4..<(r + 1) * 4])
            t += [v[0] + 0.3 * v[1] * v[2], v[1] - 0.2 * v[3], v[2] * v[0]]
        }
        return InMemoryDataset(inputs: Matrix(rows: count, cols: 4, storage: x),
                               targets: Matrix(rows: count, cols: 3, storage: t))
    }

    static let optimizers: [Optimizer] = [.adam(), .sgd(momentum: 0.9, fanInScaling: .inverseSquareRoot)]

    /// 64 examples, batch 8: 8 steps per epoch, 5 epochs = 40 steps, with every stateful
    /// feature on: block shuffle, hard-example emphasis, warm-up + cosine, validation and
    /// early stopping bookkeeping.
    static func configuration(_ optimizer: Optimizer) -> TrainerConfiguration {
        TrainerConfiguration(batchSize: 8, optimizer: optimizer, learningRate: optimizer == .adam() ? 0.01 : 0.5,
                             schedule: .cosine(totalSteps: 40, warmupSteps: 3, finalFactor: 0.1),
                             shuffle: .blocks(size: 16), hardExampleEmphasis: 0.5, maxEpochs: 5,
                             earlyStopping: EarlyStopping(patience: 4), threads: 1, seed: 77)
    }

    static func freshTrainer(_ optimizer: Optimizer) -> Trainer {
        Trainer(model: Model(layerSizes: [4, 6, 3], residualInputIndices: [0, 1, 2], seed: 9),
                configuration: configuration(optimizer))
    }

    @Test(arguments: [(13, 0), (8, 0), (1, 0), (13, 1), (24, 1)])
    func resumeIsBitIdentical(killedAfter k: Int, optimizerIndex: Int) throws {
        let optimizer = Self.optimizers[optimizerIndex]
        var training = Self.data(64, seed: 1), validation = Self.data(16, seed: 2)

        var uninterrupted = Self.freshTrainer(optimizer)
        let full = try uninterrupted.train(on: &training, validation: &validation)
        #expect(full.steps == 40 && full.stopReason == .maxEpochs)

        // The "killed" run writes a checkpoint every 5 steps and one at step k, then dies.
        var killed = Self.freshTrainer(optimizer)
        var saved: [UInt8]?
        var written = 0
        try killed.train(on: &training, validation: &validation, hooks: TrainingHooks(
            onStep: { $0.step == k ? .stop : .proceed },
            checkpointEvery: 5, shouldCheckpoint: { $0.step == k },
            onCheckpoint: { saved = $0; written += 1 }))
        #expect(killed.step == k)
        #expect(written == k / 5 + (k % 5 == 0 ? 0 : 1))
        let bytes = try #require(saved)

        var resumed = try Trainer(checkpoint: bytes)
        resumed.threads = 1
        let reserialised = resumed.checkpoint() == bytes
        #expect(reserialised, "a restored trainer's checkpoint differs from the one it was read from")
        #expect(resumed.step == k && resumed.configuration == Self.configuration(optimizer))
        let rest = try resumed.train(on: &training, validation: &validation)
        #expect(rest.steps == 40 && rest.stopReason == .maxEpochs && rest.bestLoss == full.bestLoss)
        #expect(resumed.model.parameters.map(\.bitPattern) == uninterrupted.model.parameters.map(\.bitPattern))
        let sameState = resumed.checkpoint() == uninterrupted.checkpoint()
        #expect(sameState, "the resumed run's final state differs from the uninterrupted run's")
        // And the run did train: the result differs from the initial weights.
        #expect(resumed.model.parameters != Self.freshTrainer(optimizer).model.parameters)
    }

    @Test func resumingOnAnotherDatasetIsRefused() throws {
        var training = Self.data(64, seed: 1)
        var trainer = Self.freshTrainer(.adam())
        try trainer.train(on: &training, hooks: TrainingHooks(onStep: { _ in .stop }))
        var resumed = try Trainer(checkpoint: trainer.checkpoint())
        var other = Self.data(48, seed: 1)
        #expect(throws: TrainingError.datasetChanged(expectedCount: 64, foundCount: 48)) {
            try resumed.train(on: &other)
        }
    }

    @Test func damagedCheckpointsAreRefused() throws {
        var training = Self.data(64, seed: 1)
        var trainer = Self.freshTrainer(.sgd(momentum: 0.5))
        try trainer.train(on: &training, hooks: TrainingHooks(onStep: { $0.step == 3 ? .stop : .proceed }))
        let bytes = trainer.checkpoint()
        #expect(Array(bytes.prefix(4)) == Array("UNJC".utf8))
        for length in stride(from: 0, to: bytes.count, by: 3) {
            #expect(throws: ModelFileError.self) { try Trainer(checkpoint: Array(bytes.prefix(length))) }
        }
        for position in stride(from: 0, to: bytes.count, by: 5) {
            var damaged = bytes
            damaged[position] ^= 0x04
            #expect(throws: ModelFileError.self) { try Trainer(checkpoint: damaged) }
        }
        #expect(throws: ModelFileError.foreignMagic(expected: Array("UNJC".utf8), found: Array("UNJM".utf8))) {
            try Trainer(checkpoint: ModelFile.serialize(trainer.model))
        }
    }
}
