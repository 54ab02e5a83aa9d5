import JPEGCodec
import Net

/// What the network learns to output for a window.
public enum TrainingTarget: Equatable, Sendable {
    /// `(clean − degraded) · scale` over the output block: the correction to add.
    case residual
    /// `normalize(clean)` over the output block.
    case clean
}

/// How training pairs are cut and scaled.
public struct TrainingPairOptions: Equatable, Sendable {
    /// Window shape and grid (the default: 24×24 windows, 8×8 central blocks, stride 8).
    public var geometry: WindowGeometry
    /// The target block: the central block or the whole window.
    public var output: WindowOutput
    /// Residual or clean target.
    public var target: TrainingTarget
    /// Scale of inputs (`normalize(degraded)`) and targets.
    public var normalization: SampleNormalization
    /// Augment with horizontal and vertical flips.
    public var flips: Bool
    /// Augment with 90° turns.
    public var quarterTurns: Bool

    /// Options; the defaults are the Burger et al. recipe with a residual target.
    public init(geometry: WindowGeometry = WindowGeometry(), output: WindowOutput = .centralBlock,
                target: TrainingTarget = .residual, normalization: SampleNormalization = .centred,
                flips: Bool = true, quarterTurns: Bool = true) {
        self.geometry = geometry
        self.output = output
        self.target = target
        self.normalization = normalization
        self.flips = flips
        self.quarterTurns = quarterTurns
    }
}

/// A batch of training pairs in row-major arrays, ready for a network.
public struct TrainingBatch: Equatable, Sendable {
    /// Number of pairs.
    public var count: Int
    /// Floats per input: `windowSize² · channels` (HWC).
    public var inputSize: Int
    /// Floats per target: `outputSize² · channels` (HWC).
    public var targetSize: Int
    /// `count · inputSize` inputs, pair after pair.
    public var inputs: [Float]
    /// `count · targetSize` targets, pair after pair.
    public var targets: [Float]
    /// Per pair, whether its window was transposed by the augmentation (a quarter turn):
    /// side inputs that have a direction (``QuantizationFeatures``) must be transposed too.
    /// Empty when unknown or none was.
    public var transposed: [Bool] = []
}

/// Cuts (degraded window, clean target) pairs from one image and its degraded decode.
///
/// The window grid is the cleaning grid (``WindowGeometry``): central blocks start at
/// multiples of the stride from the image's top-left corner, which is where the JPEG
/// 8×8 grid starts. To train on shifted grids, the caller crops the clean image (e.g.
/// ``JPEGCodec/RasterImage/cropped(x:y:width:height:)`` by 0–7 px) before encoding it.
public struct TrainingPairSource: Sendable {
    /// The options the pairs are cut with.
    public let options: TrainingPairOptions
    /// The window positions over the image.
    public let grid: WindowGrid
    private let inputImage: FloatImage
    private let targetImage: FloatImage

    /// A source over `clean` and its `degraded` decode (same size and channel count).
    public init(clean: RasterImage, degraded: RasterImage, options: TrainingPairOptions = .init()) {
        precondition(clean.width == degraded.width && clean.height == degraded.height &&
                     clean.channels == degraded.channels, "clean and degraded images differ in shape")
        self.options = options
        grid = options.geometry.grid(width: clean.width, height: clean.height)
        let norm = options.normalization
        let input = FloatImage(degraded, normalization: norm)
        inputImage = input
        switch options.target {
        case .clean:
            targetImage = FloatImage(clean, normalization: norm)
        case .residual:
            // normalize(clean) − normalize(degraded) = (clean − degraded) · scale.
            var t = FloatImage(clean, normalization: norm)
            for i in t.samples.indices { t.samples[i] -= input.samples[i] }
            targetImage = t
        }
    }

    /// Number of distinct window positions.
    public var windowCount: Int { grid.count }
    /// Floats per input window.
    public var inputSize: Int { options.geometry.windowSize * options.geometry.windowSize * inputImage.channels }
    /// Floats per target block.
    public var targetSize: Int {
        let o = options.output.size(for: options.geometry)
        return o * o * inputImage.channels
    }

    /// The pair of window `index` under `transform`, written to `input` (`inputSize` floats)
    /// and `target` (`targetSize` floats).
    public func pair(window index: Int, transform: DihedralTransform,
                     input: UnsafeMutableBufferPointer<Float>, target out: UnsafeMutableBufferPointer<Float>) {
        let g = options.geometry, s = g.windowSize, c = inputImage.channels
        let o = options.output.size(for: g), off = options.output.offset(for: g)
        precondition(input.count >= s * s * c && out.count >= o * o * c, "buffers too small")
        let (x, y) = grid.origin(ofWindow: index)
        if transform == .identity {
            Windows.extractSquare(from: inputImage, x: x, y: y, size: s, into: input)
            Windows.extractSquare(from: targetImage, x: x + off, y: y + off, size: o, into: out)
            return
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: s * s * c) { tmp in
            Windows.extractSquare(from: inputImage, x: x, y: y, size: s, into: tmp)
            transform.apply(size: s, channels: c, from: tmp.baseAddress!, to: input.baseAddress!)
            Windows.extractSquare(from: targetImage, x: x + off, y: y + off, size: o, into: tmp)
            transform.apply(size: o, channels: c, from: tmp.baseAddress!, to: out.baseAddress!)
        }
    }

    /// The pairs of windows `range`, in grid order, without augmentation.
    public func pairs(windows range: Range<Int>) -> TrainingBatch {
        makeBatch(range.count) { n in (range.lowerBound + n, .identity) }
    }

    /// `count` pairs at window positions drawn uniformly (with replacement) from the grid,
    /// each under a transform drawn uniformly from the allowed ones
    /// (``DihedralTransform/allowed(flips:quarterTurns:)``). Reproducible from the
    /// generator's state.
    public func samplePairs(count: Int, using rng: inout SplitMix64) -> TrainingBatch {
        samplePairs(count: count, using: &rng, keepEasy: 1)
    }

    /// The mean squared difference between the clean and the degraded image over window
    /// `index`'s target block, on the 8-bit scale (level²): how much there is to correct.
    /// Only meaningful for residual targets (0 otherwise).
    public func targetError(window index: Int) -> Float {
        guard options.target == .residual else { return 0 }
        let g = options.geometry, c = targetImage.channels
        let o = options.output.size(for: g), off = options.output.offset(for: g)
        let (x, y) = grid.origin(ofWindow: index)
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: o * o * c) { tmp in
            Windows.extractSquare(from: targetImage, x: x + off, y: y + off, size: o, into: tmp)
            var sum: Float = 0
            for v in tmp { sum += v * v }
            let scale = options.normalization.scale
            return sum / Float(o * o * c) / (scale * scale)
        }
    }

    /// `count` pairs drawn like ``samplePairs(count:using:)``, except that a window whose
    /// ``targetError(window:)`` is below `easyBelow` (level²; the plain decode is already
    /// that close) is kept only with probability `keepEasy` (0…1), so training sees more of
    /// the blocks that need correcting. Gives up after `20 · count` draws, so it may return
    /// fewer pairs for an image that is almost all easy.
    public func samplePairs(count: Int, using rng: inout SplitMix64, keepEasy: Float,
                            easyBelow: Float = 1) -> TrainingBatch {
        let allowed = DihedralTransform.allowed(flips: options.flips, quarterTurns: options.quarterTurns)
        var choices: [(Int, DihedralTransform)] = []
        choices.reserveCapacity(count)
        var draws = 0
        while choices.count < count && draws < 20 * count {
            draws += 1
            let w = rng.nextInt(below: grid.count)
            let t = allowed[rng.nextInt(below: allowed.count)]
            // keepEasy 1 draws nothing more, so it draws exactly like uniform sampling.
            if keepEasy < 1, targetError(window: w) < easyBelow, rng.nextUnitFloat() >= keepEasy { continue }
            choices.append((w, t))
        }
        return makeBatch(choices.count) { choices[$0] }
    }

    private func makeBatch(_ count: Int, _ choose: (Int) -> (Int, DihedralTransform)) -> TrainingBatch {
        let ni = inputSize, nt = targetSize
        var inputs = [Float](repeating: 0, count: count * ni)
        var targets = [Float](repeating: 0, count: count * nt)
        var transposed = [Bool](repeating: false, count: count)
        inputs.withUnsafeMutableBufferPointer { ip in
            targets.withUnsafeMutableBufferPointer { tp in
                for n in 0..<count {
                    let (w, t) = choose(n)
                    transposed[n] = t.transposed
                    pair(window: w, transform: t,
                         input: UnsafeMutableBufferPointer(rebasing: ip[(n * ni)..<((n + 1) * ni)]),
                         target: UnsafeMutableBufferPointer(rebasing: tp[(n * nt)..<((n + 1) * nt)]))
                }
            }
        }
        return TrainingBatch(count: count, inputSize: ni, targetSize: nt, inputs: inputs, targets: targets,
                             transposed: transposed)
    }
}
