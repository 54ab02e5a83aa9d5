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
        var estimate = state.pixels()
        let floor = 255 - tolerance, w = state.width
        estimate.samples.withUnsafeMutableBufferPointer { buffer in
            // Pixel by pixel: rows split among the threads.
            let e = SharedOutput(buffer)
            RowBands.run(state.height, samplesPerRow: 3 * w, threads: context.threads) { rows in
                for i in (rows.lowerBound * w)..<(rows.upperBound * w)
                where e.base[3 * i] >= floor && e.base[3 * i + 1] >= floor && e.base[3 * i + 2] >= floor {
                    e.base[3 * i] = 255; e.base[3 * i + 1] = 255; e.base[3 * i + 2] = 255
                }
            }
        }
        if besideTolerance > 0 {
            let firstRule = estimate
            for _ in 0..<Self.besideSteps {
                Self.whitenBesideWhite(&estimate, floor: 255 - besideTolerance, threads: context.threads)
            }
            if state.hasUsableCoefficients, let f = state.factors.first, let f, f.x == 1, f.y == 1 {
                let bins = DCTProjection.Bins(state.input.components[0], width: state.width, height: state.height,
                                              reference: state.reference()[0], threads: context.threads)
                Self.keepFeasibleBlocks(&estimate, before: firstRule, bins: bins)
            }
        }
        state.setPixels(estimate)
    }

    /// Makes white every pixel of `image` (RGB, 0…255) with all channels ≥ `floor` that has a
    /// pure white 8-neighbour. The neighbours are read from the image as it was before this
    /// step, so the result does not depend on the order (or the threads).
    static func whitenBesideWhite(_ image: inout FloatImage, floor: Float, threads: Int) {
        let w = image.width, h = image.height
        guard w > 0, h > 0 else { return }
        // Which pixels are white, with a false border: row y + 1, column x + 1.
        var white = [Bool](repeating: false, count: (w + 2) * (h + 2))
        image.samples.withUnsafeBufferPointer { e in
            for y in 0..<h {
                for x in 0..<w {
                    let i = 3 * (y * w + x)
                    white[(y + 1) * (w + 2) + x + 1] = e[i] == 255 && e[i + 1] == 255 && e[i + 2] == 255
                }
            }
        }
        white.withUnsafeBufferPointer { wb in
        image.samples.withUnsafeMutableBufferPointer { buffer in
            let isWhite = SharedInput(wb), e = SharedOutput(buffer), s = w + 2
            RowBands.run(h, samplesPerRow: 3 * w, threads: threads) { rows in
                for y in rows {
                    for x in 0..<w {
                        let i = 3 * (y * w + x), c = (y + 1) * s + x + 1
                        guard !isWhite.base[c], e.base[i] >= floor, e.base[i + 1] >= floor, e.base[i + 2] >= floor else { continue }
                        let m = isWhite.base
                        if m[c - s - 1] || m[c - s] || m[c - s + 1] || m[c - 1] || m[c + 1] || m[c + s - 1] || m[c + s] || m[c + s + 1] {
                            e.base[i] = 255; e.base[i + 1] = 255; e.base[i + 2] = 255
                        }
                    }
                }
            }
        }}
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

    /// Undoes the whitening of every 8×8 luma block whose coefficients it moved further out of
    /// the file's bins (by more than ``feasibilitySlack``): the original lies in its bins, so
    /// such a block's near-white pixels were not all white — a light grey frame or the
    /// antialiasing of a letter, not ringing. `before` is the image before the whitening;
    /// blocks it did not change are not looked at.
    static func keepFeasibleBlocks(_ image: inout FloatImage, before: FloatImage, bins: DCTProjection.Bins) {
        let w = image.width, h = image.height
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 128) { scratch in
            let old = scratch.baseAddress!, new = old + 64
            image.samples.withUnsafeMutableBufferPointer { e in
            before.samples.withUnsafeBufferPointer { b in
            bins.lo.withUnsafeBufferPointer { lo in
            bins.hi.withUnsafeBufferPointer { hi in
                func luma(_ p: UnsafePointer<Float>, _ i: Int) -> Float { 0.299 * p[i] + 0.587 * p[i + 1] + 0.114 * p[i + 2] - 128 }
                for by in 0..<min(bins.blocksHigh, (h + 7) / 8) {
                    for bx in 0..<min(bins.blocksWide, (w + 7) / 8) {
                        // The block's pixels, edge-replicated past the image (as the encoder pads).
                        var changed = false
                        for y in 0..<8 {
                            for x in 0..<8 {
                                let i = 3 * (min(by * 8 + y, h - 1) * w + min(bx * 8 + x, w - 1))
                                old[y * 8 + x] = luma(b.baseAddress!, i)
                                new[y * 8 + x] = luma(UnsafePointer(e.baseAddress!), i)
                                if e[i] != b[i] { changed = true }
                            }
                        }
                        guard changed else { continue }
                        DCT8x8.forward(old)
                        DCT8x8.forward(new)
                        let base = (by * bins.blocksWide + bx) * 64
                        var outsideOld: Float = 0, outsideNew: Float = 0
                        for k in 0..<64 {
                            outsideOld += max(0, lo[base + k] - old[k], old[k] - hi[base + k])
                            outsideNew += max(0, lo[base + k] - new[k], new[k] - hi[base + k])
                        }
                        guard outsideNew > outsideOld + feasibilitySlack else { continue }
                        for y in (by * 8)..<min(by * 8 + 8, h) {
                            for x in (bx * 8)..<min(bx * 8 + 8, w) {
                                let i = 3 * (y * w + x)
                                e[i] = b[i]; e[i + 1] = b[i + 1]; e[i + 2] = b[i + 2]
                            }
                        }
                    }
                }
            }}}}
        }
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
