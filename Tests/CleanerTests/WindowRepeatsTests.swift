import Testing
import JPEGCodec
import Net
@testable import Cleaner

/// Windows whose bytes repeat an earlier window's go through the network once (issue 18 item 4).
@Suite struct WindowRepeatsTests {
    /// Horizontal stripes (each row one colour, so every inside window on a row of windows is
    /// the same), a random patch, and a repeated 8-pixel motif; `w × h`, RGB.
    static func repeatingImage(_ w: Int, _ h: Int, seed: UInt64) -> RasterImage {
        var rng = SplitMix64(seed: seed)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                var v: [UInt8] = [UInt8(truncatingIfNeeded: y * 9), UInt8(truncatingIfNeeded: 200 - y * 3), 77]
                if y >= 40 { v[2] = UInt8(truncatingIfNeeded: (x % 8) * 20) }
                if x >= 50 && x < 58 && y >= 10 && y < 30 { v[0] = UInt8(rng.nextInt(below: 256)) }
                for c in 0..<3 { pixels[(y * w + x) * 3 + c] = v[c] }
            }
        }
        return RasterImage(width: w, height: h, channels: 3, pixels: pixels)
    }

    @Test(arguments: [1, 2])
    func firstRepeatsMatchesBruteForce(threads: Int) {
        let image = Self.repeatingImage(96, 72, seed: 4)
        let grid = WindowGeometry().grid(width: 96, height: 72)
        let windows = Array(stride(from: 0, to: grid.count, by: 1)).filter { $0 % 5 != 3 }  // any increasing subset
        let got = Windows.firstRepeats(of: image, grid: grid, windows: windows, threads: threads)
        let s = 24
        func bytes(_ n: Int) -> [UInt8]? {
            let (ox, oy) = grid.origin(ofWindow: n)
            guard ox >= 0, oy >= 0, ox + s <= 96, oy + s <= 72 else { return nil }
            var out: [UInt8] = []
            for r in 0..<s {
                let start = ((oy + r) * 96 + ox) * 3
                out += image.pixels[start..<(start + s * 3)]
            }
            return out
        }
        var expected: [Int] = []
        for (k, n) in windows.enumerated() {
            guard let mine = bytes(n) else { expected.append(k); continue }
            expected.append((0..<k).first { bytes(windows[$0]) == mine } ?? k)
        }
        #expect(got == expected)
        #expect(got.enumerated().filter { $0.element != $0.offset }.count >= 10)
    }

    /// With the default windows, and with 32 × 32 windows around 16 × 16 cores (`train --window
    /// 32 --core 16`) on an image twice the size.
    @Test(arguments: [1, 2], [WindowGeometry(), WindowGeometry(windowSize: 32, coreSize: 16, stride: 16)])
    func repeatedWindowsGoThroughTheNetworkOnce(threads: Int, geometry: WindowGeometry) {
        let scale = geometry.coreSize / 8  // the same number of windows either way
        let image = Self.repeatingImage(96 * scale, 72 * scale, seed: 8)
        let network = StandInNetwork(geometry: geometry)
        let (got, seen, expected, _) = network.run(image, threads: threads)
        let grid = network.stage.geometry.grid(width: image.width, height: image.height)
        #expect(got == expected)
        // Each content once: the windows that are the first of their content.
        let keys = Windows.uniformColours(of: image, grid: grid)
        let varying = (0..<grid.count).filter { keys[$0] == nil }
        let first = Windows.firstRepeats(of: image, grid: grid, windows: varying)
        let distinct = first.enumerated().filter { $0.element == $0.offset }.count
        #expect(seen == distinct + Set(keys.compactMap { $0 }).count)
        #expect(seen + 40 < grid.count)  // most inside windows repeat another
    }
}
