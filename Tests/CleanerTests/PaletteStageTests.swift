import Testing
import JPEGCodec
@testable import Cleaner
import TestSupport

/// The palette stage (issue 16 item 3): near large flat areas, near-misses of the area's colour
/// become exactly that colour; nothing else moves.
@Suite struct PaletteStageTests {
    /// A 48×40 decode: a flat (200, 100, 50) background with a dark 8×8 square at (20, 16).
    static func decode() -> RasterImage {
        var px = [UInt8]()
        for y in 0..<40 {
            for x in 0..<48 {
                px += (20..<28).contains(x) && (16..<24).contains(y) ? [10, 10, 10] : [200, 100, 50]
            }
        }
        return RasterImage(width: 48, height: 40, channels: 3, pixels: px)
    }

    static func state(_ decode: RasterImage, estimate: (Int, Int, [Float]) -> [Float]) -> PipelineState {
        var s = PipelineState(CleanerInput(image: decode))
        var samples = [Float]()
        for y in 0..<decode.height {
            for x in 0..<decode.width {
                let i = (y * decode.width + x) * 3
                samples += estimate(x, y, decode.pixels[i..<(i + 3)].map(Float.init))
            }
        }
        s.setPixels(FloatImage(width: decode.width, height: decode.height, channels: 3, samples: samples))
        return s
    }

    @Test func nearMissesNextToAFlatAreaSnapToItsColour() {
        let d = Self.decode()
        // Ringing around the square: +2.5 / −1 / +2 on the background within 2 px of it, and
        // one pixel 4 levels off (beyond the tolerance).
        var s = Self.state(d) { x, y, v in
            let ring = (18..<30).contains(x) && (14..<26).contains(y) && v[0] == 200
            if x == 18 && y == 14 { return [204, 100, 50] }
            return ring ? [v[0] + 2.5, v[1] - 1, v[2] + 2] : v
        }
        let stage = PaletteStage(tolerance: 3, radius: 16, minimumArea: 200)
        let colours = stage.palette(of: d)
        #expect(colours.map(\.channels) == [[200, 100, 50]])   // the square is too small to count
        stage.apply(to: &s, context: StageContext())
        let out = s.pixels().samples
        for y in 0..<40 {
            for x in 0..<48 {
                let i = (y * 48 + x) * 3
                let expected: [Float] = (20..<28).contains(x) && (16..<24).contains(y) ? [10, 10, 10]
                    : x == 18 && y == 14 ? [204, 100, 50] : [200, 100, 50]
                #expect(Array(out[i..<(i + 3)]) == expected, "(\(x), \(y))")
            }
        }
    }

    /// The step-scaled tolerance: k times the file's luma DC step where that is more than the
    /// fixed tolerance, at most 16 levels; the fixed tolerance without coefficients.
    @Test func theToleranceGrowsWithTheQuantizationStep() {
        let d = Self.decode()
        func state(dcStep: UInt16) -> PipelineState {
            var q = [UInt16](repeating: 10, count: 64)
            q[0] = dcStep
            let planes = ColourConversion.ycbcrPlanes(of: d)
            let comps = planes.map { CoefficientPlane.quantizing($0, quantization: q) }
            return PipelineState(CleanerInput(image: d, components: comps))
        }
        var stage = PaletteStage(tolerance: 4, radius: 16, minimumArea: 200)
        stage.stepTolerance = 1.2
        #expect(abs(stage.effectiveTolerance(state(dcStep: 5)) - 6) < 1e-5)      // q85: 1.2 × 5
        #expect(stage.effectiveTolerance(state(dcStep: 2)) == 4)      // q95: the fixed 4 is more
        #expect(abs(stage.effectiveTolerance(state(dcStep: 8)) - 9.6) < 1e-5)    // q75
        #expect(stage.effectiveTolerance(state(dcStep: 16)) == 16)    // q50: 19.2, capped
        #expect(stage.effectiveTolerance(PipelineState(CleanerInput(image: d))) == 4)
        stage.stepTolerance = nil
        #expect(stage.effectiveTolerance(state(dcStep: 16)) == 4)
        // A pixel 5 levels off the background (within 6, beyond 4) next to the square snaps
        // only with the step-scaled tolerance at q85's step.
        for k: Float? in [nil, 1.2] {
            stage.stepTolerance = k
            var s = state(dcStep: 5)
            var samples = FloatImage(d).samples
            let i = (14 * 48 + 18) * 3
            samples[i] = 205
            s.setPixels(FloatImage(width: 48, height: 40, channels: 3, samples: samples))
            stage.apply(to: &s, context: StageContext())
            #expect(s.pixels().samples[i] == (k == nil ? 205 : 200))
        }
    }

    @Test func theTargetIsTheEstimatesColourAndFarPixelsStay() {
        let d = Self.decode()
        // The earlier stages moved the whole background to (201.2, 99.9, 50) (as when the
        // decode's colour is the YCbCr round trip's, not the original's): the target is that,
        // rounded, (201, 100, 50); with radius 1 only pixels within 3 px of a 5×5-flat pixel
        // move — every background pixel here is that close.
        var s = Self.state(d) { _, _, v in v[0] == 200 ? [201.2, 99.9, 50] : v }
        PaletteStage(tolerance: 1, radius: 1, minimumArea: 200).apply(to: &s, context: StageContext())
        let out = s.pixels().samples
        #expect(Array(out[0..<3]) == [201, 100, 50])
        #expect(Array(out[((18 * 48 + 22) * 3)..<((18 * 48 + 22) * 3 + 3)]) == [10, 10, 10])
    }

    @Test func gradientsAndSmallImagesHaveNoPalette() {
        // Two large flat areas one level apart: a gradient's bands, not flat colours.
        let px = (0..<(40 * 40)).flatMap { i -> [UInt8] in i % 40 < 20 ? [120, 120, 120] : [121, 120, 120] }
        let bands = RasterImage(width: 40, height: 40, channels: 3, pixels: px)
        #expect(PaletteStage().palette(of: bands).isEmpty)
        #expect(PaletteStage().palette(of: RasterImage(width: 4, height: 4, channels: 3, pixels: [UInt8](repeating: 9, count: 48))).isEmpty)
        // Gray images work the same way.
        let gray = RasterImage(width: 40, height: 40, channels: 1, pixels: [UInt8](repeating: 77, count: 1600))
        #expect(PaletteStage().palette(of: gray).map(\.channels) == [[77]])
    }

    @Test(arguments: [1, 3, 9])
    func everyPixelFollowsTheRuleByBruteForce(radius: Int) {
        // A decode of flat rectangles of five colours (two of them close to each other) on a
        // background, and an estimate with noise of up to ±3 levels: every output pixel must be
        // what the rule says, checked directly — the nearest palette colour (the first on a tie)
        // within the tolerance that has a flat pixel of its own within the radius.
        var rng = SplitMix64(seed: UInt64(40 + radius))
        let w = 61, h = 47
        let colours: [[UInt8]] = [[250, 250, 250], [30, 60, 200], [33, 62, 203], [120, 120, 120], [200, 40, 40]]
        var px = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) { px.replaceSubrange((3 * i)..<(3 * i + 3), with: colours[0]) }
        for k in 1..<colours.count {
            let x0 = rng.nextInt(below: w - 12), y0 = rng.nextInt(below: h - 10)
            for y in y0..<(y0 + 10) { for x in x0..<(x0 + 12) { px.replaceSubrange((3 * (y * w + x))..<(3 * (y * w + x) + 3), with: colours[k]) } }
        }
        let decode = RasterImage(width: w, height: h, channels: 3, pixels: px)
        var s = Self.state(decode) { _, _, v in v.map { $0 + Float(rng.nextInt(below: 13)) * 0.5 - 3 } }
        let estimate = s.pixels().samples
        let stage = PaletteStage(tolerance: 2.5, radius: radius, minimumArea: 16)
        let palette = stage.palette(of: decode)
        #expect(palette.count >= 3)
        stage.apply(to: &s, context: StageContext(threads: 2))
        let out = s.pixels().samples
        // Each colour's flat pixels in image coordinates, and its target.
        let flats = palette.map { colour -> [Bool] in
            var m = [Bool](repeating: false, count: w * h)
            let fw = colour.x1 - colour.x0
            for y in colour.y0..<colour.y1 { for x in colour.x0..<colour.x1 { m[y * w + x] = colour.flat[(y - colour.y0) * fw + x - colour.x0] } }
            return m
        }
        let targets = flats.map { m -> [Float] in
            var sum = [Double](repeating: 0, count: 3), n = 0.0
            for i in 0..<(w * h) where m[i] { for ch in 0..<3 { sum[ch] += Double(estimate[3 * i + ch]) }; n += 1 }
            return sum.map { Float(($0 / n).rounded()) }
        }
        var snapped = 0
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                var chosen: Int?, bestD = Float.infinity
                for k in palette.indices {
                    let d = (0..<3).map { abs(estimate[3 * i + $0] - targets[k][$0]) }.max()!
                    guard d <= 2.5, d < bestD else { continue }
                    var near = false
                    for v in max(0, y - radius)...min(h - 1, y + radius) {
                        for u in max(0, x - radius)...min(w - 1, x + radius) where flats[k][v * w + u] { near = true }
                    }
                    if near { chosen = k; bestD = d }
                }
                let expected = chosen.map { targets[$0] } ?? Array(estimate[(3 * i)..<(3 * i + 3)])
                if chosen != nil { snapped += 1 }
                #expect(Array(out[(3 * i)..<(3 * i + 3)]) == expected, "(\(x), \(y))")
            }
        }
        #expect(snapped > w * h / 4)
    }

    /// With the bins checked, a snap that would flatten what the file's bins show (a soft
    /// pattern 1–3 levels off the flat colour at q95: its blocks' means are 1.9 levels off, the
    /// DC step is 2) is undone, while ringing in a block of the flat colour is still snapped.
    @Test func checkedBinsKeepAGradientTheFileShows() throws {
        let w = 64, h = 48
        var px = [UInt8]()
        for _ in 0..<h { for x in 0..<w { px += [UInt8](repeating: x < 32 ? 200 : x < 48 ? UInt8(201 + (x - 32) / 3 % 3) : 90, count: 3) } }
        let original = RasterImage(width: w, height: h, channels: 3, pixels: px)
        let input = CleanerInput(try JPEGDecoder.decode(try Degradation(quality: 95, subsampling: .yuv444).encode(original)))
        // The estimate: the decode, with ringing of +1.5 levels on a few pixels of block (1, 1).
        func run(checked: Bool) -> [Float] {
            var state = PipelineState(input)
            var estimate = state.pixels()
            for p in [9 * w + 9, 9 * w + 10, 12 * w + 13] { for c in 0..<3 { estimate.samples[3 * p + c] += 1.5 } }
            state.setPixels(estimate)
            PaletteStage(tolerance: 3, radius: 16, minimumArea: 200, checksBins: checked).apply(to: &state, context: StageContext())
            return state.pixels().samples
        }
        let decode = input.image.pixels.map(Float.init)
        #expect(input.image.pixels[0] == 200)
        let unchecked = run(checked: false), checked = run(checked: true)
        var snapped = 0
        for y in 0..<h {
            for x in 32..<48 {   // the pattern's blocks; the flat area (to column 28) reaches column 44
                let i = 3 * (y * w + x), near = x <= 44 && decode[i..<(i + 3)].allSatisfy { abs($0 - 200) <= 3 }
                if near { snapped += 1 }
                #expect(Array(unchecked[i..<(i + 3)]) == (near ? [200, 200, 200] : Array(decode[i..<(i + 3)])), "(\(x), \(y))")
                #expect(Array(checked[i..<(i + 3)]) == Array(decode[i..<(i + 3)]), "(\(x), \(y))")
            }
        }
        #expect(snapped > 16 * h / 2)
        for p in [9 * w + 9, 9 * w + 10, 12 * w + 13] {   // the ringing: snapped either way
            #expect(Array(checked[(3 * p)..<(3 * p + 3)]) == [200, 200, 200])
            #expect(Array(unchecked[(3 * p)..<(3 * p + 3)]) == [200, 200, 200])
        }
    }

    @Test func theBinCheckIsPartOfTheRecipe() throws {
        var pipeline = Pipeline([PaletteStage()])
        #expect(pipeline.stage(PaletteStage.self)?.metadata()["unjpeg.palette.check"] == nil)   // earlier models: unchanged
        try pipeline.apply(overrides: ["palette-check": "bins"])
        let stage = try #require(pipeline.stage(PaletteStage.self))
        #expect(stage.checksBins && stage.metadata()["unjpeg.palette.check"] == "bins")
        #expect(try PaletteStage(metadata: stage.metadata()) == stage)
        var bad = stage.metadata()
        bad["unjpeg.palette.check"] = "maybe"
        #expect(throws: CleaningModelError.invalidMetadata(key: "unjpeg.palette.check", value: "maybe")) { try PaletteStage(metadata: bad) }
        #expect(throws: StageOverrideError(message: "The value 'yes' is invalid for '--palette-check': expected bins or none.")) {
            try pipeline.apply(overrides: ["palette-check": "yes"])
        }
        try pipeline.apply(overrides: ["palette-check": "none"])
        #expect(pipeline.stage(PaletteStage.self)?.checksBins == false)
    }

    /// The check of the bins gives the same pixels on any number of threads, on an image whose
    /// edge blocks are cut (67×83: 11 block rows, three chunks of work) and where it undoes snaps.
    @Test func checkedBinsDoNotDependOnThreads() throws {
        let w = 67, h = 83
        var px = [UInt8]()
        for y in 0..<h { for x in 0..<w { px += [UInt8](repeating: x < 30 ? 200 : UInt8(201 + (x + y) / 3 % 3), count: 3) } }
        let input = CleanerInput(try JPEGDecoder.decode(try Degradation(quality: 95, subsampling: .yuv444)
            .encode(RasterImage(width: w, height: h, channels: 3, pixels: px))))
        func run(checked: Bool, threads: Int) -> [Float] {
            var state = PipelineState(input)
            PaletteStage(tolerance: 3, radius: 16, minimumArea: 200, checksBins: checked).apply(to: &state, context: StageContext(threads: threads))
            return state.pixels().samples
        }
        let one = run(checked: true, threads: 1)
        #expect(one != run(checked: false, threads: 1))
        for threads in [2, 3, 8] { #expect(run(checked: true, threads: threads) == one, "\(threads) threads") }
    }
}
