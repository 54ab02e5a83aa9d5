import Linalg

/// When to stop because the validation loss stopped improving.
public struct EarlyStopping: Equatable, Sendable {
    /// Stop after this many consecutive epochs without improvement (≥ 1).
    public var patience: Int
    /// An epoch improves if its loss is below `best · (1 − minRelativeImprovement)`.
    public var minRelativeImprovement: Float

    /// Early stopping after `patience` epochs without a relative improvement of at least
    /// `minRelativeImprovement`.
    public init(patience: Int, minRelativeImprovement: Float = 0) {
        precondition(patience >= 1, "patience must be positive")
        self.patience = patience
        self.minRelativeImprovement = minRelativeImprovement
    }
}

/// Everything that defines a training run (saved in checkpoints with the trainer's state).
public struct TrainerConfiguration: Equatable, Sendable {
    /// Examples per step (≥ 1; an epoch is `count / batchSize` full batches, the rest skipped).
    public var batchSize: Int
    /// The update rule.
    public var optimizer: Optimizer
    /// The base learning rate η (for SGD, further scaled per layer by fan-in).
    public var learningRate: Float
    /// How the rate changes with the step count.
    public var schedule: LearningRateSchedule
    /// How each epoch's order is drawn.
    public var shuffle: ShuffleMode
    /// Hard-example emphasis λ in `[0, 1]`: 0 visits every example once per epoch; above 0,
    /// examples are sampled with probability rising with their last loss (see ``ShuffleMode``).
    public var hardExampleEmphasis: Float
    /// Stop after this many epochs (nil: no limit).
    public var maxEpochs: Int?
    /// Stop after this many steps (nil: no limit).
    public var maxSteps: Int?
    /// Stop when the validation loss (or, without validation data, the epoch's mean training
    /// loss) reaches a plateau (nil: never).
    public var earlyStopping: EarlyStopping?
    /// Rows per batch when computing the validation loss.
    public var validationBatchSize: Int
    /// Threads passed to GEMM.
    public var threads: Int
    /// Seeds the data order.
    public var seed: UInt64
    /// When set, outputs are clipped to these bounds where they are used, and the loss does
    /// not punish an output beyond a bound its target sits on (see ``OutputBounds``).
    public var outputBounds: OutputBounds?

    /// A configuration; the defaults are the recipe that worked for the cleaner: Adam at
    /// 1e-3, batch 256, one epoch, full shuffle.
    public init(batchSize: Int = 256, optimizer: Optimizer = .adam(), learningRate: Float = 1e-3,
                schedule: LearningRateSchedule = .constant, shuffle: ShuffleMode = .full,
                hardExampleEmphasis: Float = 0, maxEpochs: Int? = 1, maxSteps: Int? = nil,
                earlyStopping: EarlyStopping? = nil, validationBatchSize: Int = 1024,
                threads: Int = defaultThreadCount, seed: UInt64 = 0, outputBounds: OutputBounds? = nil) {
        precondition(batchSize >= 1 && validationBatchSize >= 1 && threads >= 1, "sizes must be positive")
        precondition(hardExampleEmphasis >= 0 && hardExampleEmphasis <= 1, "emphasis must lie in [0, 1]")
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.schedule = schedule
        self.shuffle = shuffle
        self.hardExampleEmphasis = hardExampleEmphasis
        self.maxEpochs = maxEpochs
        self.maxSteps = maxSteps
        self.earlyStopping = earlyStopping
        self.validationBatchSize = validationBatchSize
        self.threads = threads
        self.seed = seed
        self.outputBounds = outputBounds
    }

    /// Steps in one epoch over `exampleCount` examples: `exampleCount / batchSize` full batches
    /// (one batch of all examples when there are fewer than `batchSize`). Multiply by the
    /// number of epochs to get a cosine schedule's `totalSteps`.
    public func stepsPerEpoch(exampleCount: Int) -> Int {
        precondition(exampleCount >= 1, "need at least one example")
        return exampleCount / min(batchSize, exampleCount)
    }
}
