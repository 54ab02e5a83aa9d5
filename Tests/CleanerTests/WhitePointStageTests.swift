import Testing
import JPEGCodec
@testable import Cleaner

/// The white point's beside-white rule (issue 16 item 4): near-white pixels touching white
/// become white, unless that moves their block out of the file's bins.
@Suite struct WhitePointStageTests {
    /// A raster of gray levels (every channel the same) and its levels back.
    static func image(_ rows: [[UInt8]]) -> RasterImage {
        RasterImage(width: rows[0].count, height: rows.count, channels: 3, pixels: rows.flatMap { $0.flatMap { [$0, $0, $0] } })
    }
    static func levels(_ image: RasterImage) -> [[UInt8]] {
        (0..<image.height).map { y in (0..<image.width).map { x in image.pixels[3 * (y * image.width + x)] } }
    }

    /// The stage on a decode without coefficients (no bin check), tolerance 1.5, beside 8
    /// (floor 247), two steps: 254 becomes white by the first rule; 250 beside white in the
    /// first step, the 250 beside that in the second, the third 250 in the chain stays (not a
    /// flood fill); 240 beside white stays (below the floor), and so does a pixel whose blue
    /// is below it. Without the beside rule only the 254 moves.
    @Test func twoStepsByHand() {
        var decode = Self.image([[200, 200, 200, 200, 200, 200, 200],
                                 [254, 250, 250, 250, 240, 255, 248],
                                 [200, 200, 200, 200, 200, 249, 200]])
        decode.pixels[3 * (1 * 7 + 6) + 2] = 246  // (6, 1): blue below the floor
        func run(_ stage: WhitePointStage) -> RasterImage {
            var state = PipelineState(CleanerInput(image: decode))
            stage.apply(to: &state, context: StageContext())
            return state.rasterImage()
        }
        let beside = run(WhitePointStage(tolerance: 1.5, besideTolerance: 8))
        #expect(Self.levels(beside) == [[200, 200, 200, 200, 200, 200, 200],
                                        [255, 255, 255, 250, 240, 255, 248],
                                        [200, 200, 200, 200, 200, 255, 200]])
        #expect(Array(beside.pixels[(3 * 13)..<(3 * 14)]) == [248, 248, 246])
        #expect(Self.levels(run(WhitePointStage(tolerance: 1.5)))[1] == [255, 250, 250, 250, 240, 255, 248])
    }

    /// A 16×16 white image with a dark stroke (block 0, 0) and a 2-pixel light gray frame
    /// (250, block 1, 1), through a simulated q85 JPEG. Whitening, in the decode, the pixels
    /// that are white in the original passes the check in the stroke's block (the original
    /// lies in its bins); whitening the frame too (a real gray, not ringing) moves block
    /// (1, 1)'s DC out of its bin (16 pixels × 5 levels ÷ 8 = 10 units against a half-step of
    /// 2.5), so that block keeps none of its whitened pixels.
    @Test func whiteningThatLeavesTheBinsIsRefused() {
        var px = [UInt8](repeating: 255, count: 16 * 16 * 3)
        for y in 2..<14 { for x in 3..<5 { for c in 0..<3 { px[(y * 16 + x) * 3 + c] = 40 } } }
        for y in 8..<16 { for x in 9..<11 { for c in 0..<3 { px[(y * 16 + x) * 3 + c] = 250 } } }
        let original = RasterImage(width: 16, height: 16, channels: 3, pixels: px)
        let decoded = simulatedJPEG(original)
        var state = PipelineState(decoded)
        let before = FloatImage(decoded.image)
        let white = (0..<256).filter { px[3 * $0] == 255 && decoded.image.pixels[3 * $0] != 255 }
        let frame = (0..<256).filter { px[3 * $0] == 250 }
        #expect(white.contains { $0 % 16 < 8 && $0 / 16 < 8 })
        #expect(frame.allSatisfy { decoded.image.pixels[3 * $0] != 255 })
        let kept = WhitePointStage.feasible(white + frame, in: before, luma: decoded.components[0],
                                            reference: state.reference()[0])
        #expect(Set(kept) == Set((white + frame).filter { !($0 % 16 >= 8 && $0 / 16 >= 8) }))
        #expect(!kept.isEmpty)
    }
}
