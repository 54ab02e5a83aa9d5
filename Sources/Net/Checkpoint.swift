/// The trainer checkpoint: everything needed to resume a run exactly.
///
/// Layout (version 2; version 1 lacks the output bounds), after the 20-byte envelope (magic `"UNJC"`, UInt16 version,
/// UInt16 reserved = 0, UInt64 payload length, UInt32 CRC-32 of the payload; see
/// ``ModelFile`` for the conventions):
///
/// ```
/// configuration   UInt64 batch size; UInt8 optimizer (0 SGD, 1 Adam) + Float32 ×3
///                 (momentum, 0, 0 | β₁, β₂, ε) + UInt8 fan-in scaling; Float32 learning rate;
///                 UInt8 decay (0 constant, 1 step, 2 cosine) + UInt64 + Float32, UInt64 warm-up;
///                 UInt8 shuffle (0 none, 1 full, 2 blocks) + UInt64 block size;
///                 Float32 emphasis; (UInt8 present + UInt64) max epochs, max steps;
///                 UInt8 present + UInt64 patience + Float32 min improvement;
///                 UInt64 validation batch size, threads; UInt64 seed;
///                 (version 2:) UInt8 has-bounds + Float32 lower + Float32 upper
/// model           the model file payload (as in ``ModelFile``, Float32 weights)
/// optimizer       Float32 array first moment, Float32 array second moment (UInt64 count + data)
/// progress        UInt64 step, epoch, step in epoch; Float64 epoch loss sum; UInt64 epoch
///                 step count; UInt8 has-best + Float64 best loss; UInt64 epochs without
///                 improvement; UInt8 plateau reached; UInt64 ×4 generator state;
///                 UInt64 dataset size; UInt32 array epoch order; Float32 array last losses
/// ```
///
/// The order costs 4 bytes per training example (plus 4 with hard-example emphasis).
public enum Checkpoint {
    /// The four bytes every checkpoint starts with.
    public static let magic: [UInt8] = Array("UNJC".utf8)
    /// The format version this build writes, and the newest it reads.
    public static let currentVersion: UInt16 = 2
}

extension Trainer {
    /// The trainer's complete state as checkpoint bytes (see ``Checkpoint``).
    public func checkpoint() -> [UInt8] {
        var w = ByteWriter(capacity: 4 * (3 * model.parameters.count + 2 * order.count + lastLoss.count) + 4096)
        let c = configuration
        w.int(c.batchSize)
        switch c.optimizer {
        case let .sgd(momentum, scaling):
            w.u8(0); w.f32(momentum); w.f32(0); w.f32(0); w.u8(scaling.rawValue)
        case let .adam(beta1, beta2, epsilon):
            w.u8(1); w.f32(beta1); w.f32(beta2); w.f32(epsilon); w.u8(0)
        }
        w.f32(c.learningRate)
        switch c.schedule.decay {
        case .constant: w.u8(0); w.u64(0); w.f32(0)
        case let .step(interval, factor): w.u8(1); w.int(interval); w.f32(factor)
        case let .cosine(total, final): w.u8(2); w.int(total); w.f32(final)
        }
        w.int(c.schedule.warmupSteps)
        switch c.shuffle {
        case .none: w.u8(0); w.u64(0)
        case .full: w.u8(1); w.u64(0)
        case let .blocks(size): w.u8(2); w.int(size)
        }
        w.f32(c.hardExampleEmphasis)
        for limit in [c.maxEpochs, c.maxSteps] {
            w.bool(limit != nil); w.int(limit ?? 0)
        }
        w.bool(c.earlyStopping != nil)
        w.int(c.earlyStopping?.patience ?? 0)
        w.f32(c.earlyStopping?.minRelativeImprovement ?? 0)
        w.int(c.validationBatchSize)
        w.int(c.threads)
        w.u64(c.seed)
        w.bool(c.outputBounds != nil)
        w.f32(c.outputBounds?.lower ?? 0)
        w.f32(c.outputBounds?.upper ?? 0)

        ModelFile.writeModel(model, precision: .float32, into: &w)
        w.floats32(optimizerState.first)
        w.floats32(optimizerState.second)

        w.int(step); w.int(epoch); w.int(stepInEpoch)
        w.f64(epochLossSum); w.int(epochLossCount)
        w.bool(bestLoss != nil); w.f64(bestLoss ?? 0)
        w.int(epochsWithoutImprovement)
        w.bool(reachedPlateau)
        for word in rng.stateWords { w.u64(word) }
        w.int(datasetCount)
        w.uint32s(order)
        w.floats32(lastLoss)
        return Envelope.wrap(magic: Checkpoint.magic, version: Checkpoint.currentVersion, payload: w.bytes)
    }

    /// A trainer restored from ``checkpoint()`` bytes; training continues exactly where it
    /// stopped (same schedule position, data order and generator state).
    /// - Throws: ``ModelFileError`` if the data is not a complete, intact, consistent checkpoint.
    public init(checkpoint bytes: [UInt8]) throws(ModelFileError) {
        var r = try Envelope.open(bytes, magic: Checkpoint.magic, version: Checkpoint.currentVersion)
        let positive = Int(Int32.max)
        func count(_ field: String) throws(ModelFileError) -> Int {
            let at = r.offset
            let v = try r.int(field: field)
            guard v >= 1 && v <= positive else { throw .invalidValue(field: field, value: UInt64(v), offset: at) }
            return v
        }
        func float(_ field: String, in range: ClosedRange<Float>) throws(ModelFileError) -> Float {
            let at = r.offset
            let v = try r.f32()
            guard range.contains(v) else { throw .invalidValue(field: field, value: UInt64(v.bitPattern), offset: at) }
            return v
        }
        let batchSize = try count("batch size")
        var at = r.offset
        let optimizerCode = try r.u8()
        let p1 = try r.f32(), p2 = try r.f32(), p3 = try r.f32()
        let scalingAt = r.offset
        let scalingCode = try r.u8()
        let optimizer: Optimizer
        switch optimizerCode {
        case 0:
            guard let scaling = FanInScaling(rawValue: scalingCode) else {
                throw .invalidValue(field: "fan-in scaling", value: UInt64(scalingCode), offset: scalingAt)
            }
            optimizer = .sgd(momentum: p1, fanInScaling: scaling)
        case 1: optimizer = .adam(beta1: p1, beta2: p2, epsilon: p3)
        default: throw .invalidValue(field: "optimizer", value: UInt64(optimizerCode), offset: at)
        }
        let learningRate = try r.f32()
        at = r.offset
        let decayCode = try r.u8()
        let decayCount = try r.u64(), decayFactor = try r.f32()
        let decay: LearningRateSchedule.Decay
        switch decayCode {
        case 0: decay = .constant
        case 1 where decayCount >= 1 && decayCount <= UInt64(positive): decay = .step(interval: Int(decayCount), factor: decayFactor)
        case 2 where decayCount >= 1 && decayCount <= UInt64(positive): decay = .cosine(totalSteps: Int(decayCount), finalFactor: decayFactor)
        default: throw .invalidValue(field: "schedule", value: UInt64(decayCode), offset: at)
        }
        let warmup = try r.int(field: "warm-up steps", limit: positive)
        at = r.offset
        let shuffleCode = try r.u8()
        let blockSize = try r.u64()
        let shuffle: ShuffleMode
        switch shuffleCode {
        case 0: shuffle = .none
        case 1: shuffle = .full
        case 2 where blockSize >= 1 && blockSize <= UInt64(positive): shuffle = .blocks(size: Int(blockSize))
        default: throw .invalidValue(field: "shuffle mode", value: UInt64(shuffleCode), offset: at)
        }
        let emphasis = try float("hard-example emphasis", in: 0...1)
        var limits = [Int?]()
        for field in ["max epochs", "max steps"] {
            let present = try r.bool(field: field)
            let v = try r.int(field: field)
            limits.append(present ? v : nil)
        }
        let hasEarly = try r.bool(field: "early stopping")
        let patienceAt = r.offset
        let patience = try r.int(field: "patience", limit: positive)
        let minImprovement = try r.f32()
        if hasEarly && patience < 1 { throw .invalidValue(field: "patience", value: UInt64(patience), offset: patienceAt) }
        let validationBatchSize = try count("validation batch size")
        let threads = try count("threads")
        let seed = try r.u64()
        var bounds: OutputBounds?
        if bytes[4] >= 2 {   // format version (little-endian UInt16; Envelope.open checked it is ≤ current)
            let present = try r.bool(field: "output bounds")
            let boundsAt = r.offset
            let lower = try r.f32(), upper = try r.f32()
            if present {
                guard lower.isFinite, upper.isFinite, lower < upper else {
                    throw .invalidValue(field: "output bounds", value: 0, offset: boundsAt)
                }
                bounds = OutputBounds(lower: lower, upper: upper)
            }
        }
        let configuration = TrainerConfiguration(
            batchSize: batchSize, optimizer: optimizer, learningRate: learningRate,
            schedule: LearningRateSchedule(decay: decay, warmupSteps: warmup), shuffle: shuffle,
            hardExampleEmphasis: emphasis, maxEpochs: limits[0], maxSteps: limits[1],
            earlyStopping: hasEarly ? EarlyStopping(patience: patience, minRelativeImprovement: minImprovement) : nil,
            validationBatchSize: validationBatchSize, threads: threads, seed: seed, outputBounds: bounds)

        let model = try ModelFile.readModel(&r).model
        let parameterCount = model.parameters.count
        var moments = [[Float]]()
        for (i, field) in ["first moment", "second moment"].enumerated() {
            at = r.offset
            let m = try r.floats32(field: field)
            let expected = optimizer.momentCount > i ? parameterCount : 0
            guard m.count == expected else {
                throw .inconsistent(field: field + " length", found: UInt64(m.count), expected: UInt64(expected), offset: at)
            }
            moments.append(m)
        }
        self.init(model: model, configuration: configuration)
        optimizerState = OptimizerState(first: moments[0], second: moments[1])
        let counterLimit = 1 << 48
        step = try r.int(field: "step", limit: counterLimit)
        epoch = try r.int(field: "epoch", limit: counterLimit)
        stepInEpoch = try r.int(field: "step in epoch", limit: counterLimit)
        epochLossSum = try r.f64()
        epochLossCount = try r.int(field: "epoch step count", limit: counterLimit)
        let hasBest = try r.bool(field: "best-loss flag")
        let best = try r.f64()
        bestLoss = hasBest ? best : nil
        epochsWithoutImprovement = try r.int(field: "epochs without improvement", limit: counterLimit)
        reachedPlateau = try r.bool(field: "plateau flag")
        at = r.offset
        var words = [UInt64]()
        for _ in 0..<4 { words.append(try r.u64()) }
        guard let generator = RandomGenerator(stateWords: words) else {
            throw .invalidValue(field: "generator state", value: 0, offset: at)
        }
        rng = generator
        at = r.offset
        datasetCount = try r.int(field: "dataset size", limit: Int(UInt32.max))
        order = try r.uint32s(field: "epoch order", limit: max(0, datasetCount - 1))
        guard order.isEmpty || order.count == datasetCount else {
            throw .inconsistent(field: "epoch order length", found: UInt64(order.count), expected: UInt64(datasetCount), offset: at)
        }
        // Mid-epoch, at least one more full batch must remain; between epochs the position is 0.
        let position = order.isEmpty ? stepInEpoch : (stepInEpoch + 1) * min(batchSize, datasetCount)
        guard position <= order.count else {
            throw .inconsistent(field: "step in epoch", found: UInt64(stepInEpoch), expected: 0, offset: at)
        }
        at = r.offset
        lastLoss = try r.floats32(field: "last losses")
        guard lastLoss.isEmpty || lastLoss.count == datasetCount else {
            throw .inconsistent(field: "last-loss length", found: UInt64(lastLoss.count), expected: UInt64(datasetCount), offset: at)
        }
        if !r.isAtEnd { throw .trailingBytes(offset: r.offset, count: r.remaining) }
    }
}
