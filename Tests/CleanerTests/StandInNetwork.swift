import JPEGCodec
@testable import Cleaner

/// A stand-in for a network in the network stage's tests: a nonlinear function of the whole
/// window (its central block plus a tenth of the square of its mean), and what the stage should
/// give with it.
struct StandInNetwork {
    var stage: NetworkStage

    /// The default windows (24 × 24 around 8 × 8 blocks), or `geometry`.
    init(geometry: WindowGeometry = WindowGeometry()) {
        stage = NetworkStage(geometry: geometry, residual: false, batchSize: 5)
        stage.normalization = .centred
    }

    /// The output block of one window (`windowSize² · 3` normalised samples).
    func predict(_ window: ArraySlice<Float>) -> [Float] {
        let s = stage.geometry.windowSize, o = stage.geometry.coreSize, m = stage.geometry.margin
        let mean = window.reduce(0, +) / Float(window.count)
        var out: [Float] = []
        for r in 0..<o { for k in 0..<o { for c in 0..<3 {
            out.append(window[window.startIndex + ((r + m) * s + k + m) * 3 + c] + 0.1 * mean * mean)
        } } }
        return out
    }

    /// The stage's image of `image` on `threads` threads, how many windows it asked for, the
    /// image made by predicting every window on its own, and every window's samples.
    func run(_ image: RasterImage, threads: Int) -> (got: FloatImage, seen: Int, expected: FloatImage, windows: [Float]) {
        let s = stage.geometry.windowSize, per = s * s * 3
        var seen = 0
        let got = stage.predictImage(image, threads: threads) { windows, n in
            seen += n
            return (0..<n).flatMap { predict(windows[($0 * per)..<(($0 + 1) * per)]) }
        }
        let grid = stage.geometry.grid(width: image.width, height: image.height)
        let input = FloatImage(image, normalization: .centred)
        var acc = OverlapAccumulator(grid: grid, channels: 3, output: .centralBlock)
        let all = Windows.extract(from: input, grid: grid, windows: 0..<grid.count)
        acc.add((0..<grid.count).flatMap { predict(all[($0 * per)..<(($0 + 1) * per)]) }, firstWindow: 0, count: grid.count)
        var expected = acc.result()
        for i in expected.samples.indices {
            expected.samples[i] = min(max(SampleNormalization.centred.denormalize(expected.samples[i]), 0), 255)
        }
        return (got, seen, expected, all)
    }
}
