import Cleaner
import JPEGCodec
import Linalg
import Net

/// Folders of clean training images.
enum TrainingImages {
    /// The PNG, PPM and JPEG files of `folder`, sorted by name.
    static func list(_ folder: String) throws -> [String] {
        guard FileSystem.isDirectory(folder) else {
            throw RuntimeError("'\(folder)' is not a folder.")
        }
        let names = try FileSystem.list(folder)
            .filter { ["png", "ppm", "jpg", "jpeg"].contains(OSPath.pathExtension($0)) }
        guard !names.isEmpty else { throw RuntimeError("'\(folder)' holds no PNG, PPM or JPEG images.") }
        return names.map { OSPath.join(folder, $0) }
    }

    /// A clean image as RGB (gray expanded).
    static func load(_ path: String) throws -> RasterImage {
        var image = try ImageFile.load(path, maxPixels: 512_000_000).image
        if image.channels == 1 {
            image = RasterImage(width: image.width, height: image.height, channels: 3,
                                pixels: image.pixels.flatMap { [$0, $0, $0] })
        }
        return image
    }
}

/// Makes the on-disk training set: every pass re-encodes every image at a random 0–7 px grid
/// shift (our encoder = Pillow's bytes), decodes it, and draws windows (with flips and turns)
/// in proportion to the image's area; records are shuffled in memory blocks before writing.
enum PairGeneration {
    static func generate(images: [String], count: Int, passes: Int, degradation: Degradation,
                         geometry: WindowGeometry, seed: UInt64, augment: Bool, to path: String,
                         label: String, prior: GuidedChroma.Options? = nil, keepEasy: Float = 1) throws {
        var rng = SplitMix64(seed: seed)
        let cleanImages = try images.map(TrainingImages.load)
        let areas = cleanImages.map { Double($0.width * $0.height) }
        let totalArea = areas.reduce(0, +)
        let writer = try PairShardWriter(path: path, windowSize: geometry.windowSize,
                                         targetSize: geometry.coreSize, channels: 3)
        let recordBytes = writer.header.recordBytes
        let blockRecords = max(1, (256 << 20) / recordBytes)   // ~256 MB shuffle blocks
        var block: [UInt8] = []
        block.reserveCapacity(blockRecords * recordBytes)
        var blockCount = 0
        let progress = ProgressBar(label: label, total: count)
        func flush() throws {
            guard blockCount > 0 else { return }
            // Fisher–Yates over records.
            var order = Array(0..<blockCount)
            for i in stride(from: blockCount - 1, to: 0, by: -1) {
                let j = rng.nextInt(below: i + 1)
                order.swapAt(i, j)
            }
            var shuffled = [UInt8](repeating: 0, count: blockCount * recordBytes)
            block.withUnsafeBufferPointer { src in
                shuffled.withUnsafeMutableBufferPointer { dst in
                    for (to, from) in order.enumerated() {
                        UnsafeMutableRawPointer(dst.baseAddress! + to * recordBytes)
                            .copyMemory(from: src.baseAddress! + from * recordBytes, byteCount: recordBytes)
                    }
                }
            }
            try writer.append(shuffled, count: blockCount)
            block.removeAll(keepingCapacity: true)
            blockCount = 0
        }
        let options = TrainingPairOptions(geometry: geometry, output: .centralBlock, target: .residual,
                                          normalization: .centred, flips: augment, quarterTurns: augment)
        let ws = geometry.windowSize, cs = geometry.coreSize, margin = geometry.margin
        let inputCount = ws * ws * 3, coreCount = cs * cs * 3
        var remaining = count
        for _ in 0..<passes {
            var order = Array(cleanImages.indices)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
            for index in order {
                let share = Double(count) / Double(passes) * areas[index] / totalArea
                var want = Int(share.rounded(.down))
                if rng.nextUnitFloat() < Float(share - Double(want)) { want += 1 }
                want = min(want, remaining)
                guard want > 0 else { continue }
                var clean = cleanImages[index]
                if augment {
                    let dx = rng.nextInt(below: 8), dy = rng.nextInt(below: 8)
                    if clean.width > dx + 8 && clean.height > dy + 8 {
                        clean = clean.cropped(x: dx, y: dy, width: clean.width - dx, height: clean.height - dy)
                    }
                }
                let decoded = try degradation.apply(to: clean)
                let degraded = prior.map { Cleaning.prior(decoded, chromaGuidance: $0) } ?? decoded.image
                let source = TrainingPairSource(clean: clean, degraded: degraded, options: options)
                let batch = !augment ? source.pairs(windows: 0..<min(want, source.windowCount))
                    : keepEasy < 1 ? source.samplePairs(count: want, using: &rng, keepEasy: keepEasy)
                    : source.samplePairs(count: want, using: &rng)
                for p in 0..<batch.count {
                    let x = batch.inputs[(p * inputCount)..<((p + 1) * inputCount)]
                    for v in x { block.append(UInt8(clamping: Int((v * 64 + 128).rounded()))) }
                    let t = batch.targets[(p * coreCount)..<((p + 1) * coreCount)]
                    var k = 0
                    for r in 0..<cs {
                        for col in 0..<(cs * 3) {
                            let d = x[x.startIndex + ((r + margin) * ws + margin) * 3 + col] * 64 + 128
                            let c = t[t.startIndex + k] * 64 + d
                            block.append(UInt8(clamping: Int(c.rounded())))
                            k += 1
                        }
                    }
                    blockCount += 1
                    if blockCount == blockRecords { try flush() }
                }
                remaining -= batch.count
                progress.update(count - remaining)
            }
        }
        try flush()
        try writer.finish()
        progress.finish()
    }
}

/// `unjpeg train`: clean images → Twitter-degraded pairs on disk → the MLP → a model file.
enum TrainCommand: Command {
    static let spec = CommandSpec(
        path: "train",
        abstract: "Train a cleaning model on a folder of clean images.",
        discussion: """
        Pairs of (degraded 24×24 window, clean central 8×8 block) are made with our encoder at
        --quality/--subsampling (byte-identical with Pillow) and written to --work (reused when it
        holds pairs made with the same settings). Training uses Adam with a cosine learning-rate
        decay over --steps (or what --minutes allows) and writes a checkpoint every
        --checkpoint-every steps; --resume continues a killed run from its last checkpoint.
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
            .value("quality", "q", help: "JPEG quality to undo.", default: "85"),
            .value("subsampling", "s", help: "Chroma subsampling to undo.", default: "4:2:0"),
            .value("threads", "n", help: "Threads (default: the cores available)."),
            .value("seed", "n", help: "Seed for weights, pairs and order.", default: "1"),
            .value("checkpoint-every", "n", help: "Steps between checkpoints.", default: "1000"),
            .value("keep-easy", "f", help: "Keep only this share (0…1) of the windows the plain decode already gets within 1 level RMS.", default: "1"),
            .flag("resume", help: "Continue from the checkpoint in --work."),
            .flag("export-checkpoint", help: "Write the model of the checkpoint in --work to -o, without training."),
            .flag("float32", help: "Store weights as Float32 (default Float16)."),
        ] + Pipeline.overrides.map { override in
            .value(override.name, override.valueName, help: override.help,
                   default: TrainCommand.defaultText(override.name, in: TrainCommand.defaultPipeline()))
        })

    /// The pipeline a new model is trained for and exported with, before the command's
    /// overrides: no prior, the network, two rounds of luma smoothing, the projection, and two
    /// rounds of guided chroma (the stages' own defaults).
    static func defaultPipeline(geometry: WindowGeometry = WindowGeometry(), prior: GuidedChroma.Options? = nil) -> Pipeline {
        Pipeline(options: CleaningOptions(geometry: geometry, residual: false, chromaGuidance: GuidedChroma.Options(iterations: 2),
                                          prior: prior, lumaSmoothing: QuantSmooth.Options(iterations: 2)))
    }

    /// What the help shows as the default of a stage override: the value the default pipeline has.
    static func defaultText(_ name: String, in pipeline: Pipeline) -> String? {
        let prior = GuidedChroma.Options()
        switch name {
        case "luma-smoothing": return String(pipeline.stage(LumaSmoothingStage.self)?.options.iterations ?? 0)
        case "luma-threshold": return pipeline.stage(LumaSmoothingStage.self).map { String($0.options.threshold) }
        case "chroma-guidance": return String(pipeline.stage(GuidedChromaStage.self)?.options.iterations ?? 0)
        case "chroma-fit": return pipeline.stage(GuidedChromaStage.self).map { $0.options.lowResolutionFit ? "low" : "full" }
        case "projection": return "all"
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
        // No training or validation image, and no file in --work, may become the output.
        var readFiles = exporting ? [] : try TrainingImages.list(imagesFolder)
        if let validFolder = arguments.value("valid") { readFiles += try TrainingImages.list(validFolder) }
        try FileIO.checkOutput(output, inputs: readFiles)
        try FileSystem.createDirectories(work)
        let samples = try arguments.int("samples", default: 2_000_000, in: 1...1_000_000_000, command: spec)
        let validSamples = try arguments.int("valid-samples", default: 20_000, in: 1...100_000_000, command: spec)
        let hidden = try BenchNet.intList(arguments.value("hidden") ?? "1024,1024", option: "hidden", range: 1...16384, spec: spec)
        let batch = try arguments.int("batch", default: 256, in: 1...65536, command: spec)
        let learningRate = try arguments.double("learning-rate", default: 0.0005, in: 1e-9...10, command: spec)
        var warmup = try arguments.int("warmup", default: 500, in: 0...100_000_000, command: spec)
        let quality = try arguments.int("quality", default: 85, in: 1...100, command: spec)
        let subsamplingText = arguments.value("subsampling") ?? "4:2:0"
        let subsampling = try CompressCommand.subsampling(subsamplingText)
        let threads = try arguments.int("threads", default: FileSystem.processorCount, in: 1...256, command: spec)
        let seed = UInt64(try arguments.int("seed", default: 1, in: 0...Int.max, command: spec))
        let checkpointEvery = try arguments.int("checkpoint-every", default: 1000, in: 1...Int.max, command: spec)
        let degradation = Degradation(quality: quality, subsampling: subsampling)
        let geometry = WindowGeometry()
        // The pipeline the model is trained for: the defaults with the command's overrides.
        var pipeline = defaultPipeline(geometry: geometry)
        do { try pipeline.apply(overrides: overrideValues(arguments), trainingOnly: true) }
        catch { throw UsageError(error.message, command: spec) }
        let prior = pipeline.stage(PriorStage.self)?.options
        let keepEasy = try arguments.double("keep-easy", default: 1, in: 0...1, command: spec)
        guard keepEasy > 0 else { throw UsageError("The value '0' is invalid for '--keep-easy': expected a share above 0 and at most 1.", command: spec) }
        // Pairs made differently get different files; the defaults keep the original names.
        // The prior's parameters are part of the name: "-p2l" is the first low-resolution prior
        // (radius 1, no confidence weighting); later defaults add their radius and confidence.
        let priorTag: String = prior.map { o in
            let legacy = o.radius == 1 && o.epsilon == 1 && o.confidence == nil
            return "-p\(o.iterations)l" + (legacy ? "" : "r\(o.radius)e\(o.epsilon)c\(o.confidence ?? 0)")
        } ?? ""
        let variant = priorTag + (keepEasy < 1 ? "-e\(keepEasy)" : "")
        let tag = "q\(quality)-\(subsamplingText.filter { $0 != ":" })-w\(geometry.windowSize)-n\(samples)-s\(seed)" + variant
        let trainPath = OSPath.join(work, "train-\(tag).pairs")
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

        // 1. Pairs on disk (reused when present).
        if !FileSystem.exists(trainPath) {
            let images = try TrainingImages.list(imagesFolder)
            Terminal.writeError("making \(samples) training pairs from \(images.count) images…\n")
            try PairGeneration.generate(images: images, count: samples, passes: max(1, min(32, samples / 50_000)),
                                        degradation: degradation, geometry: geometry, seed: seed, augment: true,
                                        to: trainPath, label: "pairs", prior: prior, keepEasy: Float(keepEasy))
        }
        var training = try PairShardDataset(path: trainPath)
        var validation: PairShardDataset?
        if let validFolder = arguments.value("valid") {
            let validPath = OSPath.join(work, "valid-q\(quality)-\(validSamples)" + priorTag + ".pairs")
            if !FileSystem.exists(validPath) {
                try PairGeneration.generate(images: try TrainingImages.list(validFolder), count: validSamples, passes: 1,
                                            degradation: degradation, geometry: geometry, seed: seed &+ 1, augment: true,
                                            to: validPath, label: "validation pairs", prior: prior)
            }
            validation = try PairShardDataset(path: validPath)
        }

        // 2. The trainer: resumed, or new with normalisation fitted on the data.
        var trainer: Trainer
        if arguments.flag("resume"), FileSystem.exists(checkpointPath) {
            do { trainer = try Trainer(checkpoint: try FileSystem.read(checkpointPath)) }
            catch { throw RuntimeError("\(checkpointPath): \(error)") }
            trainer.threads = threads
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
            model.metadata = CleaningModel.metadata(for: pipeline, quality: quality, subsampling: subsamplingText)
            model.metadata["unjpeg.training.images"] = OSPath.lastComponent(imagesFolder)
            model.metadata["unjpeg.training.samples"] = String(samples)
            model.metadata["unjpeg.training.hidden"] = hidden.map(String.init).joined(separator: ",")
            if keepEasy < 1 { model.metadata["unjpeg.training.keep_easy"] = String(keepEasy) }
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
