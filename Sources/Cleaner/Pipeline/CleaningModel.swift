import JPEGCodec
import Linalg
import Net

/// Errors of ``CleaningModel`` and ``ModelFamily``: a network whose file does not describe how
/// to clean with it.
public indirect enum CleaningModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A metadata entry is missing or holds an impossible or implausible value.
    case invalidMetadata(key: String, value: String?)
    /// The network's input or output size does not match its window description.
    case shapeMismatch(expected: Int, found: Int, what: String)
    /// The recipe is in a newer format than this version understands.
    case unsupportedPipelineVersion(String)
    /// A weight, bias or normalization value is not finite or far outside what training produces.
    case implausibleNetwork(String)
    /// Network `index` (from 1) of a family of `count` is refused for `error`.
    case member(Int, of: Int, CleaningModelError)
    /// Network `index` of a family of `count` does not say which JPEGs it was trained on.
    case memberWithoutCoverage(Int, of: Int)
    /// Network `index` of a family of `count` says it was trained on exactly what the earlier
    /// network `by` says: ties go to the earlier one, so it could never clean a file.
    case memberShadowed(Int, by: Int, of: Int)
    /// A family file without networks.
    case emptyFamily

    /// A sentence for a user.
    public var description: String {
        switch self {
        case let .invalidMetadata(key, value):
            return "The model's metadata entry '\(key)' is \(value.map { "'\($0)', which is invalid" } ?? "missing"); this file was not made for cleaning JPEGs."
        case let .shapeMismatch(expected, found, what):
            return "The model's \(what) size is \(found) but its window description needs \(expected)."
        case let .unsupportedPipelineVersion(version):
            return "The model's recipe is in format \(version); this version of unjpeg reads format 2 and the first format. Use a newer unjpeg."
        case let .implausibleNetwork(what):
            return "The model's network cannot be a cleaning model: \(what)."
        case let .member(index, count, error):
            return "Network \(index) of the model's \(count): \(error.description)"
        case let .memberWithoutCoverage(index, count):
            return "Network \(index) of the model's \(count) does not say which JPEGs it was trained on "
                + "(metadata '\(ModelCoverage.Key.quality)' and '\(ModelCoverage.Key.subsampling)'), so no file can be given to it."
        case let .memberShadowed(index, earlier, count):
            return "Network \(index) of the model's \(count) was trained on the same JPEGs as network \(earlier) (by what their files say), so it could never clean a file."
        case .emptyFamily:
            return "The model file holds no network."
        }
    }
}

/// A trained network together with the pipeline it is applied with, read from (and written
/// to) the model file's metadata, so a model file is self-describing.
public struct CleaningModel: Sendable {
    /// The network: windows of `windowSize² · 3` samples (and the quantization features of a
    /// quality-aware model) in, `outputSize² · 3` out.
    public var network: Model
    /// The stages the network is applied with (``NetworkStage`` among them).
    public var pipeline: Pipeline
    /// False: ``clean(_:threads:)`` skips the network and runs only the other stages (prior,
    /// luma smoothing, projection, guided chroma) — a fast, weaker cleaner, and a measure of
    /// what the network adds.
    public var usesNetwork = true

    /// Metadata keys of the model itself (what it was trained for), beside the pipeline's.
    public enum Key {
        public static let quality = ModelCoverage.Key.quality
        public static let subsampling = ModelCoverage.Key.subsampling
    }

    /// The JPEGs the network was trained on, when the file says.
    public var coverage: ModelCoverage? { ModelCoverage(metadata: network.metadata) }

    /// A sentence saying how `input` lies outside what the network was trained on, or nil when
    /// it is inside (or the network is off, or either side is unknown).
    public func coverageGap(for input: CleanerInput) -> String? {
        guard usesNetwork, let coverage, let file = TableQuality(input), let gap = coverage.gap(for: file) else { return nil }
        return "\(file.description): the model's network was trained on \(coverage.description), not on \(gap); "
            + "the classical stages read the file's own tables, but the network may help less or even harm."
    }

    /// The metadata entries of a model applied with `pipeline`, trained for `quality` and `subsampling`.
    public static func metadata(for pipeline: Pipeline, quality: Int, subsampling: String) -> [String: String] {
        pipeline.metadata().merging([Key.quality: String(quality), Key.subsampling: subsampling]) { _, new in new }
    }

    /// The metadata entries of the standard recipe `options` (format 2).
    public static func metadata(for options: CleaningOptions, quality: Int, subsampling: String) -> [String: String] {
        metadata(for: Pipeline(options: options), quality: quality, subsampling: subsampling)
    }

    /// The largest magnitude a stored weight, bias or normalization value may have: trained
    /// networks stay within ±100 (tanh saturates long before); 10⁴ leaves room for any honest
    /// model and refuses files scaled by ×10³⁰.
    public static let maxParameterMagnitude: Float = 10_000

    /// Reads the pipeline from `network.metadata` and checks it against the network's shape
    /// and values.
    public init(network: Model) throws(CleaningModelError) {
        let pipeline = try Pipeline(metadata: network.metadata)
        guard let stage = pipeline.stage(NetworkStage.self) else {
            throw .invalidMetadata(key: Pipeline.stagesKey, value: network.metadata[Pipeline.stagesKey])
        }
        let outSide = stage.output.size(for: stage.geometry)
        guard network.inputSize == stage.inputsPerWindow else {
            throw .shapeMismatch(expected: stage.inputsPerWindow, found: network.inputSize, what: "input")
        }
        guard network.outputSize == outSide * outSide * 3 else {
            throw .shapeMismatch(expected: outSide * outSide * 3, found: network.outputSize, what: "output")
        }
        try Self.checkPlausible(network)
        self.network = network
        self.pipeline = pipeline
    }

    /// Refuses parameters (weights and biases) and normalization values that are not finite
    /// or beyond ``maxParameterMagnitude``, and standard deviations too small to be real
    /// (1/10⁴ of a sample step: 1e-45 would blow every input up to infinity).
    static func checkPlausible(_ network: Model) throws(CleaningModelError) {
        let limit = maxParameterMagnitude
        // A branch-free count first (it vectorises; every clean pays for this pass over the
        // weights), then the search for the first bad value only when there is one.
        // v² ≤ limit² fails for NaN, infinities and |v| > limit alike.
        let outside = network.parameters.withUnsafeBufferPointer { values in
            let squared = SIMD8<Float>(repeating: limit * limit)
            var counts = SIMD8<Int32>.zero, i = 0
            while i + 8 <= values.count {
                let v = SIMD8<Float>(values[i..<(i + 8)])
                counts &+= SIMD8<Int32>.zero.replacing(with: 1, where: .!(v * v .<= squared))
                i += 8
            }
            return Int(counts.wrappedSum()) + values[i...].count { !($0 * $0 <= limit * limit) }
        }
        if outside > 0, let bad = network.parameters.first(where: { !$0.isFinite || abs($0) > limit }) {
            throw .implausibleNetwork("it has a weight or bias of \(bad)")
        }
        for (name, values) in [("input", network.inputNormalization), ("output", network.outputScaling)] {
            if let bad = values.mean.first(where: { !$0.isFinite || abs($0) > limit }) {
                throw .implausibleNetwork("its \(name) normalization has a mean of \(bad)")
            }
            if let bad = values.standardDeviation.first(where: { !$0.isFinite || abs($0) > limit || abs($0) < 1 / limit }) {
                throw .implausibleNetwork("its \(name) normalization has a standard deviation of \(bad)")
            }
        }
    }

    /// Cleans a decode with the model's pipeline; the network runs in batches with `threads`
    /// threads for the matrix products (≥ 1). Gray images go through the (colour) network as
    /// R = G = B and come back as the mean of the three predictions.
    /// - Parameter onStage: called after each stage with its name and wall time.
    public func clean(_ input: CleanerInput, threads: Int = 1, onStage: ((String, Duration) -> Void)? = nil) -> RasterImage {
        guard usesNetwork else { return pipeline.run(input, context: StageContext(onStage: onStage, threads: threads)) }
        let batch = pipeline.stage(NetworkStage.self)?.batchSize ?? NetworkStage.defaultBatchSize
        // Each thread runs its share of a batch's windows through the whole network (one
        // workspace each): the input normalization and activations are then threaded too, and
        // there is one hand-off per batch instead of one per layer. A window's outputs depend
        // only on its own row (the GEMM's threads split rows the same way), so the result does
        // not depend on the thread count.
        // A quality-aware network's quantization inputs are the same for every window of the
        // file: fixed once, they cost nothing per window.
        let fixed = pipeline.stage(NetworkStage.self)?.quantizationInputs == true
            ? self.network.fixingTrailingInputs(QuantizationFeatures(input).values) : nil
        let network = fixed ?? self.network, quantizationFixed = fixed != nil
        let workspaces = SharedWorkspaces((0..<max(threads, 1)).map { _ in
            ModelWorkspace(model: network, batchCapacity: batch, training: false)
        })
        let perWorker = WindowPredictor(workers: workspaces.items.count, batch: batch) { windows, count, outputs, worker in
            network.forward(batch: windows, count: count, into: outputs, workspace: workspaces.items[worker], threads: 1)
        }
        // Whole calls (overlapping outputs): the call's windows split among the workers.
        let predict: ([Float], Int) -> [Float] = { windows, count in
            let inputSize = network.inputSize, outputSize = network.outputSize
            var outputs = [Float](repeating: 0, count: count * outputSize)
            windows.withUnsafeBufferPointer { x in
                outputs.withUnsafeMutableBufferPointer { y in
                    let input = SharedInput(x), output = SharedOutput(y)
                    let parts = min(perWorker.workers, max(count / 16, 1))
                    parallelFor(0..<parts, threads: parts) { indices in
                        for part in indices {
                            let lo = count * part / parts, hi = count * (part + 1) / parts
                            // At most a workspace's capacity at a time.
                            for start in Swift.stride(from: lo, to: hi, by: batch) {
                                perWorker.run(input.base + start * inputSize, min(batch, hi - start),
                                              output.base + start * outputSize, part)
                            }
                        }
                    }
                }
            }
            return outputs
        }
        var context = StageContext(predict: predict, predictorChannels: 3, onStage: onStage, threads: threads)
        context.windowPredictor = perWorker
        context.quantizationFixed = quantizationFixed
        return pipeline.run(input, context: context)
    }
}

/// One network workspace per thread of ``CleaningModel/clean(_:threads:onStage:)``; each
/// thread uses only its own.
struct SharedWorkspaces: @unchecked Sendable {
    let items: [ModelWorkspace]
    init(_ items: [ModelWorkspace]) { self.items = items }
}
