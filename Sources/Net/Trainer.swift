import Linalg

/// Trains a ``Model`` by minibatch gradient descent on the mean squared error.
///
/// Use ``step(batch:)`` (or the pointer variant) to run single steps on batches you supply,
/// or ``train(on:validation:hooks:)`` to run the whole loop — shuffling, schedule, hard-example
/// emphasis, validation, early stopping, checkpoints — over a ``Dataset``. The complete state
/// (``checkpoint()`` / ``init(checkpoint:)``) resumes a run so that it produces bit-identical
/// weights to an uninterrupted one (same machine, same thread count).
///
/// `Trainer` is a value, but its scratch buffers are shared between copies: do not step two
/// copies concurrently.
public struct Trainer {
    /// The model being trained (its parameters change with every step).
    public internal(set) var model: Model
    /// The run's configuration (fixed, except the thread count: see ``threads``).
    public private(set) var configuration: TrainerConfiguration

    /// Threads passed to GEMM; may be changed between steps, e.g. when a checkpoint is resumed
    /// on another machine (results then differ in the last bits from a run with the old count).
    public var threads: Int {
        get { configuration.threads }
        set {
            precondition(newValue >= 1, "threads must be positive")
            configuration.threads = newValue
        }
    }
    var optimizerState: OptimizerState
    /// Steps completed.
    public internal(set) var step: Int = 0
    /// The current epoch (0-based).
    public internal(set) var epoch: Int = 0
    /// Batches completed in the current epoch.
    public internal(set) var stepInEpoch: Int = 0
    var epochLossSum: Double = 0
    var epochLossCount: Int = 0
    /// The best epoch loss (validation if given) so far, or nil before the first epoch ends.
    public internal(set) var bestLoss: Double?
    var epochsWithoutImprovement: Int = 0
    var reachedPlateau = false
    var rng: RandomGenerator
    /// The current epoch's example order (empty until the epoch starts).
    var order: [Int] = []
    /// Each example's loss when last seen (NaN: not yet), kept only with hard-example emphasis.
    var lastLoss: [Float] = []
    /// The size of the training set the state refers to (0 before training starts).
    var datasetCount: Int = 0
    private var scratch: Scratch?

    /// A trainer for `model` with `configuration`, at step 0.
    public init(model: Model, configuration: TrainerConfiguration = TrainerConfiguration()) {
        self.model = model
        self.configuration = configuration
        self.optimizerState = OptimizerState(optimizer: configuration.optimizer, parameterCount: model.parameters.count)
        self.rng = RandomGenerator(seed: configuration.seed)
    }

    /// The learning rate the next step will use.
    public var currentLearningRate: Float {
        configuration.learningRate * configuration.schedule.factor(atStep: step)
    }

    // MARK: Single steps

    /// One optimisation step on `batch`: forward, loss, backward, update, step counter + 1.
    /// - Returns: the batch's loss before the update.
    @discardableResult
    public mutating func step(batch: Batch) -> Float {
        precondition(batch.inputs.cols == model.inputSize && batch.targets.cols == model.outputSize && batch.count > 0,
                     "batch does not fit the model")
        return batch.inputs.storage.withUnsafeBufferPointer { x in
            batch.targets.storage.withUnsafeBufferPointer { t in
                step(inputs: x.baseAddress!, targets: t.baseAddress!, count: batch.count)
            }
        }
    }

    /// One optimisation step on the first `count` rows of `inputs` (at least `count × inputSize`
    /// values) and `targets` (at least `count × outputSize`). Allocates only when the batch is
    /// larger than any before.
    /// - Returns: the batch's loss before the update.
    @discardableResult
    public mutating func step(inputs: UnsafeBufferPointer<Float>, targets: UnsafeBufferPointer<Float>,
                              count: Int) -> Float {
        precondition(count >= 1, "a batch needs at least one example")
        precondition(inputs.count >= count * model.inputSize && targets.count >= count * model.outputSize,
                     "step: buffers smaller than \(count) rows")
        return step(inputs: inputs.baseAddress!, targets: targets.baseAddress!, count: count)
    }

    /// The same on raw pointers, for the package's hot loops (the caller guarantees the sizes).
    @discardableResult
    package mutating func step(inputs: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count >= 1, "a batch needs at least one example")
        let s = scratchFor(batch: count)
        let rate = currentLearningRate
        let loss: Float
        if case let .sgd(0, scaling) = configuration.optimizer {
            // Plain SGD: descend inside the backward pass (no gradient buffer round trip).
            loss = model.forwardAndLoss(inputs: inputs, targets: targets, count: count, workspace: s.workspace,
                                        threads: configuration.threads, bounds: configuration.outputBounds)
            model.backwardPassDescending(batch: count, workspace: s.workspace, rate: rate, scaling: scaling,
                                         threads: configuration.threads)
        } else {
            loss = model.lossAndGradient(inputs: inputs, targets: targets, count: count, workspace: s.workspace,
                                         gradient: s.gradient, threads: configuration.threads,
                                         bounds: configuration.outputBounds)
            optimizerState.update(configuration.optimizer, parameters: &model.parameters, gradient: s.gradient,
                                  rate: rate, step: step + 1, layers: model.layers)
        }
        step += 1
        return loss
    }

    private mutating func scratchFor(batch: Int) -> Scratch {
        if let s = scratch, s.workspace.fits(model, batch: batch) { return s }
        let s = Scratch(model: model, batchCapacity: max(batch, configuration.batchSize))
        scratch = s
        return s
    }

    // MARK: The loop

    /// Trains on `training` until a stopping condition of the configuration holds (max epochs,
    /// max steps, plateau) or a hook asks to stop, evaluating on `validation` at the end of each
    /// epoch (skipped when it is empty). Continues where the state left off (e.g. after
    /// ``init(checkpoint:)``), with the same data order.
    /// - Throws: ``TrainingError``, or whatever the dataset or a hook throws.
    @discardableResult
    public mutating func train<T: Dataset, V: Dataset>(on training: inout T, validation: inout V,
                                                       hooks: TrainingHooks = TrainingHooks()) throws -> TrainingSummary {
        for data: any Dataset in [training, validation]
        where data.count > 0 && (data.inputSize != model.inputSize || data.outputSize != model.outputSize) {
            throw TrainingError.shapeMismatch(modelInput: model.inputSize, modelOutput: model.outputSize,
                                              dataInput: data.inputSize, dataOutput: data.outputSize)
        }
        let n = training.count
        guard n > 0 else { throw TrainingError.emptyDataset }
        if datasetCount != 0 && datasetCount != n { throw TrainingError.datasetChanged(expectedCount: datasetCount, foundCount: n) }
        datasetCount = n
        let emphasis = configuration.hardExampleEmphasis
        if emphasis > 0 && lastLoss.count != n { lastLoss = [Float](repeating: .nan, count: n) }
        let batch = min(configuration.batchSize, n)
        let stepsPerEpoch = configuration.stepsPerEpoch(exampleCount: n)
        let s = scratchFor(batch: batch)

        while true {
            if reachedPlateau { return summary(.plateau) }
            if let maxSteps = configuration.maxSteps, step >= maxSteps { return summary(.maxSteps) }
            if let maxEpochs = configuration.maxEpochs, epoch >= maxEpochs { return summary(.maxEpochs) }
            if order.isEmpty {
                order = SampleOrder.make(count: n, mode: configuration.shuffle, emphasis: emphasis,
                                         lastLoss: lastLoss, rng: &rng)
            }
            let start = stepInEpoch * batch
            let indices = order[start..<start + batch]
            try training.load(indices: indices,
                              inputs: UnsafeMutableBufferPointer(start: s.inputs, count: batch * model.inputSize),
                              targets: UnsafeMutableBufferPointer(start: s.targets, count: batch * model.outputSize))
            let rate = currentLearningRate
            let loss = step(inputs: s.inputs, targets: s.targets, count: batch)
            if emphasis > 0 {
                for (r, i) in indices.enumerated() { lastLoss[i] = s.workspace.rowLosses[r] }
            }
            epochLossSum += Double(loss)
            epochLossCount += 1
            stepInEpoch += 1
            var epochReport: EpochReport?
            if stepInEpoch == stepsPerEpoch {
                epochReport = try endEpoch(validation: &validation)
            }
            let report = StepReport(step: step, epoch: epoch, stepInEpoch: stepInEpoch, stepsPerEpoch: stepsPerEpoch,
                                    loss: loss, learningRate: rate)
            let control = hooks.onStep?(report) ?? .proceed
            if let epochReport { hooks.onEpoch?(epochReport) }
            let due = (hooks.checkpointEvery.map { $0 > 0 && step % $0 == 0 } ?? false) || (hooks.shouldCheckpoint?(report) ?? false)
            if due, let write = hooks.onCheckpoint { try write(checkpoint()) }
            if control == .stop { return summary(.requested) }
        }
    }

    /// Trains without validation data (early stopping, if configured, watches the epoch's
    /// mean training loss).
    @discardableResult
    public mutating func train<T: Dataset>(on training: inout T, hooks: TrainingHooks = TrainingHooks()) throws -> TrainingSummary {
        var none = InMemoryDataset(inputs: Matrix(rows: 0, cols: model.inputSize),
                                   targets: Matrix(rows: 0, cols: model.outputSize))
        return try train(on: &training, validation: &none, hooks: hooks)
    }

    private mutating func endEpoch<V: Dataset>(validation: inout V) throws -> EpochReport {
        let trainingLoss = Float(epochLossSum / Double(max(1, epochLossCount)))
        var validationLoss: Float?
        if validation.count > 0 {
            validationLoss = try model.meanSquaredError(on: &validation, batchSize: configuration.validationBatchSize,
                                                        threads: configuration.threads)
        }
        let watched = Double(validationLoss ?? trainingLoss)
        if let best = bestLoss, !(watched < best * (1 - Double(configuration.earlyStopping?.minRelativeImprovement ?? 0))) {
            epochsWithoutImprovement += 1
        } else {
            epochsWithoutImprovement = 0
        }
        if bestLoss == nil || watched < bestLoss! { bestLoss = watched }
        if let early = configuration.earlyStopping, epochsWithoutImprovement >= early.patience { reachedPlateau = true }
        let report = EpochReport(epoch: epoch, trainingLoss: trainingLoss, validationLoss: validationLoss,
                                 epochsWithoutImprovement: epochsWithoutImprovement)
        epoch += 1
        stepInEpoch = 0
        epochLossSum = 0
        epochLossCount = 0
        order = []
        return report
    }

    private func summary(_ reason: StopReason) -> TrainingSummary {
        TrainingSummary(stopReason: reason, steps: step, epochs: epoch, bestLoss: bestLoss.map { Float($0) })
    }
}

/// The trainer's scratch memory: model workspace, gradient and batch buffers.
final class Scratch {
    let workspace: ModelWorkspace
    let gradient: UnsafeMutablePointer<Float>
    let inputs: UnsafeMutablePointer<Float>
    let targets: UnsafeMutablePointer<Float>

    init(model: Model, batchCapacity: Int) {
        workspace = ModelWorkspace(model: model, batchCapacity: batchCapacity)
        gradient = .allocate(capacity: model.parameters.count)
        gradient.initialize(repeating: 0, count: model.parameters.count)
        inputs = .allocate(capacity: batchCapacity * model.inputSize)
        inputs.initialize(repeating: 0, count: batchCapacity * model.inputSize)
        targets = .allocate(capacity: batchCapacity * model.outputSize)
        targets.initialize(repeating: 0, count: batchCapacity * model.outputSize)
    }

    deinit {
        gradient.deallocate()
        inputs.deallocate()
        targets.deallocate()
    }
}
