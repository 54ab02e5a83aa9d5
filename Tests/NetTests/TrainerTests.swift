import Linalg
import Testing
@testable import Net

/// The training loop's stopping rules, hooks and bookkeeping.
@Suite struct TrainerTests {
    @Test func earlyStoppingFiresOnAPlateau() throws {
        // Learning rate 0: the validation loss never improves, so with patience 2 the loop
        // stops after the third epoch (best set by the first, two without improvement).
        var training = CheckpointTests.data(32, seed: 3), validation = CheckpointTests.data(8, seed: 4)
        var trainer = Trainer(model: Model(layerSizes: [4, 3], seed: 1), configuration: TrainerConfiguration(
            batchSize: 8, learningRate: 0, maxEpochs: 10, earlyStopping: EarlyStopping(patience: 2), threads: 1))
        var reports = [EpochReport]()
        let summary = try trainer.train(on: &training, validation: &validation,
                                        hooks: TrainingHooks(onEpoch: { reports.append($0) }))
        #expect(summary.stopReason == .plateau && summary.epochs == 3 && summary.steps == 12)
        #expect(reports.map(\.epochsWithoutImprovement) == [0, 1, 2])
        #expect(reports.allSatisfy { $0.validationLoss == reports[0].validationLoss })
    }

    @Test func maxStepsAndStopRequestsEndTheLoop() throws {
        var training = CheckpointTests.data(32, seed: 3)
        var trainer = Trainer(model: Model(layerSizes: [4, 3], seed: 1), configuration: TrainerConfiguration(
            batchSize: 5, maxEpochs: nil, maxSteps: 14, threads: 1))
        var seen = [StepReport]()
        var summary = try trainer.train(on: &training, hooks: TrainingHooks(onStep: { seen.append($0); return .proceed }))
        // 32 examples, batch 5: 6 full batches per epoch (2 examples skipped).
        #expect(trainer.configuration.stepsPerEpoch(exampleCount: 32) == 6)
        #expect(trainer.configuration.stepsPerEpoch(exampleCount: 3) == 1)
        #expect(summary.stopReason == .maxSteps && summary.steps == 14 && summary.epochs == 2)
        #expect(seen.map(\.step) == Array(1...14) && seen.allSatisfy { $0.stepsPerEpoch == 6 })
        #expect(seen[5].epoch == 1 && seen[5].stepInEpoch == 0 && seen[6].stepInEpoch == 1)
        summary = try trainer.train(on: &training)
        #expect(summary.stopReason == .maxSteps && summary.steps == 14)

        var stopped = Trainer(model: Model(layerSizes: [4, 3], seed: 1), configuration: TrainerConfiguration(
            batchSize: 8, maxEpochs: nil, threads: 1))
        summary = try stopped.train(on: &training, hooks: TrainingHooks(onStep: { $0.step == 7 ? .stop : .proceed }))
        #expect(summary.stopReason == .requested && stopped.step == 7)
    }

    @Test func shapeMismatchAndEmptyDataAreErrors() {
        var trainer = Trainer(model: Model(layerSizes: [3, 3], seed: 1))
        var wrong = CheckpointTests.data(8, seed: 1)
        #expect(throws: TrainingError.shapeMismatch(modelInput: 3, modelOutput: 3, dataInput: 4, dataOutput: 3)) {
            try trainer.train(on: &wrong)
        }
        var empty = InMemoryDataset(inputs: Matrix(rows: 0, cols: 3), targets: Matrix(rows: 0, cols: 3))
        #expect(throws: TrainingError.emptyDataset) { try trainer.train(on: &empty) }
    }

    @Test func learningRateFollowsTheScheduleStepByStep() throws {
        var training = CheckpointTests.data(16, seed: 3)
        let schedule = LearningRateSchedule.step(interval: 3, factor: 0.5, warmupSteps: 2)
        var trainer = Trainer(model: Model(layerSizes: [4, 3], seed: 1), configuration: TrainerConfiguration(
            batchSize: 4, learningRate: 0.2, schedule: schedule, maxEpochs: 2, threads: 1))
        var rates = [Float]()
        try trainer.train(on: &training, hooks: TrainingHooks(onStep: { rates.append($0.learningRate); return .proceed }))
        #expect(rates == [0.1, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1])
    }

    /// Plain SGD descends inside the backward pass; the result must be `w − η·s_l·∂L/∂w`
    /// computed from the separately checked gradient, with each layer's fan-in factor.
    @Test(arguments: FanInScaling.allCases)
    func fusedSGDStepMatchesGradientDescent(scaling: FanInScaling) {
        let model = Model(layerSizes: [5, 4, 3], residualInputIndices: [0, 2, 4], seed: 17)
        let x = Matrix(rows: 6, cols: 5, storage: randomValues(30, seed: 1))
        let t = Matrix(rows: 6, cols: 3, storage: randomValues(18, seed: 2))
        let (loss, gradient) = model.lossAndGradient(inputs: x, targets: t, threads: 1)
        var trainer = Trainer(model: model, configuration: TrainerConfiguration(
            optimizer: .sgd(momentum: 0, fanInScaling: scaling), learningRate: 0.3, threads: 1))
        #expect(trainer.step(batch: Batch(inputs: x, targets: t)) == loss)
        for (l, layer) in model.layers.enumerated() {
            let eta = 0.3 * scaling.factor(fanIn: layer.inputSize)
            let start = model.parameterOffset(layer: l)
            for i in start..<start + layer.parameterCount {
                let expected = model.parameters[i] - eta * gradient[i]
                #expect(abs(trainer.model.parameters[i] - expected) <= 1e-6 * max(1, abs(expected)))
            }
        }
        #expect(trainer.model.parameters != model.parameters)
    }

    @Test func workspaceForwardMatchesMatrixForward() {
        let model = ModelFileTests.sampleModel()
        let x = randomValues(5 * 6, seed: 3)
        let expected = model.forward(batch: Matrix(rows: 5, cols: 6, storage: x))
        let workspace = ModelWorkspace(model: model, batchCapacity: 8)
        var y = [Float](repeating: .nan, count: 5 * 3)
        model.forward(batch: x, count: 5, into: &y, workspace: workspace, threads: 1)
        #expect(y == expected.storage)
        // A forward-only workspace (no gradient buffers) gives the same outputs.
        let inference = ModelWorkspace(model: model, batchCapacity: 8, training: false)
        var z = [Float](repeating: .nan, count: 5 * 3)
        model.forward(batch: x, count: 5, into: &z, workspace: inference, threads: 1)
        #expect(z == y && workspace.training && !inference.training)
        let reference = DoubleReference(model: model).forward(model.parameters.map(Double.init), inputs: x.map(Double.init), rows: 5)
        for i in 0..<y.count { #expect(abs(Double(y[i]) - reference[i]) < 1e-4 * max(1, abs(reference[i]))) }
    }

    @Test func explicitPartsAreValidated() {
        let a = DenseLayer(inputSize: 3, outputSize: 2, activation: .scaledTanh)
        let b = DenseLayer(inputSize: 2, outputSize: 1, activation: .identity)
        let ok = Model(layers: [a, b], parameters: [Float](repeating: 0.5, count: 11), inputNormalization: .identity,
                       outputScaling: .identity, residualInputIndices: [2], metadata: ["k": "v"])
        #expect(ok?.layerSizes == [3, 2, 1] && ok?.parameterOffset(layer: 1) == 8)
        #expect(ok?.weights(layer: 1) == Matrix(rows: 2, cols: 1, storage: [0.5, 0.5]))
        let wrongCount = Model(layers: [a, b], parameters: [Float](repeating: 0, count: 10), inputNormalization: .identity,
                               outputScaling: .identity, residualInputIndices: nil, metadata: [:])
        let brokenChain = Model(layers: [a, a], parameters: [Float](repeating: 0, count: 16), inputNormalization: .identity,
                                outputScaling: .identity, residualInputIndices: nil, metadata: [:])
        let badResidual = Model(layers: [a, b], parameters: [Float](repeating: 0, count: 11), inputNormalization: .identity,
                                outputScaling: .identity, residualInputIndices: [3], metadata: [:])
        let badNormalisation = Model(layers: [a, b], parameters: [Float](repeating: 0, count: 11),
                                     inputNormalization: Normalization(kind: .perFeature, mean: [0, 0], standardDeviation: [1, 1])!,
                                     outputScaling: .identity, residualInputIndices: nil, metadata: [:])
        #expect(wrongCount == nil && brokenChain == nil && badResidual == nil && badNormalisation == nil)
    }

    @Test func aReusedWorkspaceGivesTheSameResults() {
        let model = ModelFileTests.sampleModel()
        let workspace = ModelWorkspace(model: model, batchCapacity: 7)
        let big = randomValues(7 * 6, seed: 5), small = randomValues(2 * 6, seed: 6)
        var first = [Float](repeating: 0, count: 2 * 3), again = first, bigOut = [Float](repeating: 0, count: 7 * 3)
        model.forward(batch: small, count: 2, into: &first, workspace: workspace, threads: 1)
        model.forward(batch: big, count: 7, into: &bigOut, workspace: workspace, threads: 1)
        model.forward(batch: small, count: 2, into: &again, workspace: workspace, threads: 1)
        #expect(first == again && first == model.forward(batch: Matrix(rows: 2, cols: 6, storage: small)).storage)
        #expect(workspace.fits(model, batch: 7) && !workspace.fits(model, batch: 8))
        #expect(!workspace.fits(Model(layerSizes: [6, 3], seed: 1), batch: 1))
    }
}
