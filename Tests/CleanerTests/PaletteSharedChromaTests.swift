import Testing
import JPEGCodec
@testable import Cleaner

/// The palette stage's snaps for colour that bled in through a shared chroma sample
/// (``PaletteStage/SharedChroma``): a 1-pixel blue line between dark and light grey, as on a
/// window's title bar.
@Suite struct PaletteSharedChromaTests {
    static let dark: [UInt8] = [71, 80, 87], blue: [UInt8] = [61, 174, 233], light: [UInt8] = [239, 240, 241]
    static let w = 48, h = 64, line = 16

    /// The original: dark grey above row 16, the blue line on it, light grey below; encoded
    /// at q85 with `subsampling` and decoded.
    static func input(_ subsampling: EncoderOptions.Subsampling) throws -> CleanerInput {
        var px = [UInt8]()
        for y in 0..<h { for _ in 0..<w { px += y < line ? dark : y == line ? blue : light } }
        let original = RasterImage(width: w, height: h, channels: 3, pixels: px)
        return CleanerInput(try JPEGDecoder.decode(try Degradation(quality: 85, subsampling: subsampling).encode(original)))
    }

    /// The stage on an estimate that is the decode with the colour bled as the earlier stages
    /// leave it: the row under the line (which shares the line's chroma samples at 4:2:0)
    /// bluish at the light grey's luma, the line itself paler (its blue spread over both rows);
    /// and one such pixel, (30, 30), in the middle of the light grey, whose chroma sample holds
    /// no other luma.
    static func run(_ input: CleanerInput, shared: PaletteStage.SharedChroma?, threads: Int = 1) -> [Float] {
        var state = PipelineState(input)
        var estimate = state.pixels()
        for x in 0..<w {
            for (c, v) in [97, 163, 185].enumerated() { estimate.samples[3 * (line * w + x) + c] = Float(v) }
            for (c, v) in [216, 248, 255].enumerated() { estimate.samples[3 * ((line + 1) * w + x) + c] = Float(v) }
        }
        for (c, v) in [216, 248, 255].enumerated() { estimate.samples[3 * (30 * w + 30) + c] = Float(v) }
        state.setPixels(estimate)
        PaletteStage(tolerance: 4, radius: 24, minimumArea: 200, sharedChroma: shared)
            .apply(to: &state, context: StageContext(threads: threads))
        return state.pixels().samples
    }

    @Test func theRowThatSharesTheLinesChromaTakesTheFlatColour() throws {
        let input = try Self.input(.yuv420)
        let shared = try #require(PaletteStage.SharedChroma(luma: 1.5, reach: 32))
        let on = Self.run(input, shared: shared), off = Self.run(input, shared: nil)
        // The target: the light grey as the estimate gives its flat area (the decode's colour).
        let i0 = 3 * (36 * Self.w + 20)
        let target = Array(input.image.pixels[i0..<(i0 + 3)]).map(Float.init)
        #expect(target.enumerated().allSatisfy { abs($0.element - Float(Self.light[$0.offset])) <= 1 })
        // The chroma the snap took from each pixel under the line goes to the line pixel of its
        // 2×2 sample (two given, two taking: one pixel's worth each), as a move that keeps luma.
        func chroma(_ p: [Float]) -> (Float, Float) {
            (-0.168736 * p[0] - 0.331264 * p[1] + 0.5 * p[2], 0.5 * p[0] - 0.418688 * p[1] - 0.081312 * p[2])
        }
        let (cb0, cr0) = chroma([216, 248, 255]), (cb1, cr1) = chroma(target)
        let dcb = cb0 - cb1, dcr = cr0 - cr1
        let line: [Float] = [97 + 1.402 * dcr, 163 - 0.344136 * dcb - 0.714136 * dcr, 185 + 1.772 * dcb]
        func luma(_ p: [Float]) -> Float { 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] }
        func distance(_ p: [Float], _ q: [UInt8]) -> Float { zip(p, q).map { ($0 - Float($1)) * ($0 - Float($1)) }.reduce(0, +) }
        for x in 0..<Self.w {
            let below = 3 * ((Self.line + 1) * Self.w + x), on17 = Array(on[below..<(below + 3)])
            #expect(on17 == target, "x \(x): \(on17)")
            #expect(Array(off[below..<(below + 3)]) == [216, 248, 255], "x \(x)")
            let l = 3 * (Self.line * Self.w + x), on16 = Array(on[l..<(l + 3)])
            #expect(zip(on16, line).allSatisfy { abs($0 - $1) < 1e-3 }, "x \(x): \(on16) against \(line)")
            #expect(abs(luma(on16) - luma([97, 163, 185])) < 1e-3)
            // Nearer the original's blue than the bled colour was (squared error 3721 → about 1300).
            #expect(distance(on16, Self.blue) < distance([97, 163, 185], Self.blue) / 2)
            #expect(Array(off[l..<(l + 3)]) == [97, 163, 185])
        }
        #expect(Self.run(input, shared: shared, threads: 3) == on)   // cells split among threads: the same
        // In the middle of the flat area the same colour has no other luma beside it: it stays.
        let lone = 3 * (30 * Self.w + 30)
        #expect(Array(on[lone..<(lone + 3)]) == [216, 248, 255])
    }

    @Test func withoutSubsamplingNothingBledSoNothingSnaps() throws {
        let input = try Self.input(.yuv444)
        let shared = try #require(PaletteStage.SharedChroma(luma: 1.5, reach: 32))
        #expect(Self.run(input, shared: shared) == Self.run(input, shared: nil))
    }

    @Test func theSettingIsPartOfTheRecipeAndBadValuesAreRefused() throws {
        var pipeline = Pipeline([PaletteStage()])
        #expect(pipeline.stage(PaletteStage.self)?.metadata()["unjpeg.palette.shared_chroma"] == nil)   // earlier models
        try pipeline.apply(overrides: ["palette-shared-chroma": "1.5,32"])
        let stage = try #require(pipeline.stage(PaletteStage.self))
        #expect(stage.sharedChroma == PaletteStage.SharedChroma(luma: 1.5, reach: 32))
        #expect(stage.metadata()["unjpeg.palette.shared_chroma"] == "1.5,32.0")
        #expect(stage.halo == PaletteStage().halo + 3)   // a 4 × 4 chroma sample reaches 3 pixels further
        #expect(try PaletteStage(metadata: stage.metadata()) == stage)
        for text in ["0,32", "9,32", "2,1", "1.5,65", "nan,32", "1.5", "1.5,32,4", "a,b", ""] {
            #expect(PaletteStage.SharedChroma(text) == nil, "\(text)")
            #expect(throws: StageOverrideError.self) { try pipeline.apply(overrides: ["palette-shared-chroma": text]) }
            var bad = stage.metadata()
            bad["unjpeg.palette.shared_chroma"] = text
            #expect(throws: CleaningModelError.invalidMetadata(key: "unjpeg.palette.shared_chroma", value: text)) {
                try PaletteStage(metadata: bad)
            }
        }
        try pipeline.apply(overrides: ["palette-shared-chroma": "0"])
        #expect(pipeline.stage(PaletteStage.self)?.sharedChroma == nil)
    }
}
