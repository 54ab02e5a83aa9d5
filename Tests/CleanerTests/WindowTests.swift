import Testing
import JPEGCodec
@testable import Cleaner
import TestSupport

func randomRaster(_ w: Int, _ h: Int, channels: Int = 3, seed: UInt64) -> RasterImage {
    var rng = SplitMix64(seed: seed)
    return RasterImage(width: w, height: h, channels: channels,
                       pixels: (0..<(w * h * channels)).map { _ in UInt8(rng.nextInt(below: 256)) })
}

/// Runs an identity "model" over every window: the output is the window itself (full
/// window) or its central block.
func identityReassembly(_ image: FloatImage, _ geometry: WindowGeometry, _ output: WindowOutput,
                        weights: [Float]? = nil, batch: Int = 7) -> FloatImage {
    let grid = geometry.grid(width: image.width, height: image.height)
    var acc = OverlapAccumulator(grid: grid, channels: image.channels, output: output, weights: weights)
    let s = geometry.windowSize, c = image.channels
    let o = output.size(for: geometry), off = output.offset(for: geometry)
    var first = 0
    while first < grid.count {
        let n = min(batch, grid.count - first)
        let windows = Windows.extract(from: image, grid: grid, windows: first..<(first + n))
        var outs: [Float] = []
        for w in 0..<n {
            for r in 0..<o { for k in 0..<o { for ch in 0..<c {
                outs.append(windows[w * s * s * c + ((r + off) * s + k + off) * c + ch])
            } } }
        }
        acc.add(outs, firstWindow: first, count: n)
        first += n
    }
    return acc.result()
}

@Suite struct WindowTests {
    @Test func mirrorIsHalfSampleSymmetric() {
        // count 4: … 1 0 | 0 1 2 3 | 3 2 1 0 | 0 1 …
        #expect((-3...9).map { Windows.mirror($0, count: 4) } == [2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1])
        #expect((-5...5).allSatisfy { Windows.mirror($0, count: 1) == 0 })
    }

    @Test func gridCountsAndOrigins() {
        let g = WindowGeometry(windowSize: 24, coreSize: 8, stride: 8)
        let grid = g.grid(width: 33, height: 17)   // ⌈25/8⌉+1 = 5 columns, ⌈9/8⌉+1 = 3 rows
        #expect(grid.columns == 5 && grid.rows == 3 && grid.count == 15)
        #expect(grid.origin(ofWindow: 0) == (-8, -8))
        #expect(grid.origin(ofWindow: 6) == (0, 0))
        #expect(grid.origin(ofWindow: 14) == (24, 8))
        #expect(g.grid(width: 1, height: 8).count == 1)
        #expect(g.grid(width: 9, height: 16).columns == 2)
        let g4 = WindowGeometry(windowSize: 16, coreSize: 8, stride: 4)
        #expect(g4.grid(width: 20, height: 8).columns == 4)   // 0,4,8,12: last block ends at 20
    }

    @Test func extractedWindowIsMirroredNeighbourhood() {
        // 3×2 gray image, 4×4 windows with a 2×2 core: window 0 starts at (−1, −1).
        let img = FloatImage(width: 3, height: 2, channels: 1, samples: [1, 2, 3, 4, 5, 6])
        let g = WindowGeometry(windowSize: 4, coreSize: 2, stride: 2)
        let grid = g.grid(width: 3, height: 2)
        #expect(grid.count == 2)
        let w = Windows.extract(from: img, grid: grid, windows: 0..<2)
        // rows −1,0,1,2 → 0,0,1,1; columns −1,0,1,2 → 0,0,1,2
        #expect(Array(w[0..<16]) == [1, 1, 2, 3, 1, 1, 2, 3, 4, 4, 5, 6, 4, 4, 5, 6])
        // window 1: columns 1,2,3,4 → 1,2,2,1
        #expect(Array(w[16..<32]) == [2, 3, 3, 2, 2, 3, 3, 2, 5, 6, 6, 5, 5, 6, 6, 5])
    }

    @Test(arguments: [(1, 1), (7, 9), (33, 17), (8, 8), (50, 3)])
    func identityModelReconstructsExactly(size: (Int, Int)) {
        let raster = randomRaster(size.0, size.1, seed: UInt64(size.0 * 100 + size.1))
        let image = FloatImage(raster, normalization: .centred)
        for geometry in [WindowGeometry(windowSize: 24, coreSize: 8, stride: 8),
                         WindowGeometry(windowSize: 24, coreSize: 8, stride: 4),
                         WindowGeometry(windowSize: 16, coreSize: 16, stride: 8)] {
            for output in [WindowOutput.centralBlock, .fullWindow] {
                let back = identityReassembly(image, geometry, output)
                #expect(back == image)
                #expect(back.rasterImage(normalization: .centred) == raster)
                let weighted = identityReassembly(image, geometry, output,
                                                  weights: Windows.tentWeights(size: output.size(for: geometry)))
                #expect(weighted.rasterImage(normalization: .centred) == raster)
                for i in image.samples.indices { #expect(abs(weighted.samples[i] - image.samples[i]) < 1e-5) }
            }
        }
    }

    @Test func overlapAveragesDistinctOutputs() {
        // 16×8 gray image, 16×16 windows with an 8×8 core at stride 8: two windows. Full
        // outputs of constant 1 and 3: the central 8×8 of each window covers its own block;
        // window 0 covers columns 0…11 (origin −4), window 1 columns 4…15, so columns 4…11
        // average to 2.
        let grid = WindowGeometry(windowSize: 16, coreSize: 8, stride: 8).grid(width: 16, height: 8)
        #expect(grid.count == 2)
        var acc = OverlapAccumulator(grid: grid, channels: 1, output: .fullWindow)
        acc.add([Float](repeating: 1, count: 256) + [Float](repeating: 3, count: 256), firstWindow: 0, count: 2)
        let r = acc.result()
        for y in 0..<8 {
            for x in 0..<16 {
                let expected: Float = x < 4 ? 1 : (x < 12 ? 2 : 3)
                #expect(r.samples[y * 16 + x] == expected)
            }
        }
    }

    @Test func tentWeightsByHand() {
        #expect(Windows.tentWeights(size: 3) == [1, 2, 1, 2, 4, 2, 1, 2, 1])
    }

    @Test func cropTakesTheRectangle() {
        let img = RasterImage(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
        #expect(img.cropped(x: 1, y: 0, width: 2, height: 2).pixels == [2, 3, 5, 6])
        #expect(img.cropped(x: 0, y: 1, width: 3, height: 1).pixels == [4, 5, 6])
    }

    @Test func uniformColoursByHand() {
        // 40×24 RGB, all (10, 20, 30) but the pixel (35, 5); 24×24 windows every 8 pixels
        // (origins x = −8, 0, 8, 16, 24; y = −8, 0, 8). A window holds (35, 5) when its columns
        // reach 35 or mirror onto it (x = 24 covers 24…47, where 44 mirrors to 35) and its rows
        // reach 5 (y = 8 covers 8…31, mirrored 8…23: not row 5).
        var pixels = [UInt8](repeating: 0, count: 40 * 24 * 3)
        for i in 0..<(40 * 24) { pixels[3 * i] = 10; pixels[3 * i + 1] = 20; pixels[3 * i + 2] = 30 }
        pixels[(5 * 40 + 35) * 3] = 11
        let image = RasterImage(width: 40, height: 24, channels: 3, pixels: pixels)
        let grid = WindowGeometry().grid(width: 40, height: 24)
        #expect(grid.columns == 5 && grid.rows == 3)
        let keys = Windows.uniformColours(of: image, grid: grid, threads: 2)
        let colour: UInt32 = 10 << 16 | 20 << 8 | 30
        for n in 0..<grid.count {
            let (x, y) = grid.origin(ofWindow: n)
            #expect(keys[n] == (x + 23 >= 35 && y <= 5 ? nil : colour), "window \(n)")
        }
        let gray = RasterImage(width: 9, height: 9, channels: 1, pixels: [UInt8](repeating: 7, count: 81))
        #expect(Windows.uniformColours(of: gray, grid: WindowGeometry().grid(width: 9, height: 9)) == [7, 7, 7, 7])
    }

    /// One odd sample, or one odd column (every row alike), anywhere in a flat image (any
    /// channel, first rows and columns, the last bytes of a row): a window is uniform exactly
    /// when none of its (mirrored) samples is odd,
    /// checked against the windows' own samples, for RGB and gray and two window sizes.
    @Test(arguments: [(3, 24), (1, 24), (3, 16), (1, 16)])
    func uniformColoursAgainstEverySample(channels c: Int, window s: Int) {
        var rng = SplitMix64(seed: UInt64(7 * c + s))
        let w = 53, h = 41
        let geometry = WindowGeometry(windowSize: s, coreSize: 8, stride: 8)
        let grid = geometry.grid(width: w, height: h)
        let per = s * s * c
        var window = [Float](repeating: 0, count: per)
        for trial in 0..<16 {
            var pixels = [UInt8](repeating: 200, count: w * h * c)
            let x = trial < 4 ? [0, w - 1, 17, 32][trial] : rng.nextInt(below: w)
            let y = trial < 4 ? [0, 0, 8, h - 1][trial] : rng.nextInt(below: h)
            let channel = rng.nextInt(below: c)
            for row in (trial < 8 ? y..<(y + 1) : 0..<h) { pixels[(row * w + x) * c + channel] = 201 }
            let image = RasterImage(width: w, height: h, channels: c, pixels: pixels)
            let keys = Windows.uniformColours(of: image, grid: grid, threads: 1 + trial % 2)
            let samples = FloatImage(image)
            for n in 0..<grid.count {
                let (ox, oy) = grid.origin(ofWindow: n)
                window.withUnsafeMutableBufferPointer { Windows.extractSquare(from: samples, x: ox, y: oy, size: s, into: $0) }
                let one = window.allSatisfy { $0 == 200 }
                let colour: UInt32 = c == 3 ? 200 << 16 | 200 << 8 | 200 : 200
                #expect(keys[n] == (one ? colour : nil), "odd sample at (\(x), \(y)), window \(n)")
            }
        }
    }

    @Test(arguments: [1, 2])
    func windowsOfOneColourGoThroughTheNetworkOnce(threads: Int) {
        // Flat areas of three colours with a noisy strip: the stage's output equals every window
        // predicted on its own, while the predictor sees each flat colour once.
        var rng = SplitMix64(seed: 11)
        let w = 72, h = 48
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let v: [UInt8] = y >= 20 && y < 26 ? [UInt8(rng.nextInt(below: 256)), 40, 50]
                    : x < 30 ? [250, 250, 250] : y < 20 ? [0, 90, 200] : [12, 34, 56]
                for c in 0..<3 { pixels[(y * w + x) * 3 + c] = v[c] }
            }
        }
        let image = RasterImage(width: w, height: h, channels: 3, pixels: pixels)
        let network = StandInNetwork()
        let s = network.stage.geometry.windowSize, per = s * s * 3
        let (got, seen, expected, all) = network.run(image, threads: threads)
        let grid = network.stage.geometry.grid(width: w, height: h)
        #expect(got == expected)
        // The colours against every window's samples.
        let keys = Windows.uniformColours(of: image, grid: grid)
        for n in 0..<grid.count {
            let window = Array(all[(n * per)..<((n + 1) * per)])
            let one = (0..<(s * s)).allSatisfy { Array(window[(3 * $0)..<(3 * $0 + 3)]) == Array(window[0..<3]) }
            #expect((keys[n] != nil) == one, "window \(n)")
        }
        let uniform = keys.compactMap { $0 }
        #expect(uniform.count >= 10 && Set(uniform).count == 3)
        #expect(seen == grid.count - uniform.count + 3)
    }
}
