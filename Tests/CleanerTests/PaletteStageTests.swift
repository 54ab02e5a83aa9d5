import Testing
import JPEGCodec
@testable import Cleaner

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
}
