/// What the training loop reports after each step.
public struct StepReport: Sendable {
    /// Steps completed so far (this one included).
    public var step: Int
    /// The current epoch (0-based; after the last step of an epoch, the next one).
    public var epoch: Int
    /// Steps completed in the current epoch.
    public var stepInEpoch: Int
    /// Steps in a full epoch.
    public var stepsPerEpoch: Int
    /// This batch's loss (before the update).
    public var loss: Float
    /// The learning rate this step used.
    public var learningRate: Float
}

/// What the training loop reports at the end of each epoch.
public struct EpochReport: Sendable {
    /// The epoch that ended (0-based).
    public var epoch: Int
    /// The mean of its step losses.
    public var trainingLoss: Float
    /// The loss on the validation set, if one was given.
    public var validationLoss: Float?
    /// Consecutive epochs without improvement (for early stopping).
    public var epochsWithoutImprovement: Int
}

/// Whether the loop should go on after a step.
public enum TrainingControl: Sendable {
    /// Continue.
    case proceed
    /// Return after this step (e.g. on SIGINT); the state stays resumable.
    case stop
}

/// Why ``Trainer/train(on:validation:hooks:)`` returned.
public enum StopReason: UInt8, Equatable, Sendable {
    /// ``TrainerConfiguration/maxSteps`` was reached.
    case maxSteps = 0
    /// ``TrainerConfiguration/maxEpochs`` was reached.
    case maxEpochs = 1
    /// Early stopping found a plateau.
    case plateau = 2
    /// A hook returned ``TrainingControl/stop``.
    case requested = 3
}

/// Callbacks from the training loop, for progress display and checkpoints. All are optional.
public struct TrainingHooks {
    /// Called after every step; returning `.stop` ends the loop after it.
    public var onStep: ((StepReport) -> TrainingControl)?
    /// Called at the end of every epoch, after validation.
    public var onEpoch: ((EpochReport) -> Void)?
    /// Write a checkpoint every this many steps (nil: only when `shouldCheckpoint` says so).
    public var checkpointEvery: Int?
    /// Asked after every step (e.g. "have N minutes passed?"); true writes a checkpoint.
    public var shouldCheckpoint: ((StepReport) -> Bool)?
    /// Receives the checkpoint bytes (``Trainer/checkpoint()``) to store, e.g. atomically with
    /// a temporary file and a rename. Errors it throws end training and propagate.
    public var onCheckpoint: (([UInt8]) throws -> Void)?

    /// Hooks from optional closures.
    public init(onStep: ((StepReport) -> TrainingControl)? = nil, onEpoch: ((EpochReport) -> Void)? = nil,
                checkpointEvery: Int? = nil, shouldCheckpoint: ((StepReport) -> Bool)? = nil,
                onCheckpoint: (([UInt8]) throws -> Void)? = nil) {
        self.onStep = onStep
        self.onEpoch = onEpoch
        self.checkpointEvery = checkpointEvery
        self.shouldCheckpoint = shouldCheckpoint
        self.onCheckpoint = onCheckpoint
    }
}

/// The outcome of a call to ``Trainer/train(on:validation:hooks:)``.
public struct TrainingSummary: Sendable {
    /// Why the loop returned.
    public var stopReason: StopReason
    /// Total steps completed (across resumptions).
    public var steps: Int
    /// Epochs completed.
    public var epochs: Int
    /// The best epoch loss early stopping has seen (validation if given), if any epoch ended.
    public var bestLoss: Float?
}

/// Errors of the training loop.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The dataset's sizes do not match the model's.
    case shapeMismatch(modelInput: Int, modelOutput: Int, dataInput: Int, dataOutput: Int)
    /// The training set is empty.
    case emptyDataset
    /// A resumed trainer was given a training set of another size than it was using.
    case datasetChanged(expectedCount: Int, foundCount: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .shapeMismatch(mi, mo, di, dout):
            return "dataset has \(di) inputs and \(dout) outputs but the model has \(mi) and \(mo)"
        case .emptyDataset:
            return "the training set is empty"
        case let .datasetChanged(expected, found):
            return "the checkpoint was made with \(expected) training examples but the data has \(found)"
        }
    }
}
