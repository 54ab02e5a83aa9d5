import Testing
import JPEGCodec
@testable import Cleaner

/// The gamut stage (issue 16 item 5): colour outside RGB keeps its luma and loses chroma,
/// only where the chroma was subsampled.
@Suite struct GamutStageTests {
    /// ``GamutLimit/scale(y:move:margin:)`` for a colour given as luma and chroma (centred on 0).
    static func scale(y: Float, cb: Float, cr: Float, margin: Float) -> Float {
        GamutLimit.scale(y: y, move: ColourConversion.rgbMove(cb: cb, cr: cr), margin: margin)
    }

    /// Hand-computed factors (JFIF: G = Y − 0.344136·Cb − 0.714136·Cr, R = Y + 1.402·Cr).
    @Test func scaleByHand() {
        // Y 22, Cr +100: G would be 22 − 71.4136 = −49.41; t = 22 / 71.4136.
        #expect(abs(Self.scale(y: 22, cb: 0, cr: 100, margin: 0) - 0.308065) < 1e-5)
        // With a margin of 8, G may reach −8: t = 30 / 71.4136.
        #expect(abs(Self.scale(y: 22, cb: 0, cr: 100, margin: 8) - 0.420088) < 1e-5)
        // Y 240, Cb −60, Cr −90: G would be 240 + 20.648 + 64.272 = 324.92 (R 113.8, B 133.7
        // inside); t = 15 / 84.920.
        #expect(abs(Self.scale(y: 240, cb: -60, cr: -90, margin: 0) - 0.176637) < 1e-5)
        // Inside the cube, and gray with a luma below 0 (clamped to 0): unchanged.
        #expect(Self.scale(y: 128, cb: 10, cr: -10, margin: 0) == 1)
        #expect(Self.scale(y: -5, cb: 0, cr: 0, margin: 0) == 1)
        // The scaled colour lies on the cube's face: G = 0.
        let t = Self.scale(y: 22, cb: 0, cr: 100, margin: 0)
        #expect(abs(ColourConversion.rgb(y: 22, cb: 128, cr: 128 + t * 100).g) < 1e-3)
    }

    /// A 16 × 16 state whose pixel (3, 5) is set to Y 22, Cr +100 and pixel (9, 2) to Y 240,
    /// Cb −60, Cr −90: with 4:2:0 chroma both shrink by the factors above (their luma kept),
    /// every other pixel stays; with 4:4:4 chroma nothing changes.
    @Test func onlySubsampledChromaShrinks() {
        let image = syntheticImage(16, 16, seed: 5)
        let p = ColourConversion.ycbcrPlanes(of: image)
        var planes = p
        let a = 5 * 16 + 3, b = 2 * 16 + 9
        planes[0].samples[a] = 22; planes[1].samples[a] = 128; planes[2].samples[a] = 228
        planes[0].samples[b] = 240; planes[1].samples[b] = 68; planes[2].samples[b] = 38
        func run(_ input: CleanerInput) -> [Plane] {
            var state = PipelineState(input)
            state.setPlanes(planes)
            GamutStage().apply(to: &state, context: StageContext())
            return state.planes()
        }
        let subsampled = run(simulatedJPEG(image))
        // The stage works on RGB pixels: planes come back through two conversions.
        func near(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) < 2e-3 } }
        #expect(near(subsampled[0].samples, planes[0].samples))
        #expect(abs(subsampled[2].samples[a] - (128 + 0.308065 * 100)) < 2e-3)
        #expect(abs(subsampled[1].samples[b] - (128 - 0.176637 * 60)) < 2e-3)
        #expect(abs(subsampled[2].samples[b] - (128 - 0.176637 * 90)) < 2e-3)
        for i in 0..<256 where i != a && i != b {
            let outside = Self.scale(y: planes[0].samples[i], cb: planes[1].samples[i] - 128,
                                           cr: planes[2].samples[i] - 128, margin: 0) < 1
            #expect(outside || near([subsampled[1].samples[i], subsampled[2].samples[i]], [planes[1].samples[i], planes[2].samples[i]]))
        }
        // 4:4:4: every component at full resolution; the stage does not run.
        let full = [p[0], p[1], p[2]].enumerated().map { k, plane in
            CoefficientPlane.quantizing(plane, quantization: k == 0 ? lumaQ85 : chromaQ85)
        }
        let unsubsampled = run(CleanerInput(image: image, components: full))
        #expect(unsubsampled.map(\.samples) == planes.map(\.samples))
    }

    /// A red bar on white with a 1-pixel dark red outline (74, 0, 0) on its left, through a
    /// simulated q85 4:2:0 JPEG and the guided chroma (no network): the outline shares its
    /// chroma samples with white, and the guided model, fitted where the outline is averaged
    /// away, gives its luma (22) far more red than any colour of that luma has. Clamped per
    /// channel it comes out bright red; with the gamut stage its red stays near the original's.
    @Test func aDarkOutlineBesideWhiteStaysDark() {
        let w = 32, h = 16
        var px = [UInt8](repeating: 255, count: w * h * 3)
        for y in 0..<h {
            for x in 13..<24 { px[(y * w + x) * 3 + 1] = 0; px[(y * w + x) * 3 + 2] = 0 }
            px[(y * w + 13) * 3] = 74
        }
        let decoded = simulatedJPEG(RasterImage(width: w, height: h, channels: 3, pixels: px))
        var pipeline = Pipeline(options: CleaningOptions(chromaGuidance: .init(iterations: 2)))
        pipeline.remove(NetworkStage.self)
        let clamped = pipeline.run(decoded)
        pipeline.insert(GamutStage())
        let shrunk = pipeline.run(decoded)
        let red = { (image: RasterImage) in (0..<h).map { Int(image.pixels[($0 * w + 13) * 3]) } }
        let errors = (red(clamped).map { abs($0 - 74) }.max()!, red(shrunk).map { abs($0 - 74) }.max()!)
        #expect(errors.0 > 100, "the clamp's outline: \(red(clamped))")
        #expect(errors.1 < 40, "the gamut stage's outline: \(red(shrunk))")
    }
}
