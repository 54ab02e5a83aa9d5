import Testing
import JPEGCodec
@testable import Cleaner
import TestSupport

/// The flat-area stage (issue 16 item 3): where the decode is constant over a window, or with
/// `lines` along a row or a column, the estimate is averaged over it.
@Suite struct FlatAreaStageTests {
    @Test(arguments: [0, 1, 3, 30])
    func dilationReachesEveryPixelWithinTheRadius(radius: Int) {
        // A sparse random mask: a pixel is set when a true lies within chessboard distance r.
        var rng = SplitMix64(seed: UInt64(radius + 5))
        let w = 23, h = 17
        let mask = (0..<(w * h)).map { _ in rng.nextInt(below: 25) == 0 }
        for threads in [1, 2] {
            let got = BinaryMask.dilate(mask, width: w, height: h, radius: radius, threads: threads)
            for y in 0..<h {
                for x in 0..<w {
                    var near = false
                    for v in max(0, y - radius)...min(h - 1, y + radius) {
                        for u in max(0, x - radius)...min(w - 1, x + radius) where mask[v * w + u] { near = true }
                    }
                    #expect(got[y * w + x] == near, "(\(x), \(y))")
                }
            }
        }
    }

    /// A 20×12 decode whose rows are constant (row y is 10·y in every channel) and whose columns
    /// are not: a stack of horizontal lines, with no flat 2-D window anywhere.
    static func rows() -> RasterImage {
        var px = [UInt8]()
        for y in 0..<12 { for _ in 0..<20 { px += [UInt8(10 * y), UInt8(10 * y), UInt8(10 * y)] } }
        return RasterImage(width: 20, height: 12, channels: 3, pixels: px)
    }

    /// The decode plus ±0.5 texture alternating along the rows.
    static func textured(_ decode: RasterImage) -> PipelineState {
        var s = PipelineState(CleanerInput(image: decode))
        var samples = [Float]()
        for y in 0..<decode.height {
            for x in 0..<decode.width {
                for ch in 0..<3 { samples.append(Float(decode.pixels[(y * decode.width + x) * 3 + ch]) + (x % 2 == 0 ? 0.5 : -0.5)) }
            }
        }
        s.setPixels(FloatImage(width: decode.width, height: decode.height, channels: 3, samples: samples))
        return s
    }

    @Test func constantRowsAreAveragedAlongTheirRuns() {
        let d = Self.rows()
        var off = Self.textured(d), on = off
        let before = off.pixels()
        // Without lines nothing is flat in 2-D: the estimate stays as it is.
        FlatAreaStage(radius: 4).apply(to: &off, context: StageContext())
        #expect(off.pixels() == before)
        // With lines, the pixels whose 9-pixel run lies inside the row become the run's mean:
        // five samples of one sign and four of the other, ±0.5/9; the 4 pixels at each end keep
        // their texture, and no column is constant, so nothing moves vertically.
        FlatAreaStage(radius: 4, lines: true).apply(to: &on, context: StageContext(threads: 2))
        let got = on.pixels().samples
        for y in 0..<12 {
            for x in 0..<20 {
                let base = Float(10 * y), sign: Float = x % 2 == 0 ? 1 : -1
                let expected = (4..<16).contains(x) ? base + sign * 0.5 / 9 : base + sign * 0.5
                for ch in 0..<3 {
                    #expect(abs(got[(y * 20 + x) * 3 + ch] - expected) < 1e-5, "(\(x), \(y))")
                }
            }
        }
    }

    @Test func constantColumnsAreAveragedToo() {
        // The transposed image: constant columns (column x is 10·x), texture down them.
        var px = [UInt8]()
        for _ in 0..<20 { for x in 0..<12 { px += [UInt8(10 * x), UInt8(10 * x), UInt8(10 * x)] } }
        let t = RasterImage(width: 12, height: 20, channels: 3, pixels: px)
        var s = PipelineState(CleanerInput(image: t))
        var samples = [Float]()
        for y in 0..<20 { for x in 0..<12 { for _ in 0..<3 { samples.append(Float(10 * x) + (y % 2 == 0 ? 0.5 : -0.5)) } } }
        s.setPixels(FloatImage(width: 12, height: 20, channels: 3, samples: samples))
        FlatAreaStage(radius: 4, lines: true).apply(to: &s, context: StageContext())
        let got = s.pixels().samples
        for y in 0..<20 {
            for x in 0..<12 {
                let sign: Float = y % 2 == 0 ? 1 : -1
                let expected = Float(10 * x) + ((4..<16).contains(y) ? sign * 0.5 / 9 : sign * 0.5)
                #expect(abs(got[(y * 12 + x) * 3] - expected) < 1e-5, "(\(x), \(y))")
            }
        }
    }

    /// The decode's edge map, against the definition checked pixel by pixel: a pixel is an
    /// edge when any channel differs from its left, right, upper or lower neighbour.
    @Test func edgesMarkEveryPixelThatDiffersFromANeighbour() {
        var state: UInt64 = 12345
        for (w, h, c) in [(1, 1, 3), (7, 1, 1), (1, 6, 3), (23, 17, 3), (16, 9, 1)] {
            var px = [UInt8]()
            for _ in 0..<(w * h * c) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                px.append(UInt8(state >> 62))   // 0…3: many equal neighbours
            }
            let image = RasterImage(width: w, height: h, channels: c, pixels: px)
            var expected = [Bool](repeating: false, count: w * h)
            for y in 0..<h {
                for x in 0..<w {
                    for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                        let nx = x + dx, ny = y + dy
                        guard nx >= 0, nx < w, ny >= 0, ny < h else { continue }
                        for ch in 0..<c where px[(y * w + x) * c + ch] != px[(ny * w + nx) * c + ch] { expected[y * w + x] = true }
                    }
                }
            }
            for threads in [1, 3] {
                #expect(BinaryMask.edges(of: image, threads: threads) == expected, "\(w)×\(h)×\(c), \(threads) threads")
            }
        }
    }
}
