import JPEGCodec

/// One step of the cleaning pipeline: a type with its own options, its own entries in the
/// model file, and one ``apply(to:context:)``.
///
/// To add a stage: write one type conforming to this protocol in `Stages/`, and add it to
/// ``Pipeline/registry`` at its place in the canonical order. Its metadata keys live in the
/// type (under `unjpeg.<name>.`), its command-line overrides in ``overrides``, and the README's
/// "How a JPEG is cleaned" is checked against ``Pipeline/registry`` by a test.
public protocol CleaningStage: Sendable {
    /// The stage's name in model files and the README (`luma_smoothing`).
    static var name: String { get }
    /// One sentence for the README and `unjpeg info --model`: what the stage does.
    static var summary: String { get }
    /// Pixels of context the stage needs around a region to compute that region exactly as
    /// on the whole image (for running it on bands or tiles): its reach, as a chessboard
    /// distance, at full resolution. Stages that work on DCT blocks also need their region
    /// aligned to the file's MCU grid.
    var halo: Int { get }
    /// Works on `state`.
    func apply(to state: inout PipelineState, context: StageContext)
    /// The stage's entries in a model file (keys include the `unjpeg.<name>.` prefix).
    func metadata() -> [String: String]
    /// Reads the stage back from a model file's metadata, refusing values outside their
    /// plausible ranges.
    init(metadata: [String: String]) throws(CleaningModelError)
    /// Command-line options that change this stage (or add or remove it) in a pipeline.
    static var overrides: [StageOverride] { get }
}

extension CleaningStage {
    public static var overrides: [StageOverride] { [] }
}

/// What a stage may use besides the state: the window predictor (the network), when the
/// pipeline runs with one.
public struct StageContext {
    /// The model: `count` windows in (`window² · channels` floats each, HWC, normalised), the
    /// outputs out (see ``NetworkStage``). Nil: the network stage is skipped.
    public var predict: (([Float], Int) -> [Float])?
    /// The channels the predictor takes: 3 for a colour network (a gray image then goes
    /// through it as R = G = B, and the three predictions are averaged), nil for "as the image".
    public var predictorChannels: Int?

    /// The same model for threads that each run their own batches (``WindowPredictor``), or
    /// nil: the network stage then hands whole calls of ``predict`` to it.
    public var windowPredictor: WindowPredictor?

    /// Whether the predictors already hold the file's quantization (a quality-aware network
    /// with those inputs fixed, ``Net/Model/fixingTrailingInputs(_:)``): the network stage
    /// then passes the windows alone.
    public var quantizationFixed = false

    /// Called after each stage with its name and wall time (for `unjpeg bench clean`'s shares).
    public var onStage: ((String, Duration) -> Void)?
    /// Threads a stage may use (≥ 1); a stage's result never depends on it.
    public var threads: Int

    public init(predict: (([Float], Int) -> [Float])? = nil, predictorChannels: Int? = nil,
                onStage: ((String, Duration) -> Void)? = nil, threads: Int = 1) {
        self.predict = predict
        self.predictorChannels = predictorChannels
        self.onStage = onStage
        self.threads = max(threads, 1)
    }
}

/// A model that several threads can run at once, each on its own batches: `run(windows,
/// count, outputs, worker)` reads `count` ≤ ``batch`` windows (rows of the model's inputs, one
/// after another) and writes their outputs, on the calling thread, with worker `worker`'s
/// scratch (`0..<workers`; two threads never use the same worker at once). A window's outputs
/// depend only on that window, never on the batch it came in.
public struct WindowPredictor: Sendable {
    public let workers: Int, batch: Int
    public let run: @Sendable (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int) -> Void

    public init(workers: Int, batch: Int,
                run: @escaping @Sendable (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int) -> Void) {
        precondition(workers >= 1 && batch >= 1, "at least one worker and one window per batch")
        self.workers = workers
        self.batch = batch
        self.run = run
    }
}

/// A command-line override of a pipeline: its option name, value, range and help, and what it
/// does to the pipeline. The CLI builds its options from these (one declaration per option).
public struct StageOverride: Sendable {
    /// The long option name without dashes (`luma-smoothing`).
    public let name: String
    /// The value's placeholder (`n`).
    public let valueName: String
    /// One sentence of help, including the accepted range.
    public let help: String
    /// Overrides are applied in increasing `order` (then in registry order): an override that
    /// removes stages (`--projection none`) goes last.
    public let order: Int
    /// Only for `unjpeg train` (it changes what the network is trained on).
    public let trainingOnly: Bool
    /// Applies the value to a pipeline; throws a sentence for the user when the value is invalid.
    public let apply: @Sendable (inout Pipeline, String) throws(StageOverrideError) -> Void

    public init(name: String, valueName: String, help: String, order: Int = 0, trainingOnly: Bool = false,
                apply: @escaping @Sendable (inout Pipeline, String) throws(StageOverrideError) -> Void) {
        self.name = name
        self.valueName = valueName
        self.help = help
        self.order = order
        self.trainingOnly = trainingOnly
        self.apply = apply
    }

    /// An integer in `range`.
    public static func integer(_ text: String, _ option: String, in range: ClosedRange<Int>) throws(StageOverrideError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw StageOverrideError(message: "The value '\(text)' is invalid for '--\(option)': expected an integer in \(range.lowerBound)…\(range.upperBound).")
        }
        return value
    }

    /// A finite number in `range` (`lowerOpen`: the lower bound itself excluded).
    public static func number(_ text: String, _ option: String, in range: ClosedRange<Float>,
                              lowerOpen: Bool = false) throws(StageOverrideError) -> Float {
        guard let value = Float(text), value.isFinite, range.contains(value), !(lowerOpen && value == range.lowerBound) else {
            let low = lowerOpen ? "above \(range.lowerBound)" : "at least \(range.lowerBound)"
            throw StageOverrideError(message: "The value '\(text)' is invalid for '--\(option)': expected a number \(low) and at most \(range.upperBound).")
        }
        return value
    }

    /// One of `choices`.
    public static func choice(_ text: String, _ option: String, _ choices: [String]) throws(StageOverrideError) -> String {
        guard choices.contains(text) else {
            throw StageOverrideError(message: "The value '\(text)' is invalid for '--\(option)': expected \(choices.dropLast().joined(separator: ", ")) or \(choices.last!).")
        }
        return text
    }
}

/// An override value that cannot be applied (a usage error in the CLI).
public struct StageOverrideError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
