import JPEGCodec

/// Flat colours stay exact near their edges: where a colour covers large flat areas of the
/// decode (a screenshot's backgrounds, panels, buttons), a pixel within `radius` of such an
/// area whose estimate is within `tolerance` levels of the area's colour in every channel
/// becomes that colour (the estimate's mean over the area, rounded).
///
/// Why: next to text and borders the ringing moves a flat background by a level or two; the
/// earlier stages shrink that error but rarely land exactly on the original value, so flat
/// areas near edges stop being flat (a cleaned screenshot's PNG grows) and its white is not
/// white. The file cannot tell 253 from 255 there, but the image can: the same colour is
/// exact a few pixels away. The palette is the colours of pixels whose 5×5 neighbourhood is
/// constant in the decode, with at least ``minimumArea`` such pixels; a colour with another
/// palette colour within one level is dropped (a gradient or dither, not a flat colour), and
/// at most 32 colours are kept (the most common). Photos rarely have any, so they are left alone.
/// With ``checksBins``, a block whose snaps move its luma out of the file's quantization bins
/// keeps its estimate: at q95 the bins show a 1–2 level gradient that the snap would flatten
/// (colour images; a gray one keeps every snap).
///
/// The defaults (tolerance 3, radius 16, area 200) are measured in `Notes/experiments.md`
/// (issue 16, "Palette").
public struct PaletteStage: CleaningStage, Equatable {
    public static let name = "palette"
    public static let summary = "Palette: near the large flat areas of a colour, a pixel within a few levels of that colour in every channel (more in a coarser file) becomes exactly that colour."

    /// Levels (per channel, on the unrounded estimate) within which a pixel snaps (0 < t ≤ 4);
    /// with ``stepTolerance``, the least it snaps within.
    public var tolerance: Float
    /// How far from a flat area of the colour a pixel may be, in pixels (chessboard, 1…64).
    public var radius: Int
    /// Pixels with a constant 5×5 neighbourhood a colour needs to join the palette (16…1 000 000).
    public var minimumArea: Int
    /// Palette colours kept at most.
    static let maximumColours = 32

    /// Whether a block's snaps are undone when they move its luma further out of the file's
    /// bins by more than ``binSlack`` (``LumaFeasibility``): false for every model before.
    public var checksBins: Bool

    /// Snaps for pixels whose colour bled in from a neighbour through the shared chroma sample
    /// (``SharedChroma``), or nil: every model before it.
    public var sharedChroma: SharedChroma?

    /// When set (0 < k ≤ 4): the tolerance grows with the file's quantization, to k times its
    /// luma DC step where that is more than ``tolerance`` (at most ``maximumTolerance``).
    public var stepTolerance: Float?

    public init(tolerance: Float = 3, radius: Int = 16, minimumArea: Int = 200, checksBins: Bool = false,
                sharedChroma: SharedChroma? = nil) {
        self.tolerance = tolerance
        self.radius = radius
        self.minimumArea = minimumArea
        self.checksBins = checksBins
        self.sharedChroma = sharedChroma
    }

    /// The snap reaches `radius` pixels from a flat area, which the 5×5 test finds 2 pixels
    /// further, and the check of the bins undoes a whole 8×8 block (up to 7 pixels further);
    /// the shared-chroma snaps read and write a pixel's whole chroma sample (up to 4 × 4 pixels
    /// aligned to the MCU grid: 3 pixels further); the palette itself is counted over the whole image.
    public var halo: Int { radius + 2 + (checksBins ? 7 : 0) + (sharedChroma != nil ? 3 : 0) }

    /// A palette colour: its channels, and where it is flat (5×5-constant in the decode) as a
    /// mask over the rectangle `x0..<x1, y0..<y1` of the image (the rest is false).
    struct Colour {
        var channels: [UInt8]
        var x0: Int, y0: Int, x1: Int, y1: Int
        var flat: [Bool]
    }

    /// The palette of `image` (the plain decode), most common colour first; `edges`, `keys`: its
    /// ``BinaryMask/edges(of:threads:)`` and ``BinaryMask/pixelKeys(of:threads:)``, when already computed.
    func palette(of image: RasterImage, edges: [Bool]? = nil, keys: [UInt32]? = nil, threads: Int = 1) -> [Colour] {
        let w = image.width, h = image.height, c = image.channels
        guard w >= 5, h >= 5, c <= 4 else { return [] }
        // Each pixel's colour as one number, and the pixels that differ from a neighbour.
        let keys = keys ?? BinaryMask.pixelKeys(of: image, threads: threads)
        let notFlat = BinaryMask.dilate(edges ?? BinaryMask.edges(of: image, threads: threads), width: w, height: h,
                                        radius: 2, threads: threads)
        // The runs of flat pixels of one colour in `rows` (flat areas are long runs of one
        // colour): `body(x, y, length, key)` for each.
        @Sendable func forEachFlatRun(_ rows: Range<Int>, _ body: (Int, Int, Int, UInt32) -> Void) {
            for y in rows {
                var x = 0
                while x < w {
                    let i = y * w + x
                    guard !notFlat[i] else { x += 1; continue }
                    var run = 1
                    while x + run < w, !notFlat[i + run], keys[i + run] == keys[i] { run += 1 }
                    body(x, y, run, keys[i])
                    x += run
                }
            }
        }
        // Flat pixels per colour, counted run by run in bands of rows on the threads, then
        // added up (integer counts: the same in any order).
        let bandCounts = RowBands.perBand(h, minimumRows: 64, threads: threads) { rows -> [UInt32: Int] in
            var counts: [UInt32: Int] = [:]
            forEachFlatRun(rows) { _, _, run, key in counts[key, default: 0] += run }
            return counts
        }
        var counts = bandCounts[0]
        for band in bandCounts.dropFirst() { counts.merge(band, uniquingKeysWith: +) }
        func channels(_ k: UInt32) -> [UInt8] { (0..<c).map { UInt8(truncatingIfNeeded: k >> (8 * UInt32(c - 1 - $0))) } }
        let candidates = counts.filter { $0.value >= minimumArea }.map(\.key)
        let chosen = candidates.filter { k in
            let a = channels(k)
            return !candidates.contains { j in j != k && zip(a, channels(j)).allSatisfy { abs(Int($0) - Int($1)) <= 1 } }
        }.sorted { (counts[$0] ?? 0, $1) > (counts[$1] ?? 0, $0) }.prefix(Self.maximumColours)
        guard !chosen.isEmpty else { return [] }
        let index = Dictionary(uniqueKeysWithValues: chosen.enumerated().map { ($1, $0) })
        // Bounding boxes (per band of rows, then their union), then the masks within them.
        typealias Box = (x0: Int, y0: Int, x1: Int, y1: Int)
        let empty: Box = (w, h, 0, 0)
        let bandBoxes = RowBands.perBand(h, minimumRows: 64, threads: threads) { rows -> [Box] in
            var boxes = [Box](repeating: empty, count: chosen.count)
            // One look-up per run of a colour.
            forEachFlatRun(rows) { x, y, run, key in
                guard let k = index[key] else { return }
                boxes[k] = (min(boxes[k].x0, x), min(boxes[k].y0, y), max(boxes[k].x1, x + run), max(boxes[k].y1, y + 1))
            }
            return boxes
        }
        let boxes = (0..<chosen.count).map { k in
            bandBoxes.reduce(empty) { b, band in
                (min(b.x0, band[k].x0), min(b.y0, band[k].y0), max(b.x1, band[k].x1), max(b.y1, band[k].y1))
            }
        }
        return chosen.enumerated().map { k, key in
            let b = boxes[k], bw = b.x1 - b.x0
            var flat = [Bool](repeating: false, count: bw * (b.y1 - b.y0))
            for y in b.y0..<b.y1 {
                for x in b.x0..<b.x1 where !notFlat[y * w + x] && keys[y * w + x] == key { flat[(y - b.y0) * bw + x - b.x0] = true }
            }
            return Colour(channels: channels(key), x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1, flat: flat)
        }
    }

    public func apply(to state: inout PipelineState, context: StageContext) {
        let colours = palette(of: state.input.image, edges: state.decodeEdges(), keys: state.decodeKeys(),
                              threads: context.threads)
        guard !colours.isEmpty else { return }
        let w = state.width, h = state.height, c = state.channels
        // Every test below reads the estimate as it was before the stage; the snaps are
        // decided first (``Snaps``) and written into it at the end.
        var estimate = state.takePixels()
        defer { state.setPixels(estimate) }
        let snapTolerance = effectiveTolerance(state)
        var snaps = Snaps(pixels: w * h, colours: colours.count, channels: c)
        // The shared-chroma test, when the model has it and the file's chroma is subsampled.
        let shared = c == 3 ? sharedChroma.flatMap { $0.test(factors: state.factors) } : nil
        for (index, colour) in colours.enumerated() {
            // Within the colour's box grown by the radius: the pixels whose estimate is within
            // the tolerance of the colour and nearer to it than to any colour before, that have
            // one of its flat pixels within the radius (a count over the window from a table of
            // sums of its flat mask, so the cost is two passes over the box whatever the radius).
            let x0 = max(0, colour.x0 - radius), y0 = max(0, colour.y0 - radius)
            let x1 = min(w, colour.x1 + radius), y1 = min(h, colour.y1 + radius)
            let bw = x1 - x0, bh = y1 - y0, fw = colour.x1 - colour.x0, fh = colour.y1 - colour.y0
            let sums = Self.flatCounts(colour.flat, width: fw, height: fh)
            // The colour the estimate gives the flat area, rounded: what the output holds there.
            // (Not the decode's colour: a colour seldom survives the YCbCr round trip exactly,
            // (21, 32, 43) comes back as (22, 32, 42), while the earlier stages restore it.)
            var totals = [Double](repeating: 0, count: c), n = 0.0
            colour.flat.withUnsafeBufferPointer { flat in
                estimate.samples.withUnsafeBufferPointer { o in
                    for y in colour.y0..<colour.y1 {
                        let row = flat.baseAddress! + (y - colour.y0) * fw - colour.x0
                        for x in colour.x0..<colour.x1 where row[x] {
                            for ch in 0..<c { totals[ch] += Double(o[(y * w + x) * c + ch]) }
                            n += 1
                        }
                    }
                }
            }
            let target = totals.map { Float(($0 / max(n, 1)).rounded()) }
            snaps.setTarget(target, of: index)
            // The target's channels as separate values (those past `c` are never read), so the
            // per-pixel test below has no loop over the channels.
            let t0 = target[0], t1 = target[min(1, c - 1)], t2 = target[min(2, c - 1)], t3 = target[min(3, c - 1)]
            let t = snapTolerance, r = radius, cx0 = colour.x0, cy0 = colour.y0
            // Rows write only their own pixels: split among the threads.
            let colourIndex = Int32(index)
            estimate.samples.withUnsafeBufferPointer { o in
                snaps.colour.withUnsafeMutableBufferPointer { e in
                    snaps.distance.withUnsafeMutableBufferPointer { b in
                        sums.withUnsafeBufferPointer { sat in
                            let src = SharedInput(o), chosen = SharedOutput(e), bestOut = SharedOutput(b), table = SharedInput(sat)
                            RowBands.run(bh, samplesPerRow: bw * c, threads: context.threads) { rows in
                                for ry in rows {
                                    let y = y0 + ry
                                    // The window's rows within the flat box (table rows are one past).
                                    let wy0 = max(y - r, cy0) - cy0, wy1 = min(y + r + 1, cy0 + fh) - cy0
                                    guard wy1 > wy0 else { continue }
                                    let top = table.base + wy0 * (fw + 1), bottom = table.base + wy1 * (fw + 1)
                                    for x in x0..<x1 {
                                        let i = y * w + x, p = src.base + i * c
                                        // max(|p[ch] − target[ch]|) over the channels.
                                        var d = abs(p[0] - t0)
                                        if c > 1 { d = max(d, abs(p[1] - t1)) }
                                        if c > 2 { d = max(d, abs(p[2] - t2)) }
                                        if c > 3 { d = max(d, abs(p[3] - t3)) }
                                        guard d <= t || (shared?.allows(src.base, x: x, y: y, width: w, height: h,
                                                                        target: (t0, t1, t2), distance: d) ?? false),
                                              d < bestOut.base[i] else { continue }
                                        let wx0 = max(x - r, cx0) - cx0, wx1 = min(x + r + 1, cx0 + fw) - cx0
                                        guard wx1 > wx0, bottom[wx1] &- bottom[wx0] &- top[wx1] &+ top[wx0] > 0 else { continue }
                                        bestOut.base[i] = d
                                        chosen.base[i] = colourIndex
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if checksBins, c == 3, state.hasFullResolutionLuma {
            snaps.undoInfeasible(in: estimate, luma: state.input.components[0], reference: state.referenceLuma(),
                                 threads: context.threads)
        }
        shared?.giveBackChroma(&estimate, snaps: snaps, tolerance: snapTolerance, threads: context.threads)
        snaps.write(into: &estimate, threads: context.threads)
    }

    /// The table of sums of a `width × height` mask: entry `(y + 1)·(width + 1) + x + 1` counts
    /// the true samples in columns 0…x of rows 0…y (row and column 0 are zero), so a
    /// rectangle's count is four lookups. The counts wrap modulo 2³² (`&+`): a rectangle the
    /// stage asks about is at most (2·64 + 1)² pixels, so its count, a wrapped difference of
    /// four entries, is exact however large the image.
    static func flatCounts(_ mask: [Bool], width w: Int, height h: Int) -> [UInt32] {
        var table = [UInt32](repeating: 0, count: (w + 1) * (h + 1))
        mask.withUnsafeBufferPointer { m in
            table.withUnsafeMutableBufferPointer { s in
                for y in 0..<h {
                    let above = s.baseAddress! + y * (w + 1), here = above + (w + 1), row = m.baseAddress! + y * w
                    var run: UInt32 = 0
                    for x in 0..<w {
                        run &+= row[x] ? 1 : 0
                        here[x + 1] = above[x + 1] &+ run
                    }
                }
            }
        }
        return table
    }

    /// How far (summed over a block's coefficients, DCT units) the snaps may move a block's
    /// luma further out of the file's bins before they are undone (``checksBins``). On the 50
    /// real screenshots, slack 3 / 8 / 20 gained +0.054 / +0.052 / +0.030 dB at q95 (better on
    /// 38 / 47 / 29 images, worse on 11 / 0 / 1) and +0.009 / +0.017 / +0.004 at q85 (flat kept
    /// −0.014 / −0.002 / −0.000): 8 keeps nearly every snap at q85 and undoes the ones that
    /// flatten a soft gradient at q95 (`Notes/experiments.md`, tenth round).
    static let binSlack: Float = 8

    static let prefix = "unjpeg.palette."

    public func metadata() -> [String: String] {
        [Self.prefix + "tolerance": String(tolerance), Self.prefix + "radius": String(radius),
         Self.prefix + "area": String(minimumArea)]
            .merging(checksBins ? [Self.prefix + "check": "bins"] : [:]) { a, _ in a }
            .merging(sharedChroma.map { [Self.prefix + SharedChroma.key: $0.text] } ?? [:]) { a, _ in a }
            .merging(stepTolerance.map { [Self.prefix + "step": String($0)] } ?? [:]) { a, _ in a }
    }

    public init(metadata: [String: String]) throws(CleaningModelError) {
        let p = Self.prefix
        guard let text = metadata[p + "tolerance"], let t = Float(text), t.isFinite, t > 0, t <= 4 else {
            throw .invalidMetadata(key: p + "tolerance", value: metadata[p + "tolerance"])
        }
        guard let r = metadata[p + "radius"].flatMap({ Int($0) }), (1...64).contains(r) else {
            throw .invalidMetadata(key: p + "radius", value: metadata[p + "radius"])
        }
        guard let a = metadata[p + "area"].flatMap({ Int($0) }), (16...1_000_000).contains(a) else {
            throw .invalidMetadata(key: p + "area", value: metadata[p + "area"])
        }
        guard [nil, "bins", "none"].contains(metadata[p + "check"]) else {
            throw .invalidMetadata(key: p + "check", value: metadata[p + "check"])
        }
        var shared: SharedChroma?
        if let text = metadata[p + SharedChroma.key] {
            guard let parsed = SharedChroma(text) else { throw .invalidMetadata(key: p + SharedChroma.key, value: text) }
            shared = parsed
        }
        self.init(tolerance: t, radius: r, minimumArea: a, checksBins: metadata[p + "check"] == "bins", sharedChroma: shared)
        if let text = metadata[p + "step"] {
            guard let k = Float(text), k.isFinite, k > 0, k <= 4 else { throw .invalidMetadata(key: p + "step", value: text) }
            stepTolerance = k
        }
    }

    public static var overrides: [StageOverride] {
        [StageOverride(name: "palette", valueName: "t",
                       help: "Near large flat areas of a colour, make pixels within t levels of that colour in every channel exactly that colour, 0 for off (0…4).") { pipeline, text throws(StageOverrideError) in
            let t = try StageOverride.number(text, "palette", in: 0...4)
            if t == 0 { pipeline.remove(PaletteStage.self); return }
            var stage = pipeline.stage(PaletteStage.self) ?? PaletteStage()
            stage.tolerance = t
            pipeline.insert(stage)
        },
         StageOverride(name: "palette-step", valueName: "k",
                       help: "Let the palette's tolerance grow with the file's quantization: k times its luma DC step where that is more than the tolerance (at most 16 levels); 0 for the fixed tolerance (0…4).") { pipeline, text throws(StageOverrideError) in
            let k = try StageOverride.number(text, "palette-step", in: 0...4)
            guard var stage = pipeline.stage(PaletteStage.self) else { return }
            stage.stepTolerance = k > 0 ? k : nil
            pipeline.insert(stage)
        },
         StageOverride(name: "palette-radius", valueName: "r",
                       help: "How far (pixels) from a flat area of a colour the palette stage snaps (1…64).") { pipeline, text throws(StageOverrideError) in
            let r = try StageOverride.integer(text, "palette-radius", in: 1...64)
            var stage = pipeline.stage(PaletteStage.self) ?? PaletteStage()
            stage.radius = r
            pipeline.insert(stage)
        },
         StageOverride(name: "palette-check", valueName: "check",
                       help: "bins: undo a block's palette snaps when they move its luma further out of the file's quantization bins; none: keep every snap.") { pipeline, text throws(StageOverrideError) in
            guard text == "bins" || text == "none" else {
                throw StageOverrideError(message: "The value '\(text)' is invalid for '--palette-check': expected bins or none.")
            }
            guard var stage = pipeline.stage(PaletteStage.self) else { return }
            stage.checksBins = text == "bins"
            pipeline.insert(stage)
        },
         StageOverride(name: "palette-shared-chroma", valueName: "luma,reach",
                       help: "With chroma subsampling, also snap a pixel whose luma is within luma levels of a palette colour and whose channels are within reach levels of it, where its chroma sample is shared with a pixel of another luma (colour bled in from a line or edge beside it); 0 for off.") { pipeline, text throws(StageOverrideError) in
            guard var stage = pipeline.stage(PaletteStage.self) else { return }
            if text == "0" { stage.sharedChroma = nil; pipeline.insert(stage); return }
            guard let parsed = SharedChroma(text) else {
                throw StageOverrideError(message: "The value '\(text)' is invalid for '--palette-shared-chroma': expected 0 or two numbers 'luma,reach' with 0 < luma ≤ 8 and luma < reach ≤ 64 (levels), e.g. 1.5,32.")
            }
            stage.sharedChroma = parsed
            pipeline.insert(stage)
        }]
    }
}

extension PaletteStage {
    /// The largest tolerance a step-scaled palette uses (levels).
    static let maximumTolerance: Float = 16

    /// The tolerance for this file: ``tolerance``, or ``stepTolerance`` times its luma DC step
    /// when that is larger (at most ``maximumTolerance``).
    func effectiveTolerance(_ state: PipelineState) -> Float {
        guard let k = stepTolerance, state.hasUsableCoefficients, let q = state.input.components.first?.quantization.first else {
            return tolerance
        }
        return max(tolerance, min(Self.maximumTolerance, k * Float(q)))
    }
}
