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
    /// bluish at the light grey's luma, the line itself paler; and one such pixel, (30, 30),
    /// in the middle of the light grey, whose chroma sample holds no other luma.
    static func run(_ input: CleanerInput, shared: PaletteStage.SharedChroma?) -> [Float] {
        var state = PipelineState(input)
        var estimate = state.pixels()
        for x in 0..<w {
            for (c, v) in [97, 163, 185].enumerated() { estimate.samples[3 * (line * w + x) + c] = Float(v) }
            for (c, v) in [216, 248, 255].enumerated() { estimate.samples[3 * ((line + 1) * w + x) + c] = Float(v) }
        }
        for (c, v) in [216, 248, 255].enumerated() { estimate.samples[3 * (30 * w + 30) + c] = Float(v) }
        state.setPixels(estimate)
        PaletteStage(tolerance: 4, radius: 24, minimumArea: 200, sharedChroma: shared).apply(to: &state, context: StageContext())
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
        for x in 0..<Self.w {
            let below = 3 * ((Self.line + 1) * Self.w + x), on17 = Array(on[below..<(below + 3)])
            #expect(on17 == target, "x \(x): \(on17)")
            #expect(Array(off[below..<(below + 3)]) == [216, 248, 255], "x \(x)")
            // The line itself (luma 146) is no near-miss of any colour: it stays.
            let l = 3 * (Self.line * Self.w + x)
            #expect(Array(on[l..<(l + 3)]) == [97, 163, 185])
        }
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
