import JPEGCodec
import Linalg
import Net

/// Makes a training set of (degraded window, clean block) records from clean images: every
/// pass re-encodes every image (``Degradation``: our encoder, byte-identical with Pillow) at a
/// random 0–7 px shift of the 8×8 grid, decodes it, runs the pipeline's stages before the
/// network (the prior), and draws windows — with random flips and quarter turns — in
/// proportion to the image's area; records are shuffled in blocks before they are emitted.
/// Reproducible from `seed`. No files: the caller stores what ``generate(emit:progress:)`` emits.
public struct PairGenerator: Sendable {
    public var images: [RasterImage]
    /// Records to make in all.
    public var count: Int
    /// Passes over the images (each with new shifts and windows).
    public var passes: Int
    public var degradation: Degradation
    /// Degradations drawn per image and pass; nil: always ``degradation``, drawn in the
    /// first generator's order (so pair files of earlier models can be made again).
    public var mix: DegradationMix?
    /// Records carry the file's ``QuantizationFeatures`` (a quality-aware model).
    public var quantizationInputs: Bool
    /// Threads for the images of a mix (the output does not depend on it).
    public var threads: Int
    public var format: PairRecordFormat
    public var geometry: WindowGeometry
    /// What the network sees before it runs: the stages of this pipeline before the network.
    public var pipeline: Pipeline
    public var seed: UInt64
    /// Random shifts, windows, flips and turns (false: every window in grid order, unshifted).
    public var augment: Bool
    /// Share of the windows the plain decode already gets within 1 level RMS that are kept (0…1].
    public var keepEasy: Float
    /// Records per shuffled block (the default: about 256 MB of records).
    public var shuffleBlock: Int
    /// Each image's share of the records relative to its area (nil: every image by its area
    /// alone); see ``inverseErrorWeights(images:degradation:floor:threads:)``.
    public var imageWeights: [Double]?

    public init(images: [RasterImage], count: Int, passes: Int, degradation: Degradation, geometry: WindowGeometry,
                pipeline: Pipeline, seed: UInt64, augment: Bool = true, keepEasy: Float = 1,
                mix: DegradationMix? = nil, quantizationInputs: Bool = false, threads: Int = 1) {
        precondition(images.allSatisfy { $0.channels == 3 }, "training images are RGB")
        self.images = images
        self.count = count
        self.passes = max(passes, 1)
        self.degradation = degradation
        self.mix = mix
        self.quantizationInputs = quantizationInputs
        self.threads = max(threads, 1)
        self.geometry = geometry
        self.format = PairRecordFormat(windowSize: geometry.windowSize, targetSize: geometry.coreSize, channels: 3,
                                       sideBytes: quantizationInputs ? QuantizationFeatures.count : 0)
        self.pipeline = pipeline
        self.seed = seed
        self.augment = augment
        self.keepEasy = keepEasy
        self.shuffleBlock = max(1, (256 << 20) / format.recordBytes)
    }

    /// Generates the records; `emit(records, n)` receives shuffled blocks of `n` records,
    /// `progress(done)` the number of records made so far.
    public func generate(emit: ([UInt8], Int) throws -> Void, progress: (Int) -> Void = { _ in }) throws {
        var rng = SplitMix64(seed: seed)
        precondition(imageWeights.map { $0.count == images.count && $0.allSatisfy { $0 > 0 && $0.isFinite } } ?? true,
                     "one positive weight per image")
        let areas = images.indices.map { Double(images[$0].width * images[$0].height) * (imageWeights?[$0] ?? 1) }
        let totalArea = areas.reduce(0, +)
        let recordBytes = format.recordBytes
        var block: [UInt8] = []
        var blockCount = 0
        func flush() throws {
            guard blockCount > 0 else { return }
            // Fisher–Yates over records.
            var order = Array(0..<blockCount)
            for i in stride(from: blockCount - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
            var shuffled = [UInt8](repeating: 0, count: blockCount * recordBytes)
            block.withUnsafeBufferPointer { src in
                shuffled.withUnsafeMutableBufferPointer { dst in
                    for (to, from) in order.enumerated() {
                        UnsafeMutableRawPointer(dst.baseAddress! + to * recordBytes)
                            .copyMemory(from: src.baseAddress! + from * recordBytes, byteCount: recordBytes)
                    }
                }
            }
            try emit(shuffled, blockCount)
            block.removeAll(keepingCapacity: true)
            blockCount = 0
        }
        // Adds the first `n` of the records in `bytes`, block by block, so a shuffle block never
        // exceeds its size.
        func feed(_ bytes: [UInt8], _ n: Int) throws {
            var done = 0
            while done < n {
                let m = min(n - done, shuffleBlock - blockCount)
                block += bytes[(done * recordBytes)..<((done + m) * recordBytes)]
                blockCount += m
                done += m
                if blockCount == shuffleBlock { try flush() }
            }
        }
        let options = TrainingPairOptions(geometry: geometry, output: .centralBlock, target: .residual,
                                          normalization: format.normalization, flips: augment, quarterTurns: augment)
        var remaining = count
        if mix != nil || quantizationInputs {
            // Each image of each pass gets its own seed, drawn in order, so the images can be
            // degraded on several threads and the records still come out the same.
            let mix = self.mix ?? DegradationMix(degradation)
            for pass in 0..<passes {
                var order = Array(images.indices)
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
                // Shares in proportion to area, rounded along the cumulative sum from a random
                // offset: each pass makes exactly its part of `count`.
                let passCount = Double(count * (pass + 1) / passes - count * pass / passes)
                let offset = Double(rng.nextUnitFloat())
                var jobs: [(image: Int, want: Int, seed: UInt64)] = []
                var cumulative = 0.0, previous = Int(offset.rounded(.down))
                for index in order {
                    cumulative += areas[index] / totalArea
                    let next = Int((passCount * cumulative + offset).rounded(.down))
                    jobs.append((index, next - previous, rng.next()))
                    previous = next
                }
                let chunk = 4 * threads
                var first = 0
                while first < jobs.count && remaining > 0 {
                    let slice = Array(jobs[first..<min(first + chunk, jobs.count)])
                    first += slice.count
                    let results = try recordsInParallel(slice, mix: mix, options: options)
                    for (bytes, n) in results {
                        let take = min(n, remaining)
                        try feed(bytes, take)
                        remaining -= take
                        progress(count - remaining)
                    }
                }
            }
            try flush()
            return
        }
        for _ in 0..<passes {
            var order = Array(images.indices)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
            for index in order {
                let share = Double(count) / Double(passes) * areas[index] / totalArea
                var want = Int(share.rounded(.down))
                if rng.nextUnitFloat() < Float(share - Double(want)) { want += 1 }
                want = min(want, remaining)
                guard want > 0 else { continue }
                let (bytes, made) = try records(image: index, want: want, degradation: { _ in degradation }, using: &rng,
                                                options: options)
                try feed(bytes, made)
                remaining -= made
                progress(count - remaining)
            }
        }
        try flush()
    }
}

extension PairGenerator {
    /// Per image, 1 / (MSE + `floor`): its plain decode's mean squared error (RGB, level²)
    /// after `degradation`, made once, unshifted, on `threads` threads (the values do not
    /// depend on it).
    ///
    /// Why: the pipeline is judged by the mean over images of the PSNR gain, and an image's
    /// gain in dB is about 4.34 × the share of its error removed — the same squared error
    /// counts 1 / MSE as much in a clean screenshot as in a noisy photo. Records in proportion
    /// to area × this weight make the training loss weigh errors as that mean does (`floor`
    /// keeps a nearly lossless image from taking every record).
    public static func inverseErrorWeights(images: [RasterImage], degradation: Degradation, floor: Double,
                                           threads: Int = 1) throws -> [Double] {
        precondition(floor > 0, "the floor must be positive")
        return try inParallel(images.count, threads: threads) { i in
            let (clean, degraded) = try degradation.apply(toClean: images[i])
            return 1 / (Metrics.meanSquaredError(clean, degraded.image) + floor)
        }
    }

    /// `body(i)` for every `i` in `0..<count` on at most `threads` threads, the values in index
    /// order; the first error (by index) is rethrown after all have run.
    private static func inParallel<T>(_ count: Int, threads: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        guard count > 0 else { return [] }
        let slots = UnsafeMutableBufferPointer<Result<T, Error>>.allocate(capacity: count)
        defer { slots.deinitialize(); slots.deallocate() }
        let out = Slots(base: slots.baseAddress!)
        // Each index initializes its own slot, once.
        parallelForEach(count, threads: threads) { i in
            (out.base + i).initialize(to: Result { try body(i) })
        }
        return try slots.map { try $0.get() }
    }

    /// The records of each job (image, records wanted, seed), made on `threads` threads.
    private func recordsInParallel(_ jobs: [(image: Int, want: Int, seed: UInt64)], mix: DegradationMix,
                                   options: TrainingPairOptions) throws -> [([UInt8], Int)] {
        let work = self
        return try Self.inParallel(jobs.count, threads: min(threads, jobs.count) > 1 ? jobs.count : 1) { j in
            let job = jobs[j]
            return try work.records(image: job.image, want: job.want, seed: job.seed, mix: mix, options: options)
        }
    }

    /// The records of one image, from its own seed: ``records(image:want:degradation:using:options:)``
    /// with a degradation drawn from `mix`.
    func records(image index: Int, want: Int, seed: UInt64, mix: DegradationMix,
                 options: TrainingPairOptions) throws -> ([UInt8], Int) {
        var rng = SplitMix64(seed: seed)
        return try records(image: index, want: want, degradation: { mix.draw(using: &$0) }, using: &rng, options: options)
    }

    /// The records of one image: a shift of the grid, a degradation (drawn after the shift),
    /// the prior, and `want` windows (fewer when keep-easy runs out of hard ones), drawn from
    /// `rng` in that order.
    func records(image index: Int, want: Int, degradation draw: (inout SplitMix64) -> Degradation,
                 using rng: inout SplitMix64, options: TrainingPairOptions) throws -> ([UInt8], Int) {
        guard want > 0 else { return ([], 0) }
        var clean = images[index]
        if augment {
            let dx = rng.nextInt(below: 8), dy = rng.nextInt(below: 8)
            if clean.width > dx + 8 && clean.height > dy + 8 {
                clean = clean.cropped(x: dx, y: dy, width: clean.width - dx, height: clean.height - dy)
            }
        }
        let degradation = draw(&rng)
        let (target, decoded) = try degradation.apply(toClean: clean)
        let degraded = pipeline.networkInput(decoded)
        let source = TrainingPairSource(clean: target, degraded: degraded, options: options)
        let batch = !augment ? source.pairs(windows: 0..<min(want, source.windowCount))
            : keepEasy < 1 ? source.samplePairs(count: want, using: &rng, keepEasy: keepEasy)
            : source.samplePairs(count: want, using: &rng)
        var bytes: [UInt8] = []
        format.append(batch, side: quantizationInputs ? QuantizationFeatures(decoded) : nil, to: &bytes)
        return (bytes, batch.count)
    }
}

/// Result slots written by several threads, each slot by one (hence `@unchecked`).
private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Result<T, Error>>
}

extension TrainingBatch {
    /// Pairs `range` of this batch.
    public func slice(_ range: Range<Int>) -> TrainingBatch {
        TrainingBatch(count: range.count, inputSize: inputSize, targetSize: targetSize,
                      inputs: Array(inputs[(range.lowerBound * inputSize)..<(range.upperBound * inputSize)]),
                      targets: Array(targets[(range.lowerBound * targetSize)..<(range.upperBound * targetSize)]),
                      transposed: transposed.isEmpty ? [] : Array(transposed[range]))
    }
}
