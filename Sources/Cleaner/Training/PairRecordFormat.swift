import JPEGCodec
import Net

/// The 8-bit record a training pair is stored as: the degraded window (`window² · channels`
/// bytes, HWC), the side input (``sideBytes`` bytes: the file's ``QuantizationFeatures`` for
/// a quality-aware model, none otherwise), then the clean target block (`target² · channels`
/// bytes, HWC, the block centred in the window). 8 bits hold both exactly, since both are 8-bit images; the network
/// sees them on the scale of `normalization` (``SampleNormalization/centred`` for every model so far).
public struct PairRecordFormat: Equatable, Sendable {
    public var windowSize: Int
    public var targetSize: Int
    public var channels: Int
    public var normalization: SampleNormalization
    /// Bytes of side input per record: 0 or ``QuantizationFeatures/count``.
    public var sideBytes: Int

    public init(windowSize: Int, targetSize: Int, channels: Int, normalization: SampleNormalization = .centred,
                sideBytes: Int = 0) {
        precondition(windowSize >= 1 && (1...windowSize).contains(targetSize) && (windowSize - targetSize) % 2 == 0,
                     "the target block is centred in the window")
        self.windowSize = windowSize
        self.targetSize = targetSize
        self.channels = channels
        self.normalization = normalization
        precondition(sideBytes == 0 || sideBytes == QuantizationFeatures.count, "side inputs are the quantization features")
        self.sideBytes = sideBytes
    }

    /// Bytes of the window.
    public var inputBytes: Int { windowSize * windowSize * channels }
    /// Values the network reads per record: the window and the side input.
    public var networkInputs: Int { inputBytes + sideBytes }
    public var targetBytes: Int { targetSize * targetSize * channels }
    public var recordBytes: Int { inputBytes + sideBytes + targetBytes }
    /// Offset of the target block inside the window.
    public var targetOffset: Int { (windowSize - targetSize) / 2 }

    /// The sample `value` (on `normalization`'s scale) back on the 8-bit scale, rounded.
    @inline(__always)
    func byte(_ value: Float) -> UInt8 {
        UInt8(clamping: Int(normalization.denormalize(value).rounded()))
    }

    /// Appends the records of `batch` to `records`. `batch` holds residual targets
    /// (`(clean − degraded) · scale` over the central block, as ``TrainingPairSource`` makes
    /// them with ``TrainingTarget/residual``); the record stores the clean block itself.
    /// With side inputs, `side` holds the features of the file the batch was cut from
    /// (transposed for the pairs the batch marks transposed).
    public func append(_ batch: TrainingBatch, side: QuantizationFeatures? = nil, to records: inout [UInt8]) {
        precondition(batch.inputSize == inputBytes && batch.targetSize == targetBytes, "the batch does not fit the format")
        precondition((side != nil) == (sideBytes > 0), "side inputs are given exactly when the format has them")
        let sideTransposed = side?.transposed
        let ws = windowSize, ts = targetSize, c = channels, margin = targetOffset
        records.reserveCapacity(records.count + batch.count * recordBytes)
        for p in 0..<batch.count {
            let x = batch.inputs[(p * inputBytes)..<((p + 1) * inputBytes)]
            for v in x { records.append(byte(v)) }
            if let side, let sideTransposed {
                records += p < batch.transposed.count && batch.transposed[p] ? sideTransposed.bytes : side.bytes
            }
            let t = batch.targets[(p * targetBytes)..<((p + 1) * targetBytes)]
            var k = 0
            for r in 0..<ts {
                for col in 0..<(ts * c) {
                    // clean = degraded + residual, on the normalised scale.
                    let degraded = x[x.startIndex + ((r + margin) * ws + margin) * c + col]
                    records.append(byte(degraded + t[t.startIndex + k]))
                    k += 1
                }
            }
        }
    }

    /// Decodes the record at `record` into `input` (``networkInputs`` floats: the window
    /// normalised, then the side input's values) and
    /// `target` (`targetBytes` floats): the clean block normalised, or with `residual` the
    /// correction `(clean − degraded) · scale`.
    public func decode(_ record: UnsafePointer<UInt8>, residual: Bool,
                       input: UnsafeMutablePointer<Float>, target: UnsafeMutablePointer<Float>) {
        let ni = inputBytes, ws = windowSize, ts = targetSize, c = channels, off = targetOffset
        let offset = normalization.offset, scale = normalization.scale
        for i in 0..<ni { input[i] = (Float(record[i]) - offset) * scale }
        for i in 0..<sideBytes { input[ni + i] = QuantizationFeatures.value(index: i, byte: record[ni + i]) }
        let clean = record + ni + sideBytes
        if !residual {
            for i in 0..<targetBytes { target[i] = (Float(clean[i]) - offset) * scale }
            return
        }
        for r in 0..<ts {
            for col in 0..<(ts * c) {
                let degraded = record[((r + off) * ws + off) * c + col]
                target[r * ts * c + col] = (Float(clean[r * ts * c + col]) - Float(degraded)) * scale
            }
        }
    }
}
