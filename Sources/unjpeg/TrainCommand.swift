import Cleaner
import JPEGCodec
import Linalg
import Net

/// `unjpeg train`: clean images → Twitter-degraded pairs on disk → the MLP → a model file.
enum TrainCommand: Command {
    static let spec = CommandSpec(
        path: "train",
        abstract: "Train a cleaning model on a folder of clean images.",
        discussion: """
        Pairs of (degraded 24×24 window, clean central 8×8 block; --window, --core) are made
        with our encoder at --quality/--subsampling (byte-identical with Pillow) and written to
        --work (reused when it holds pairs made with the same settings). Training uses Adam with
        a cosine learning-rate decay over --steps (or what --minutes allows) and writes a
        checkpoint every --checkpoint-every steps; --resume continues a killed run from its last
        checkpoint.
        """,
        options: [
            .value("images", "folder", help: "Clean training images (PNG, PPM or high-quality JPEG); required unless --export-checkpoint."),
            .value("valid", "folder", help: "Clean validation images (validation loss each epoch)."),
            .value("output", short: "o", "path", help: "The model file to write.", required: true),
            .value("work", "folder", help: "Where pairs and checkpoints go.", default: "<output>.work"),
            .value("samples", "n", help: "Training pairs to generate.", default: "2000000"),
            .value("valid-samples", "n", help: "Validation pairs.", default: "20000"),
            .value("hidden", "sizes", help: "Hidden layer sizes, comma-separated.", default: "1024,1024"),
            .value("steps", "n", help: "Training steps (batches)."),
            .value("minutes", "m", help: "Train for about this long instead of --steps.", default: "20"),
            .value("batch", "n", help: "Batch size.", default: "256"),
            .value("learning-rate", "lr", help: "Adam's peak learning rate.", default: "0.0005"),
            .value("warmup", "n", help: "Linear warm-up steps.", default: "500"),
            .value("quality", "q", help: "JPEG qualities to undo: one (85), a range (50-98) or a list of both (85,50-98); each image draws one item, then a quality in it.", default: "85"),
            .value("subsampling", "s", help: "Chroma subsamplings to undo, comma-separated (4:2:0, 4:2:2, 4:4:4); each image draws one.", default: "4:2:0"),
            .value("custom-tables", "f", help: "Share (0…1) of encodes with custom tables (libjpeg's tilted and jittered, as cameras and mozjpeg write them).", default: "0"),
            .value("re-encoded", "f", help: "Share (0…1) of images that were a JPEG before (quality 60–98, any sampling, the grid shifted).", default: "0"),
            .value("downscale", "f", help: "Share (0…1) of those earlier JPEGs downscaled by 0.5–0.9 before the last encode.", default: "0"),
            .value("threads", "n", help: "Threads (default: the cores available)."),
            .value("seed", "n", help: "Seed for weights, pairs and order.", default: "1"),
            .value("checkpoint-every", "n", help: "Steps between checkpoints.", default: "1000"),
            .value("passes", "n", help: "Passes over the images for the pairs, each with new shifts and windows (default: one per 50,000 pairs, 1…32)."),
            .value("window", "px", help: "Side of the network's input window, 8…64; window − core must be even.", default: "24"),
            .value("core", "px", help: "Side of the central block each window predicts, a multiple of 8 up to --window (windows step by it).", default: "8"),
            .value("keep-easy", "f", help: "Keep only this share (0…1) of the windows the plain decode already gets within 1 level RMS.", default: "1"),
            .value("error-weighting", "c", help: "Give each image pairs in proportion to its area ÷ (its decode's mean squared error + c), c in level² (0.01…100), as the mean PSNR gain weighs images; without it, by area alone."),
            .flag("resume", help: "Continue from the checkpoint in --work."),
            .flag("export-checkpoint", help: "Write the model of the checkpoint in --work to -o, without training."),
            .flag("float32", help: "Store weights as Float32 (default Float16)."),
        ] + {
            // Built once: every command's spec is made when the command line is matched.
            let defaults = TrainCommand.defaultPipeline()
            return Pipeline.overrides.map { override in
                .value(override.name, override.valueName, help: override.help,
                       default: TrainCommand.defaultText(override.name, in: defaults))
            }
        }())

    /// The pipeline a new model is trained for and exported with, before the command's
    /// overrides: no prior, the network, two rounds of luma smoothing, the projection, a round
    /// of chroma smoothing (edges at half a step), two rounds of guided chroma with bins
    /// narrowed by 1, flat areas and lines (r 4), the white point (1.5 levels) and the palette
    /// (3 levels, r 16) — the stages' own defaults, as the bundled default model is applied.
    static func defaultPipeline(geometry: WindowGeometry = WindowGeometry(), prior: GuidedChroma.Options? = nil) -> Pipeline {
        var pipeline = Pipeline(options: CleaningOptions(geometry: geometry, residual: false,
                                                         chromaGuidance: GuidedChroma.Options(iterations: 2, slack: -1),
                                                         prior: prior, lumaSmoothing: QuantSmooth.Options(iterations: 2)))
        pipeline.insert(ChromaSmoothingStage())
        pipeline.insert(FlatAreaStage(lines: true))
        pipeline.insert(WhitePointStage())
        pipeline.insert(PaletteStage())
        return pipeline
    }

    /// What the help shows as the default of a stage override: the value the default pipeline has.
    static func defaultText(_ name: String, in pipeline: Pipeline) -> String? {
        let prior = GuidedChroma.Options()
        switch name {
        case "luma-smoothing": return String(pipeline.stage(LumaSmoothingStage.self)?.options.iterations ?? 0)
        case "luma-threshold": return pipeline.stage(LumaSmoothingStage.self).map { String($0.options.threshold) }
        case "chroma-smoothing": return String(pipeline.stage(ChromaSmoothingStage.self)?.options.iterations ?? 0)
        case "chroma-threshold": return pipeline.stage(ChromaSmoothingStage.self).map { String($0.options.threshold) }
        case "chroma-guidance": return String(pipeline.stage(GuidedChromaStage.self)?.options.iterations ?? 0)
        case "chroma-shrink": return pipeline.stage(GuidedChromaStage.self).map { String(-$0.options.slack) }
        case "chroma-fit": return pipeline.stage(GuidedChromaStage.self).map { $0.options.lowResolutionFit ? "low" : "full" }
        case "projection": return "all"
        case "flat-area": return pipeline.stage(FlatAreaStage.self).map { String($0.radius) }
        case "flat-lines": return pipeline.stage(FlatAreaStage.self).map { $0.lines ? "yes" : "no" }
        case "white-point": return pipeline.stage(WhitePointStage.self).map { String($0.tolerance) }
        case "white-beside": return pipeline.stage(WhitePointStage.self).map { String($0.besideTolerance) }
        case "palette": return pipeline.stage(PaletteStage.self).map { String($0.tolerance) }
        case "palette-radius": return pipeline.stage(PaletteStage.self).map { String($0.radius) }
        case "network-dead-zone": return "0"
        case "network-uniform": return pipeline.stage(NetworkStage.self).map { $0.flatUniform ? "flat" : "as-predicted" }
        case "network-place": return pipeline.stage(NetworkStage.self)?.placement.rawValue
        case "prior": return "0"
        case "prior-radius": return String(prior.radius)
        case "prior-confidence": return String(prior.confidence ?? 0)
        default: return nil
        }
    }

    /// The values of every stage override given on the command line.
    static func overrideValues(_ arguments: ParsedArguments) -> [String: String] {
        ModelOptions.values(arguments, Pipeline.overrides)
    }

    static func run(_ arguments: ParsedArguments) throws {
        let output = try arguments.required("output", command: spec)
        let exporting = arguments.flag("export-checkpoint")
        guard let imagesFolder = arguments.value("images") ?? (exporting ? "" : nil) else {
            throw UsageError("Missing expected argument '--images <folder>'.", command: spec)
        }
        let work = arguments.value("work") ?? output + ".work"
        // No training or validation image may become the output.
        let imageList = exporting ? [] : try TrainingImages.list(imagesFolder)
        let validFolder = arguments.value("valid")
        let validList = try validFolder.map(TrainingImages.list) ?? []
        try FileIO.checkOutput(output, inputs: imageList + validList)
        (imageList + validList).forEach(FileIO.protect)
        try FileSystem.createDirectories(work)
        let samples = try arguments.int("samples", default: 2_000_000, in: 1...1_000_000_000, command: spec)
        let validSamples = try arguments.int("valid-samples", default: 20_000, in: 1...100_000_000, command: spec)
        let hidden = try BenchNet.intList(arguments.value("hidden") ?? "1024,1024", option: "hidden", range: 1...16384, spec: spec)
        let batch = try arguments.int("batch", default: 256, in: 1...65536, command: spec)
        let learningRate = try arguments.double("learning-rate", default: 0.0005, in: 1e-9...10, command: spec)
        var warmup = try arguments.int("warmup", default: 500, in: 0...100_000_000, command: spec)
        let qualityText = arguments.value("quality") ?? "85"
        guard let qualities = ModelCoverage.parseQualities(qualityText) else {
            throw UsageError("The value '\(qualityText)' is invalid for '--quality': expected qualities 1…100 or ranges like 50-98, comma-separated.", command: spec)
        }
        let subsamplingText = arguments.value("subsampling") ?? "4:2:0"
        let subsamplingNames = subsamplingText.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let subsamplings = try subsamplingNames.map(CompressCommand.subsampling)
        var mix = DegradationMix(qualities: qualities, subsamplings: subsamplings)
        mix.customTables = Float(try arguments.double("custom-tables", default: 0, in: 0...1, command: spec))
        mix.earlier = Float(try arguments.double("re-encoded", default: 0, in: 0...1, command: spec))
        mix.downscale = Float(try arguments.double("downscale", default: 0, in: 0...1, command: spec))
        // A model for one plain degradation is made as before; any mix makes a quality-aware
        // model, which reads the file's quantization beside its pixels.
        let fixed = mix.fixed
        let quantizationInputs = fixed == nil
        let quality = qualities[0].lowerBound
        let coverage = ModelCoverage(qualities: qualities, subsamplings: Array(Set(subsamplingNames)).sorted(),
                                     customTables: mix.customTables > 0)
        let threads = try arguments.int("threads", default: FileSystem.processorCount, in: 1...256, command: spec)
        let seed = UInt64(try arguments.int("seed", default: 1, in: 0...Int.max, command: spec))
        let checkpointEvery = try arguments.int("checkpoint-every", default: 1000, in: 1...Int.max, command: spec)
        let degradation = fixed ?? Degradation(quality: quality, subsampling: subsamplings[0])
        let window = try arguments.int("window", default: 24, in: 8...64, command: spec)
        let core = try arguments.int("core", default: 8, in: 8...64, command: spec)
        guard core % 8 == 0, core <= window, (window - core) % 2 == 0 else {
            throw UsageError("The values '--window \(window) --core \(core)' are invalid: the core must be a multiple of 8 (whole JPEG blocks), at most the window, and window − core even.", command: spec)
        }
        let geometry = WindowGeometry(windowSize: window, coreSize: core, stride: core)
        // The pipeline the model is trained for: the defaults with the command's overrides.
        var pipeline = defaultPipeline(geometry: geometry)
        do { try pipeline.apply(overrides: overrideValues(arguments), trainingOnly: true) }
        catch { throw UsageError(error.message, command: spec) }
        if quantizationInputs, var network = pipeline.stage(NetworkStage.self) {
            network.quantizationInputs = true
            pipeline.insert(network)
        }
        let prior = pipeline.stage(PriorStage.self)?.options
        let keepEasy = try arguments.double("keep-easy", default: 1, in: 0...1, command: spec)
        guard keepEasy > 0 else { throw UsageError("The value '0' is invalid for '--keep-easy': expected a share above 0 and at most 1.", command: spec) }
        let errorWeightFloor = try arguments.double("error-weighting", in: 0.01...100, command: spec)
        // Pairs made differently get different files; the defaults keep the original names.
        // The prior's parameters are part of the name: "-p2l" is the first low-resolution prior
        // (radius 1, no confidence weighting); later defaults add their radius and confidence,
        // and a prior that falls back where its model fits badly adds "f" and its τ.
        let priorTag: String = prior.map { o in
            let legacy = o.radius == 1 && o.epsilon == 1 && o.confidence == nil
            return "-p\(o.iterations)l" + (legacy ? "" : "r\(o.radius)e\(o.epsilon)c\(o.confidence ?? 0)")
                + (o.fallback.map { "f\($0)" } ?? "")
        } ?? ""
        let mixTag = fixed != nil ? "" : "-qf" + (mix.customTables > 0 ? "-c\(mix.customTables)" : "")
            + (mix.earlier > 0 ? "-r\(mix.earlier)" : "") + (mix.downscale > 0 && mix.earlier > 0 ? "-d\(mix.downscale)" : "")
        // A late network reads the classical stages' output: other pairs, made on threads.
        let late = pipeline.stage(NetworkStage.self)?.placement == .late
        let classicalTag = late ? "-late" + PairFiles.digest(ofStagesBeforeNetworkIn: pipeline).prefix(6) : ""
        let pairMix: DegradationMix? = fixed == nil ? mix : late ? DegradationMix(degradation) : nil
        let passes = try arguments.int("passes", default: max(1, min(32, samples / 50_000)), in: 1...1000, command: spec)
        let passTag = arguments.value("passes") != nil ? "-x\(passes)" : ""
        let variant = priorTag + classicalTag + (keepEasy < 1 ? "-e\(keepEasy)" : "") + (errorWeightFloor.map { "-w\($0)" } ?? "") + mixTag + passTag
        let settings = "q\(qualityText.replacing(",", with: "+"))-\(subsamplingText.filter { $0 != ":" }.replacing(",", with: "+"))-w\(geometry.windowSize)" + (core == 8 ? "" : "c\(core)")
        var trainName = "train-\(settings)-n\(samples)-s\(seed)\(variant)-i\(PairFiles.digest(of: imageList).prefix(8)).pairs"
        var validName = "valid-\(settings)-n\(validSamples)-s\(seed)\(priorTag)\(classicalTag)\(mixTag)-i\(PairFiles.digest(of: validList).prefix(8)).pairs"
        let checkpointPath = OSPath.join(work, "checkpoint.unjc")

        if exporting {
            let trainer: Trainer
            do { trainer = try Trainer(checkpoint: try FileSystem.read(checkpointPath)) }
            catch { throw RuntimeError("\(checkpointPath): \(error)") }
            var model = trainer.model
            // Keep the prior and the network's windows (the network must see what it was trained
            // on); the stages after the network are the defaults with the command's overrides.
            let trained: Pipeline
            do { trained = try Pipeline(metadata: model.metadata) }
            catch { throw RuntimeError("\(checkpointPath): \(error)") }
            var exported = defaultPipeline(prior: trained.stage(PriorStage.self)?.options)
            if let network = trained.stage(NetworkStage.self) { exported.insert(network) }
            do { try exported.apply(overrides: ModelOptions.values(arguments, ModelOptions.overrides)) }
            catch { throw UsageError(error.message, command: spec) }
            model.metadata = Pipeline.replacingRecipe(in: model.metadata, with: exported)
            try FileIO.write(ModelFile.serialize(model, precision: arguments.flag("float32") ? .float32 : .float16), to: output)
            Terminal.writeError("wrote \(output) from the checkpoint at step \(trainer.step)\n")
            return
        }

        // A resumed run trains on the pairs its checkpoint was made with, whatever the
        // command line's data options say (it reports a difference).
        var resumed: Trainer?
        if arguments.flag("resume"), FileSystem.exists(checkpointPath) {
            do { resumed = try Trainer(checkpoint: try FileSystem.read(checkpointPath)) }
            catch { throw RuntimeError("\(checkpointPath): \(error)") }
            let meta = resumed!.model.metadata
            for (key, name) in [("unjpeg.training.pairs", trainName), ("unjpeg.training.valid_pairs", validName)] {
                guard let recorded = meta[key], recorded != name else { continue }
                Terminal.writeError("note: resuming with the checkpoint's pairs '\(recorded)', not '\(name)' (the data options differ from the checkpoint's).\n")
                if key == "unjpeg.training.pairs" { trainName = recorded } else { validName = recorded }
            }
        }
        let trainPath = OSPath.join(work, trainName)
        let validPath = OSPath.join(work, validName)

        // 1. Pairs on disk (reused when present: the name holds every setting that changes a pair).
        if !FileSystem.exists(trainPath) {
            guard resumed == nil else { throw RuntimeError("Cannot resume: the checkpoint's training pairs '\(trainPath)' are gone.") }
            Terminal.writeError("making \(samples) training pairs from \(imageList.count) images…\n")
            try PairFiles.generate(images: imageList, count: samples, passes: passes,
                                   degradation: degradation, geometry: geometry, pipeline: pipeline, seed: seed, augment: true,
                                   to: trainPath, label: "pairs", keepEasy: Float(keepEasy), errorWeightFloor: errorWeightFloor,
                                   mix: pairMix, quantizationInputs: quantizationInputs, threads: threads)
        }
        var training = try PairShardDataset(path: trainPath)
        var validation: PairShardDataset?
        if validFolder != nil {
            if !FileSystem.exists(validPath) {
                try PairFiles.generate(images: validList, count: validSamples, passes: 1,
                                       degradation: degradation, geometry: geometry, pipeline: pipeline, seed: seed &+ 1,
                                       augment: true, to: validPath, label: "validation pairs",
                                       mix: pairMix, quantizationInputs: quantizationInputs, threads: threads)
            }
            validation = try PairShardDataset(path: validPath)
        }

        // 2. The trainer: resumed, or new with normalisation fitted on the data.
        var trainer: Trainer
        if var resumed {
            resumed.threads = threads
            trainer = resumed
            Terminal.writeError("resuming at step \(trainer.step) of \(trainer.configuration.maxSteps ?? 0)\n")
        } else {
            // The network adds its output to the window's central block (a residual connection)
            // and predicts the clean block on the input's scale, whose pixels are clipped to
            // 0…255 when used: the loss does not punish a prediction beyond 255 (or 0) where the
            // original is 255 (or 0), so flat white can come back exactly white.
            let residual = Model.centralCropIndices(height: geometry.windowSize, width: geometry.windowSize, channels: 3,
                                                    cropHeight: geometry.coreSize, cropWidth: geometry.coreSize)
            var model = Model(layerSizes: [training.inputSize] + hidden + [training.outputSize],
                              residualInputIndices: residual, seed: seed)
            model.inputNormalization = try training.fitInputNormalization(kind: .global, limit: 100_000)
            model.outputScaling = try training.fitOutputScaling(kind: .global, residualInputIndices: residual, limit: 100_000)
            model.metadata = pipeline.metadata().merging(coverage.metadata()) { _, new in new }
            if mix.earlier > 0 { model.metadata["unjpeg.training.re_encoded"] = String(mix.earlier) }
            model.metadata["unjpeg.training.images"] = OSPath.lastComponent(imagesFolder)
            model.metadata["unjpeg.training.samples"] = String(samples)
            model.metadata["unjpeg.training.pairs"] = trainName
            if validation != nil { model.metadata["unjpeg.training.valid_pairs"] = validName }
            model.metadata["unjpeg.training.hidden"] = hidden.map(String.init).joined(separator: ",")
            if keepEasy < 1 { model.metadata["unjpeg.training.keep_easy"] = String(keepEasy) }
            if let errorWeightFloor { model.metadata["unjpeg.training.error_weighting"] = String(errorWeightFloor) }
            var steps: Int
            if let text = arguments.value("steps") {
                guard let s = Int(text), s >= 1 else { throw UsageError("The value '\(text)' is invalid for '--steps': expected a positive integer.", command: spec) }
                steps = s
            } else {
                let minutes = try arguments.double("minutes", default: 20, in: 0.01...100_000, command: spec)
                steps = try calibrateSteps(model: model, data: &training, batch: batch, threads: threads, minutes: minutes)
            }
            if steps <= warmup && arguments.value("warmup") != nil {
                throw UsageError("--warmup \(warmup) must be shorter than the \(steps) training steps.", command: spec)
            }
            if steps <= warmup {
                let shortened = steps / 10
                Terminal.writeError("note: the warm-up (\(warmup) steps) is not shorter than --steps \(steps); it is shortened to \(shortened) steps (a tenth). Set --warmup to choose.\n")
                warmup = shortened
            }
            var configuration = TrainerConfiguration(
                batchSize: batch, optimizer: .adam(), learningRate: Float(learningRate),
                schedule: .cosine(totalSteps: steps, warmupSteps: warmup, finalFactor: 0),
                shuffle: .blocks(size: 1 << 16), maxEpochs: nil, maxSteps: steps,
                validationBatchSize: 1024, threads: threads, seed: seed,
                outputBounds: OutputBounds(lower: (0 - 128) / 64, upper: (255 - 128) / 64))
            configuration.maxEpochs = nil
            model.metadata["unjpeg.training.steps"] = String(steps)
            trainer = Trainer(model: model, configuration: configuration)
            Terminal.writeError("training \(model.layerSizes.map(String.init).joined(separator: "→")) for \(steps) steps of \(batch)\n")
        }

        // 3. Train with progress, checkpoints and a log line a minute when not on a terminal.
        let total = trainer.configuration.maxSteps ?? 1
        let progress = ProgressBar(label: "train", total: total)
        let start = ContinuousClock.now
        var lastLog = ContinuousClock.now
        var smoothed: Double?
        let startStep = trainer.step
        let hooks = TrainingHooks(
            onStep: { report in
                smoothed = smoothed.map { 0.99 * $0 + 0.01 * Double(report.loss) } ?? Double(report.loss)
                let elapsed = (ContinuousClock.now - start).seconds
                let rate = Double((report.step - startStep) * batch) / max(elapsed, 1e-9)
                let detail = "loss " + NumberFormat.c("%.5f", smoothed ?? 0) + " lr " + NumberFormat.c("%.2e", Double(report.learningRate))
                    + " " + NumberFormat.c("%.0f", rate) + " samples/s"
                progress.update(report.step, detail: detail)
                if !Terminal.stderrIsTerminal, (ContinuousClock.now - lastLog).seconds >= 60 {
                    lastLog = ContinuousClock.now
                    Terminal.writeError("step \(report.step)/\(total) \(detail)\n")
                }
                return .proceed
            },
            onEpoch: { report in
                progress.finish()
                Terminal.writeError("epoch \(report.epoch): training loss \(report.trainingLoss)" +
                                    (report.validationLoss.map { ", validation loss \($0)" } ?? "") + "\n")
            },
            checkpointEvery: checkpointEvery,
            onCheckpoint: { bytes in try FileIO.write(bytes, to: checkpointPath) })
        let summary: TrainingSummary
        if var validation {
            summary = try trainer.train(on: &training, validation: &validation, hooks: hooks)
        } else {
            summary = try trainer.train(on: &training, hooks: hooks)
        }
        progress.finish()
        try FileIO.write(trainer.checkpoint(), to: checkpointPath)
        var model = trainer.model
        model.metadata["unjpeg.training.seconds"] = String(Int((ContinuousClock.now - start).seconds))
        if var validation {
            let loss = try model.meanSquaredError(on: &validation, batchSize: 1024, threads: threads)
            model.metadata["unjpeg.training.validation_mse"] = String(loss)
            Terminal.writeError("validation MSE \(loss) (residual scale 1/64)\n")
        }
        try FileIO.write(ModelFile.serialize(model, precision: arguments.flag("float32") ? .float32 : .float16), to: output)
        Terminal.writeError("wrote \(output) after \(summary.steps) steps (\(summary.stopReason))\n")
    }

    /// Steps that fit in `minutes`, from the speed of a few steps on a scratch copy.
    static func calibrateSteps(model: Model, data: inout PairShardDataset, batch: Int, threads: Int,
                               minutes: Double) throws -> Int {
        var scratch = Trainer(model: model, configuration: TrainerConfiguration(batchSize: batch, threads: threads))
        var x = [Float](repeating: 0, count: batch * data.inputSize)
        var y = [Float](repeating: 0, count: batch * data.outputSize)
        try x.withUnsafeMutableBufferPointer { xp in
            try y.withUnsafeMutableBufferPointer { yp in
                try data.load(indices: Array(0..<min(batch, data.count))[...], inputs: xp, targets: yp)
            }
        }
        _ = scratch.step(inputs: x, targets: y, count: min(batch, data.count))
        let start = ContinuousClock.now
        var n = 0
        repeat {
            _ = scratch.step(inputs: x, targets: y, count: min(batch, data.count))
            n += 1
        } while (ContinuousClock.now - start).seconds < 3
        let perStep = (ContinuousClock.now - start).seconds / Double(n)
        // Data loading and checkpoints cost a little more than the pure steps.
        return max(1, Int(minutes * 60 / (perStep * 1.08)))
    }
}
