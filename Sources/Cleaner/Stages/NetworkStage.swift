import JPEGCodec
import Linalg

/// The network: every `stride` pixels, the window around a block (24×24 RGB by default) is
/// predicted by the model, batched through the SIMD GEMM, and the overlapping outputs are
/// averaged (Burger, Schuler & Harmeling 2012). The prediction is clipped to 0…255.
///
/// The stage describes how windows are cut and scaled; the model itself comes from the
/// ``StageContext`` (without one, e.g. `--no-network`, the stage does nothing).
public struct NetworkStage: CleaningStage, Equatable {
    public static let name = "network"
    public static let summary = "Network: every 8×8 block predicted from the 24×24 window around it by the MLP, batched through the SIMD GEMM, overlapping outputs averaged."

    public var geometry: WindowGeometry
    public var output: WindowOutput
    public var normalization: SampleNormalization
    /// The model outputs the residual `(clean − input) · scale` (true) or `normalize(clean)`.
    public var residual: Bool
    /// Per-position weights for averaging overlapping outputs, or nil for a plain mean.
    public var weights: [Float]?
    /// Windows per call of the predictor (``defaultBatchSize`` unless set).
    public var batchSize: Int
    /// 264 windows: a multiple of both GEMM kernels' tile heights (6 rows on AVX2, 8 on
    /// AVX-512), so the GEMM reads the windows in place instead of packing them and has no
    /// partial row tile — a clean costs 5–7 % less CPU than with 256 on Zen 3, with the same
    /// output (each window's row is computed alone).
    public static let defaultBatchSize = 264
    /// Changes smaller than this (levels, per sample) are dropped: the network's output is
    /// never exactly its input, and in flat areas its faint corrections only add texture.
    /// 0: every change is kept (every model before this setting).
    public var deadZone: Float = 0
    /// A window of one colour (a screenshot's flat area) gets a flat output: each channel of
    /// its prediction replaced by that channel's mean over the block. The network's output
    /// is never exactly flat, and its faint texture is texture the later stages must work on
    /// (the in-bin smoothing skips only blocks that are exactly flat) and then remove. False
    /// for every model before it.
    public var flatUniform = false
    /// The network also reads the file's quantization (``QuantizationFeatures``, appended to
    /// every window): a quality-aware model. False for every model before it.
    public var quantizationInputs = false
    /// Where the network runs in the pipeline (``Placement``). Early for every model before it.
    public var placement: Placement = .early
    /// For a late network: the components whose coefficients are clipped back into the file's
    /// bins after it (as the ``ProjectionStage``; the luma, or every component), or nil. The
    /// original lies in its bins, so this projection never moves a block's coefficients away
    /// from it; an early network is always followed by the projection stage itself.
    public var projection: ProjectionStage.Components?

    /// Where in the pipeline the network runs.
    public enum Placement: String, Sendable, CaseIterable {
        /// After the prior, before luma smoothing (the registry's place): the classical stages
        /// then work on the network's output.
        case early
        /// After the guided chroma, before the flat-area, white-point and palette stages: the
        /// network learns what the classical stages leave, on their unrounded output.
        case late
    }

    /// Values the network reads per window: the window's samples and the side input.
    public var inputsPerWindow: Int {
        geometry.windowSize * geometry.windowSize * 3 + (quantizationInputs ? QuantizationFeatures.count : 0)
    }

    public init(geometry: WindowGeometry = WindowGeometry(), output: WindowOutput = .centralBlock,
                normalization: SampleNormalization = .centred, residual: Bool = true,
                weights: [Float]? = nil, batchSize: Int = NetworkStage.defaultBatchSize) {
        precondition(batchSize >= 1, "batchSize must be ≥ 1")
        self.geometry = geometry
        self.output = output
        self.normalization = normalization
        self.residual = residual
        self.weights = weights
        self.batchSize = batchSize
    }

    /// The window reaches `margin` pixels beyond the block it predicts, plus the grid's stride.
    public var halo: Int { geometry.margin + geometry.stride }

    public func apply(to state: inout PipelineState, context: StageContext) {
        guard let predict = context.predict else { return }
        let image = state.rasterImage()
        let side = quantizationInputs && !context.quantizationFixed ? QuantizationFeatures(state.input).values : nil
        // Late, the residual is added to the classical stages' unrounded estimate (the network
        // reads it rounded to 8 bits, as it was trained).
        let base = placement == .late ? state.pixels() : nil
        defer {
            if placement == .late, let projection {
                ProjectionStage(components: projection).apply(to: &state, context: context)
            }
        }
        guard image.channels == 1, context.predictorChannels == 3 else {
            state.setPixels(predictImage(image, side: side, base: base, threads: context.threads,
                                         workers: context.windowPredictor, predict: predict))
            return
        }
        // Gray through a colour network: as R = G = B, the three predictions averaged.
        var rgb = [UInt8](repeating: 0, count: image.pixels.count * 3)
        for i in image.pixels.indices { rgb[3 * i] = image.pixels[i]; rgb[3 * i + 1] = image.pixels[i]; rgb[3 * i + 2] = image.pixels[i] }
        let predicted = predictImage(RasterImage(width: image.width, height: image.height, channels: 3, pixels: rgb),
                                     side: side, threads: context.threads, workers: context.windowPredictor, predict: predict)
        var samples = [Float](repeating: 0, count: image.pixels.count)
        for i in samples.indices {
            samples[i] = (predicted.samples[3 * i] + predicted.samples[3 * i + 1] + predicted.samples[3 * i + 2]) / 3
        }
        if let base {
            // The mean residual of the three predictions, added to the unrounded estimate.
            for i in samples.indices { samples[i] = min(max(base.samples[i] + samples[i] - Float(image.pixels[i]), 0), 255) }
        }
        state.setPixels(FloatImage(width: image.width, height: image.height, channels: 1, samples: samples))
    }

    /// The averaged prediction of the clean image on the 8-bit scale, unrounded but clipped to
    /// 0…255: windows of `image` (normalised) through `predict` in batches, overlaps averaged,
    /// residuals added back. `side`: the values appended to every window (the quantization
    /// features of a quality-aware model), or nil. `base`: the image (of `image`'s shape) the
    /// residual is added to instead of `image` itself — the unrounded estimate `image` was
    /// rounded from — or nil. `threads` share the conversion and the window extraction (the
    /// result does not depend on it). `workers`: the same model for threads that run their own
    /// batches; when the outputs do not overlap, each thread then cuts, predicts and places
    /// its own batches, with no hand-off between the steps (``predictDisjoint``).
    public func predictImage(_ image: RasterImage, side: [Float]? = nil, base: FloatImage? = nil, threads: Int = 1,
                             workers: WindowPredictor? = nil, predict: ([Float], Int) -> [Float]) -> FloatImage {
        let norm = normalization
        let input = FloatImage(image, normalization: norm, threads: threads)
        let grid = geometry.grid(width: image.width, height: image.height)
        let o = output.size(for: geometry)
        let perOutput = o * o * image.channels
        var acc = OverlapAccumulator(grid: grid, channels: image.channels, output: output, weights: weights, threads: threads)
        // A window of one colour (the flat areas of a screenshot) has the output of every other
        // window of that colour: each colour goes through the network once, in the first such
        // window, and its output is copied to the rest.
        let colours = Windows.uniformColours(of: image, grid: grid, threads: threads)
        var varying: [Int] = [], firstOfColour: [UInt32: Int] = [:], uniform: [Int] = []
        for (n, key) in colours.enumerated() {
            guard let key else { varying.append(n); continue }
            uniform.append(n)
            if firstOfColour[key] == nil { firstOfColour[key] = n }
        }
        let representatives = firstOfColour.values.sorted()
        // Likewise a window whose bytes repeat an earlier one's: when outputs do not overlap
        // (so the order they are added in does not matter), the first of each repeated content
        // is predicted, and its output is copied to every window of that content. `single`:
        // the windows whose content is theirs alone, predicted and placed directly.
        var single = varying, repeated: [Int] = [], copies: [(window: Int, row: Int)] = []
        if acc.outputsAreDisjoint {
            let first = Windows.firstRepeats(of: image, grid: grid, windows: varying, threads: threads)
            var shared = [Bool](repeating: false, count: varying.count)
            for (n, f) in first.enumerated() where f != n { shared[f] = true }
            single = []
            var rowOfFirst = [Int](repeating: 0, count: varying.count)
            for (n, f) in first.enumerated() {
                if f == n && !shared[n] { single.append(varying[n]); continue }
                if f == n { rowOfFirst[n] = repeated.count; repeated.append(varying[n]) }
                copies.append((varying[n], rowOfFirst[f]))
            }
        }
        let work = single + repeated + representatives
        // The outputs of `repeated`, then of the representatives, are kept in their order: a
        // colour → its output's row.
        var rowOfColour: [UInt32: Int] = [:]
        for (k, n) in representatives.enumerated() { if let key = colours[n] { rowOfColour[key] = repeated.count + k } }
        var kept = [Float]()
        if let workers, acc.outputsAreDisjoint {
            kept = Self.predictDisjoint(work, input: input, grid: grid, side: side, perOutput: perOutput,
                                        firstKept: single.count, into: &acc, workers: workers, threads: threads)
        } else {
            // One batch of `batchSize` windows per thread per call: the predictor splits a call's
            // windows among its threads, so each keeps whole batches (and the hand-offs between
            // extraction, prediction and accumulation happen once per `threads` batches).
            let perCall = batchSize * max(threads, 1)
            var first = 0
            while first < work.count {
                let n = min(perCall, work.count - first)
                let batch = Array(work[first..<(first + n)])
                var windows = Windows.extract(from: input, grid: grid, windows: batch, threads: threads)
                if let side { windows = Self.appending(side, to: windows, count: n) }
                let outputs = predict(windows, n)
                precondition(outputs.count == n * perOutput, "the predictor returned the wrong number of values")
                // The single windows come first in `work`, the kept ones after them.
                let plain = max(0, min(n, single.count - first))
                outputs.withUnsafeBufferPointer { acc.add($0, windows: batch[0..<plain]) }
                kept += outputs[(plain * perOutput)..<(n * perOutput)]
                first += n
            }
        }
        if flatUniform {
            let channels = image.channels, pixels = perOutput / max(channels, 1)
            for row in repeated.count..<(kept.count / perOutput) {
                for ch in 0..<channels {
                    var sum: Float = 0
                    for p in 0..<pixels { sum += kept[row * perOutput + p * channels + ch] }
                    let mean = sum / Float(pixels)
                    for p in 0..<pixels { kept[row * perOutput + p * channels + ch] = mean }
                }
            }
        }
        // Each repeated window gets its content's output and each one-colour window its
        // colour's, straight from `kept`; when the outputs do not overlap, each lands on its
        // own pixels and the threads place them.
        let placed = copies.map(\.window) + uniform
        let rows = copies.map(\.row) + uniform.map { colours[$0].flatMap { rowOfColour[$0] } ?? -1 }
        if !placed.isEmpty {
            kept.withUnsafeBufferPointer { k in
            placed.withUnsafeBufferPointer { u in
            rows.withUnsafeBufferPointer { r in
                let values = SharedInput(k), windows = SharedInput(u), row = SharedInput(r)
                let placing = acc.outputsAreDisjoint && u.count >= 1024 ? threads : 1
                acc.withAdder { adder in
                    parallelFor(0..<u.count, threads: placing) { part in
                        for n in part where row.base[n] >= 0 {
                            adder.add(values.base + row.base[n] * perOutput, window: windows.base[n])
                        }
                    }
                }
            }}}
        }
        var result = acc.result(threads: threads)
        let baseSamples = base.flatMap { $0.channels == image.channels ? $0.samples : nil } ?? []
        precondition(baseSamples.isEmpty || baseSamples.count == result.samples.count, "the base has the image's shape")
        // Each sample, in one pass (rows split among the threads): the prediction on the 8-bit
        // scale, changes under the dead zone dropped, the same change applied to the unrounded
        // base, then clipped to 0…255 — a clean image lies there, so a prediction past 255 in
        // flat white (which the bounded training loss allows) projects from 255, the original's
        // own value, instead of being pulled back into the bins from beyond it.
        let inv = 1 / norm.scale, residual = self.residual, deadZone = self.deadZone
        let rowSamples = image.width * image.channels
        image.pixels.withUnsafeBufferPointer { px in
        baseSamples.withUnsafeBufferPointer { b in
        result.samples.withUnsafeMutableBufferPointer { r in
            let pixels = SharedInput(px), based = SharedInput(b), out = SharedOutput(r), hasBase = !b.isEmpty
            RowBands.run(image.height, samplesPerRow: rowSamples, threads: threads) { rows in
                let samples = (rows.lowerBound * rowSamples)..<(rows.upperBound * rowSamples)
                // Two loops, not one with `if hasBase`: the vectoriser turns that branch into a
                // masked load of the base, and without a base every such load points past an
                // empty array — on AMD Zen each one then takes a fault-suppression assist
                // (perf: 8.6 % of a photo's whole clean in this loop).
                // Sample i's decode and its prediction (changes under the dead zone dropped).
                @inline(__always) func predicted(_ i: Int) -> (decoded: Float, value: Float) {
                    let decoded = Float(pixels.base[i])
                    var v = residual ? decoded + out.base[i] * inv : norm.denormalize(out.base[i])
                    if deadZone > 0, abs(v - decoded) < deadZone { v = decoded }
                    return (decoded, v)
                }
                if hasBase {
                    for i in samples {
                        let p = predicted(i)
                        out.base[i] = min(max(based.base[i] + (p.value - p.decoded), 0), 255)
                    }
                } else {
                    for i in samples { out.base[i] = min(max(predicted(i).value, 0), 255) }
                }
            }
        }}}
        return result
    }

    /// `count` rows of `windows` with `side` appended to each.
    static func appending(_ side: [Float], to windows: [Float], count: Int) -> [Float] {
        let w = windows.count / max(count, 1), row = w + side.count
        var out = [Float](repeating: 0, count: count * row)
        out.withUnsafeMutableBufferPointer { o in
            windows.withUnsafeBufferPointer { x in
                side.withUnsafeBufferPointer { s in
                    for r in 0..<count {
                        UnsafeMutableBufferPointer(rebasing: o[(r * row)..<(r * row + w)])
                            .update(fromContentsOf: x[(r * w)..<((r + 1) * w)])
                        UnsafeMutableBufferPointer(rebasing: o[(r * row + w)..<((r + 1) * row)]).update(fromContentsOf: s)
                    }
                }
            }
        }
        return out
    }

    static let prefix = "unjpeg.network."

    public func metadata() -> [String: String] {
        let p = Self.prefix
        return [p + "window": String(geometry.windowSize), p + "core": String(geometry.coreSize),
                p + "stride": String(geometry.stride), p + "output": output == .centralBlock ? "central" : "full",
                p + "residual": residual ? "yes" : "no",
                p + "offset": String(normalization.offset), p + "scale": String(normalization.scale)]
            .merging(deadZone > 0 ? [p + "dead_zone": String(deadZone)] : [:]) { a, _ in a }
            .merging(flatUniform ? [p + "uniform": "flat"] : [:]) { a, _ in a }
            .merging(quantizationInputs ? [p + "inputs": "window,quantization"] : [:]) { a, _ in a }
            .merging(placement == .late ? [p + "place": placement.rawValue] : [:]) { a, _ in a }
            .merging(placement == .late && projection != nil ? [p + "projection": projection?.rawValue ?? ""] : [:]) { a, _ in a }
    }

    /// Window 8…64 pixels, core 1…window (same parity), stride 1…core but no finer than a
    /// quarter of the core (a stride of 1 on a 24-pixel window makes minutes of work per
    /// image), offset within 0…255, scale 1/1024…1 (a model sees 8-bit samples on a scale of
    /// order 1/64; 1e-45 is not a scale).
    public init(metadata meta: [String: String]) throws(CleaningModelError) {
        let p = Self.prefix
        func int(_ key: String, _ range: ClosedRange<Int>) throws(CleaningModelError) -> Int {
            guard let text = meta[p + key], let value = Int(text), range.contains(value) else {
                throw .invalidMetadata(key: p + key, value: meta[p + key])
            }
            return value
        }
        func float(_ key: String, _ range: ClosedRange<Float>) throws(CleaningModelError) -> Float {
            guard let text = meta[p + key], let value = Float(text), value.isFinite, range.contains(value) else {
                throw .invalidMetadata(key: p + key, value: meta[p + key])
            }
            return value
        }
        let window = try int("window", 8...64)
        let core = try int("core", 1...window)
        guard (window - core) % 2 == 0 else { throw .invalidMetadata(key: p + "core", value: meta[p + "core"]) }
        let stride = try int("stride", max(1, core / 4)...core)
        let output: WindowOutput
        switch meta[p + "output"] {
        case "central": output = .centralBlock
        case "full": output = .fullWindow
        default: throw .invalidMetadata(key: p + "output", value: meta[p + "output"])
        }
        guard let residual = meta[p + "residual"], residual == "yes" || residual == "no" else {
            throw .invalidMetadata(key: p + "residual", value: meta[p + "residual"])
        }
        self.init(geometry: WindowGeometry(windowSize: window, coreSize: core, stride: stride), output: output,
                  normalization: SampleNormalization(offset: try float("offset", 0...255), scale: try float("scale", 1.0 / 1024...1)),
                  residual: residual == "yes")
        if let text = meta[p + "dead_zone"] {
            guard let d = Float(text), d.isFinite, d >= 0, d <= 8 else { throw .invalidMetadata(key: p + "dead_zone", value: text) }
            deadZone = d
        }
        switch meta[p + "uniform"] {
        case nil, "as-predicted": flatUniform = false
        case "flat": flatUniform = true
        case let other: throw .invalidMetadata(key: p + "uniform", value: other)
        }
        switch meta[p + "inputs"] {
        case nil, "window": quantizationInputs = false
        case "window,quantization": quantizationInputs = true
        case let other: throw .invalidMetadata(key: p + "inputs", value: other)
        }
        if let text = meta[p + "place"] {
            guard let place = Placement(rawValue: text) else { throw .invalidMetadata(key: p + "place", value: text) }
            placement = place
        }
        if let text = meta[p + "projection"] {
            guard placement == .late, let components = ProjectionStage.Components(rawValue: text) else {
                throw .invalidMetadata(key: p + "projection", value: text)
            }
            projection = components
        }
    }

    public static var overrides: [StageOverride] {
        [StageOverride(name: "network-dead-zone", valueName: "levels",
                       help: "Drop the network's changes smaller than this many levels, 0 to keep all (0…8).") { pipeline, text throws(StageOverrideError) in
            let d = try StageOverride.number(text, "network-dead-zone", in: 0...8)
            guard var stage = pipeline.stage(NetworkStage.self) else { return }
            stage.deadZone = d
            pipeline.insert(stage)
        },
         StageOverride(name: "network-uniform", valueName: "mode",
                       help: "What the network gives a window of one colour: flat (each channel's mean over its block) or as-predicted.") { pipeline, text throws(StageOverrideError) in
            let mode = try StageOverride.choice(text, "network-uniform", ["flat", "as-predicted"])
            guard var stage = pipeline.stage(NetworkStage.self) else { return }
            stage.flatUniform = mode == "flat"
            pipeline.insert(stage)
        },
         StageOverride(name: "network-place", valueName: "place",
                       help: "Where the network runs: early (after the prior, before luma smoothing) or late (after the guided chroma: it learns what the classical stages leave).",
                       trainingOnly: true) { pipeline, text throws(StageOverrideError) in
            let place = try StageOverride.choice(text, "network-place", Placement.allCases.map(\.rawValue))
            guard var stage = pipeline.stage(NetworkStage.self) else { return }
            stage.placement = Placement(rawValue: place) ?? .early
            pipeline.insert(stage)
        },
         StageOverride(name: "network-projection", valueName: "components",
                       help: "After a late network, clip the coefficients of none, the luma or all components back into the file's bins.") { pipeline, text throws(StageOverrideError) in
            let choice = try StageOverride.choice(text, "network-projection", ["none", "luma", "all"])
            guard var stage = pipeline.stage(NetworkStage.self), stage.placement == .late else { return }
            stage.projection = ProjectionStage.Components(rawValue: choice)
            pipeline.insert(stage)
        }]
    }
}
