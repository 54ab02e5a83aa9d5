import Linalg
import Net

/// `unjpeg bench train` and `unjpeg bench infer`: samples per second of the MLP trainer
/// and of inference, on random data, for the nets and step of the reference script `mlp_numpy_bench.py`
/// (1.7159·tanh(2/3·x) hidden layers, MSE, plain SGD), so both print comparable figures.
enum BenchNet {
    static let defaultNets = ["1728,2048,2048,2048,1728", "192,1024,1024,192"]

    static func options(batchDefault: String) -> [OptionSpec] {
        [
            .value("nets", "sizes", help: "A net as comma-separated layer sizes (repeatable).", repeatable: true),
            .value("threads", "n", help: "Comma-separated thread counts.", default: "1,2"),
            .value("batch", "n", help: "Comma-separated batch sizes.", default: batchDefault),
            .value("trials", "n", help: "Trials per configuration; the best is reported.", default: "5"),
            .value("min-time", "s", help: "Minimum seconds per trial.", default: "0.5"),
            .flag("json", help: "Print one JSON object per line instead of a table."),
        ]
    }

    static func intList(_ text: String, option: String, range: ClosedRange<Int>, spec: CommandSpec) throws -> [Int] {
        try text.split(separator: ",").map { part in
            guard let value = Int(part), range.contains(value) else {
                throw UsageError("The value '\(text)' is invalid for '--\(option)': expected comma-separated integers in \(range.lowerBound)…\(range.upperBound).", command: spec)
            }
            return value
        }
    }

    static func run(_ arguments: ParsedArguments, spec: CommandSpec, training: Bool) throws {
        let nets = try (arguments.all("nets").isEmpty ? defaultNets : arguments.all("nets")).map {
            try intList($0, option: "nets", range: 1...65536, spec: spec)
        }
        for net in nets where net.count < 2 {
            throw UsageError("A net needs at least two layer sizes, got '\(net.map(String.init).joined(separator: ","))'.", command: spec)
        }
        let threadList = try intList(arguments.value("threads") ?? "1,2", option: "threads", range: 1...256, spec: spec)
        let batches = try intList(arguments.value("batch") ?? (training ? "256" : "1024"), option: "batch",
                                  range: 1...65536, spec: spec)
        let trials = try arguments.int("trials", default: 5, in: 1...1000, command: spec)
        let minTime = try arguments.double("min-time", default: 0.5, in: 0...600, command: spec)
        var printer = BenchPrinter(json: arguments.flag("json"))
        var generator = SystemRandomNumberGenerator()
        for sizes in nets {
            let model = Model(layerSizes: sizes, seed: 1)
            let parameterCount = model.parameters.count
            for batch in batches {
                let inputs = (0..<batch * sizes[0]).map { _ in Float.random(in: -1...1, using: &generator) }
                let targets = (0..<batch * sizes.last!).map { _ in Float.random(in: -1...1, using: &generator) }
                for threads in threadList {
                    let samples: [Bench.Sample]
                    if training {
                        var trainer = Trainer(model: model, configuration: TrainerConfiguration(
                            batchSize: batch, optimizer: .sgd(momentum: 0, fanInScaling: .none),
                            learningRate: 1e-4, threads: threads))
                        samples = inputs.withUnsafeBufferPointer { x in
                            targets.withUnsafeBufferPointer { y in
                                Bench.measure(trials: trials, minTime: minTime) {
                                    _ = trainer.step(inputs: x.baseAddress!, targets: y.baseAddress!, count: batch)
                                }
                            }
                        }
                    } else {
                        let workspace = ModelWorkspace(model: model, batchCapacity: batch, training: false)
                        var outputs = [Float](repeating: 0, count: batch * sizes.last!)
                        samples = inputs.withUnsafeBufferPointer { x in
                            outputs.withUnsafeMutableBufferPointer { y in
                                Bench.measure(trials: trials, minTime: minTime) {
                                    model.forward(batch: x.baseAddress!, count: batch, into: y.baseAddress!,
                                                  workspace: workspace, threads: threads)
                                }
                            }
                        }
                    }
                    let (best, median) = Bench.bestAndMedian(samples)
                    let flopsPerSample = Double(parameterCount) * (training ? 6 : 2)
                    let rate = Double(batch) / best.wall
                    printer.emit(BenchRow(fields: [
                        ("net", sizes.map(String.init).joined(separator: "-")),
                        ("batch", batch),
                        ("threads", threads),
                        ("samples_per_s", rate),
                        ("samples_per_s_median", Double(batch) / median),
                        ("samples_per_cpu_s", Double(batch) / best.cpu),
                        ("effective_gflops", rate * flopsPerSample / 1e9),
                    ]))
                }
            }
        }
    }
}

/// `unjpeg bench train`.
enum BenchTrainCommand: Command {
    static let spec = CommandSpec(
        path: "bench train",
        abstract: "Measure MLP training speed (samples per second, plain SGD step).",
        discussion: "The nets and step of the reference script mlp_numpy_bench.py; effective GFLOP/s counts 6 × parameters per sample.",
        options: BenchNet.options(batchDefault: "256"))
    static func run(_ arguments: ParsedArguments) throws {
        try BenchNet.run(arguments, spec: spec, training: true)
    }
}

/// `unjpeg bench infer`.
enum BenchInferCommand: Command {
    static let spec = CommandSpec(
        path: "bench infer",
        abstract: "Measure MLP inference speed (samples per second).",
        discussion: "The nets of the reference script mlp_numpy_bench.py; effective GFLOP/s counts 2 × parameters per sample.",
        options: BenchNet.options(batchDefault: "1024"))
    static func run(_ arguments: ParsedArguments) throws {
        try BenchNet.run(arguments, spec: spec, training: false)
    }
}
