import JPEGCodec

/// White stays white: a pixel whose estimate is within `tolerance` levels of pure white in
/// every channel becomes pure white (255, 255, 255); with a `besideTolerance`, so does a pixel
/// within that (wider) margin that touches such a white pixel.
///
/// Why: pure white is by far the most common colour of screenshots, and of saturated
/// highlights in photos; JPEG moves a white background next to text by one or two levels
/// (the block's DC and ringing), well inside the quantization bins, so no projection can tell
/// 254 from 255 — but a prior over values can.
public struct WhitePointStage: CleaningStage, Equatable {
    public static let name = "white_point"
    public static let summary = "White point: a pixel within a level or two of pure white in every channel becomes pure white."

    /// Levels below 255 (per channel, on the unrounded estimate) that still count as white (0 < t ≤ 4).
    public var tolerance: Float

    /// Levels below 255 (per channel) within which a pixel touching white after the first
    /// rule becomes white too (tolerance ≤ b ≤ 16), or 0 for off (every model before it).
    public var besideTolerance: Float

    public init(tolerance: Float = 1.5, besideTolerance: Float = 0) {
        self.tolerance = tolerance
        self.besideTolerance = besideTolerance
    }

    public var halo: Int { 0 }

    public func apply(to state: inout PipelineState, context: StageContext) {
        guard state.channels == 3 else { return }
        var estimate = state.takePixels()
        let floor = 255 - tolerance, w = state.width, h = state.height
        let besideFloor = besideTolerance > 0 ? 255 - besideTolerance : 256
        // Which pixels are white (1) or within the beside-white margin (2), with a border of
        // zeros: row y + 1, column x + 1.
        var mask = [UInt8](repeating: 0, count: besideTolerance > 0 ? (w + 2) * (h + 2) : 0)
        estimate.samples.withUnsafeMutableBufferPointer { buffer in
        mask.withUnsafeMutableBufferPointer { maskBuffer in
            // Pixel by pixel: rows split among the threads.
            let e = SharedOutput(buffer), m = SharedOutput(maskBuffer), marking = besideTolerance > 0
            RowBands.run(h, samplesPerRow: 3 * w, threads: context.threads) { rows in
                for y in rows {
                    for x in 0..<w {
                        let i = 3 * (y * w + x)
                        let low = min(e.base[i], e.base[i + 1], e.base[i + 2])
                        if low >= floor { e.base[i] = 255; e.base[i + 1] = 255; e.base[i + 2] = 255 }
                        if marking { m.base[(y + 1) * (w + 2) + x + 1] = low >= floor ? 1 : (low >= besideFloor ? 2 : 0) }
                    }
                }
            }
        }}
        if besideTolerance > 0 {
            var whitened = Self.besideWhite(&mask, width: w, height: h, steps: Self.besideSteps)
            if state.hasFullResolutionLuma {
                whitened = Self.feasible(whitened, in: estimate, luma: state.input.components[0], reference: state.referenceLuma())
            }
            for p in whitened { for c in 0..<3 { estimate.samples[3 * p + c] = 255 } }
        }
        state.setPixels(estimate)
    }

    /// The pixels (indices `y · width + x`) the beside-white rule whitens, in `steps` steps:
    /// a pixel marked 2 in `mask` (within the margin) with an 8-neighbour marked 1 (white)
    /// becomes white; each step reads the mask as it was before it, so the result does not
    /// depend on the order. `mask` is `(width + 2) × (height + 2)` with a border of zeros, and
    /// the whitened pixels are marked 1 in it on return.
    static func besideWhite(_ mask: inout [UInt8], width w: Int, height h: Int, steps: Int) -> [Int] {
        let s = w + 2
        precondition(mask.count == s * (h + 2), "the mask has a one-pixel border")
        var candidates = [Int](), whitened = [Int]()
        mask.withUnsafeMutableBufferPointer { m in
            // 32 bytes at a time: most of an image is far from white or white itself.
            let raw = UnsafeRawPointer(m.baseAddress!), n = m.count, two = SIMD32<UInt8>(repeating: 2)
            var c = 0
            while c + 32 <= n {
                if any(raw.loadUnaligned(fromByteOffset: c, as: SIMD32<UInt8>.self) .== two) {
                    for k in c..<(c + 32) where m[k] == 2 { candidates.append(k) }
                }
                c += 32
            }
            for k in c..<n where m[k] == 2 { candidates.append(k) }
            for _ in 0..<steps {
                var next = [Int](), now = [Int]()
                for c in candidates {
                    if m[c - s - 1] == 1 || m[c - s] == 1 || m[c - s + 1] == 1 || m[c - 1] == 1 || m[c + 1] == 1
                        || m[c + s - 1] == 1 || m[c + s] == 1 || m[c + s + 1] == 1 {
                        now.append(c)
                    } else {
                        next.append(c)
                    }
                }
                for c in now { m[c] = 1 }
                whitened += now
                candidates = next
            }
        }
        return whitened.map { ($0 / s - 1) * w + $0 % s - 1 }
    }

    /// Steps of the beside-white rule: a ringing halo is 1–2 pixels wide beside a stroke (72 %
    /// of the off-white pixels touch the stroke, 12 % are one further out).
    static let besideSteps = 2

    /// How far (summed over a block's 64 coefficients, in DCT units of the 8-bit scale) the
    /// whitening may move a luma block's coefficients further outside the file's bins before
    /// it is undone. The original's own coefficients lie a fraction of a unit outside, from
    /// the encoder's integer colour conversion. On real screenshots, one step with 1, 3 and 6
    /// left 2.44, 2.15 and 2.01 % of whites off at +0.001, +0.001 and −0.001 dB; two steps
    /// with 3, 1.95 % at +0.002 dB (`Notes/experiments.md`, "Whites beside edges").
    static let feasibilitySlack: Float = 3

    /// Of `pixels` (indices into `image`, RGB 0…255), those whose whitening keeps their 8×8
    /// luma block within ``feasibilitySlack`` of the file's bins (``LumaFeasibility``): the
    /// original lies in its bins, so a block the whitening moves further out was not all white —
    /// a light grey frame or the antialiasing of a letter, not ringing.
    static func feasible(_ pixels: [Int], in image: FloatImage, luma: CoefficientPlane, reference: Plane) -> [Int] {
        LumaFeasibility(image: image, luma: luma, reference: reference, slack: feasibilitySlack).kept(pixels, value: 255 - 128)
    }

    static let key = "unjpeg.white_point.tolerance"
    static let besideKey = "unjpeg.white_point.beside"

    public func metadata() -> [String: String] {
        [Self.key: String(tolerance)].merging(besideTolerance > 0 ? [Self.besideKey: String(besideTolerance)] : [:]) { a, _ in a }
    }

    public init(metadata: [String: String]) throws(CleaningModelError) {
        guard let text = metadata[Self.key], let t = Float(text), t.isFinite, t > 0, t <= 4 else {
            throw .invalidMetadata(key: Self.key, value: metadata[Self.key])
        }
        tolerance = t
        besideTolerance = 0
        if let text = metadata[Self.besideKey] {
            guard let b = Float(text), b.isFinite, b >= t, b <= 16 else { throw .invalidMetadata(key: Self.besideKey, value: text) }
            besideTolerance = b
        }
    }

    public static var overrides: [StageOverride] {
        [StageOverride(name: "white-point", valueName: "t",
                       help: "Make pixels within t levels of pure white in every channel pure white, 0 for off (0…4).") { pipeline, text throws(StageOverrideError) in
            let t = try StageOverride.number(text, "white-point", in: 0...4)
            if t == 0 { pipeline.remove(WhitePointStage.self); return }
            let beside = pipeline.stage(WhitePointStage.self)?.besideTolerance ?? 0
            pipeline.insert(WhitePointStage(tolerance: t, besideTolerance: beside == 0 ? 0 : max(beside, t)))
        },
         StageOverride(name: "white-beside", valueName: "b",
                       help: "Also make white a pixel within b levels of white in every channel that touches a white pixel (the ringing beside a letter on white), 0 for off (0…16).") { pipeline, text throws(StageOverrideError) in
            let b = try StageOverride.number(text, "white-beside", in: 0...16)
            guard var stage = pipeline.stage(WhitePointStage.self) else { return }
            stage.besideTolerance = b == 0 ? 0 : max(b, stage.tolerance)
            pipeline.insert(stage)
        }]
    }
}
