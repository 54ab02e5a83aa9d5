import Testing
import JPEGCodec
@testable import Cleaner

/// The white point's beside-white rule (issue 16 item 4): near-white pixels touching white
/// become white, unless that moves their block out of the file's bins.
@Suite struct WhitePointStageTests {
    /// An RGB image of `rows` of gray levels (every channel the same), and its gray levels back.
    static func image(_ rows: [[Float]]) -> FloatImage {
        FloatImage(width: rows[0].count, height: rows.count, channels: 3, samples: rows.flatMap { $0.flatMap { [$0, $0, $0] } })
    }
    static func levels(_ image: FloatImage) -> [[Float]] {
        (0..<image.height).map { y in (0..<image.width).map { x in image.samples[3 * (y * image.width + x)] } }
    }

    /// One step with the floor at 247: a pixel at or above it with a white 8-neighbour becomes
    /// white; the neighbours are read before the step (250 beside the new white stays);
    /// 240 beside white stays (below the floor), as does a pixel with one channel below it.
    @Test func oneStepByHand() {
        var img = Self.image([[200, 200, 200, 200, 200, 200],
                              [255, 250, 250, 240, 255, 248],
                              [200, 200, 200, 200, 249, 200]])
        img.samples[3 * (1 * 6 + 5) + 2] = 246  // (5, 1): blue below the floor
        WhitePointStage.whitenBesideWhite(&img, floor: 247, threads: 1)
        #expect(Self.levels(img) == [[200, 200, 200, 200, 200, 200],
                                     [255, 255, 250, 240, 255, 248],
                                     [200, 200, 200, 200, 255, 200]])
        #expect(Array(img.samples[(3 * 11)..<(3 * 12)]) == [248, 248, 246])
    }

    /// A 16×16 white image with a dark stroke (block 0, 0) and a 2-pixel light gray frame
    /// (250, block 1, 1), through a simulated q85 JPEG: the original itself passes the
    /// feasibility check unchanged, while whitening the frame (a real gray, not ringing) moves
    /// its block's DC out of its bin (16 pixels × 5 levels ÷ 8 = 10 units against a half-step
    /// of 2.5) and is undone; the stroke's block keeps its whitening.
    @Test func whiteningThatLeavesTheBinsIsUndone() {
        var px = [UInt8](repeating: 255, count: 16 * 16 * 3)
        for y in 2..<14 { for x in 3..<5 { for c in 0..<3 { px[(y * 16 + x) * 3 + c] = 40 } } }
        for y in 8..<16 { for x in 9..<11 { for c in 0..<3 { px[(y * 16 + x) * 3 + c] = 250 } } }
        let original = RasterImage(width: 16, height: 16, channels: 3, pixels: px)
        let decoded = simulatedJPEG(original)
        var state = PipelineState(decoded)
        let bins = DCTProjection.Bins(decoded.components[0], width: 16, height: 16, reference: state.reference()[0])
        let before = FloatImage(decoded.image)
        var truth = FloatImage(original)
        WhitePointStage.keepFeasibleBlocks(&truth, before: before, bins: bins)
        #expect(truth == FloatImage(original))

        var whitened = before
        for y in 0..<16 {
            for x in 0..<16 where px[(y * 16 + x) * 3] >= 250 {
                for c in 0..<3 { whitened.samples[(y * 16 + x) * 3 + c] = 255 }
            }
        }
        WhitePointStage.keepFeasibleBlocks(&whitened, before: before, bins: bins)
        for y in 0..<16 {
            for x in 0..<16 {
                let i = (y * 16 + x) * 3
                let expected = (x >= 8 && y >= 8) ? before.samples[i] : (px[i] >= 250 ? 255 : before.samples[i])
                #expect(whitened.samples[i] == expected, "(\(x), \(y))")
            }
        }
        #expect(before.samples[(9 * 16 + 9) * 3] != 255)
    }
}
