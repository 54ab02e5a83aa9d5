import Dispatch
import Testing
import PNGWriter
import PNGReader

/// The encoder's bands (issue 18): the split is a function of the image's size only, and the
/// bytes do not depend on how (in which order, on how many threads) the bands are run.
@Suite struct BandTests {
    /// Runs the pieces last to first.
    static func reversed(_ count: Int, _ body: @Sendable (Int) -> Void) {
        for i in (0..<count).reversed() { body(i) }
    }

    /// Runs the pieces on 3 threads at once.
    static func concurrent(_ count: Int, _ body: @Sendable (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: count) { body($0) }
    }

    @Test func bandsAreWholeRowsAndDependOnTheSizeOnly() {
        // Small images are one band (the bytes of the plain stream).
        #expect(PNGEncoder.bandRows(width: 1, height: 1, format: .gray8) == [0..<1])
        #expect(PNGEncoder.bandRows(width: 400, height: 300, format: .rgb8) == [0..<300])
        // 12 MP RGB: 36,003,000 filtered bytes, ⌈/ 2¹⁹⌉ = 69 bands of 43 or 44 rows.
        let big = PNGEncoder.bandRows(width: 4000, height: 3000, format: .rgb8)
        #expect(big.count == 69)
        #expect(big.first == 0..<43 && big.last?.upperBound == 3000)
        #expect(zip(big, big.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(big.allSatisfy { (43...44).contains($0.count) })
        // Never more bands than rows.
        #expect(PNGEncoder.bandRows(width: 1 << 20, height: 3, format: .rgb16).count == 3)
    }

    /// An image of two bands (kept small: row filtering is slow in debug builds): identical
    /// bytes from every runner, and our reader gets the samples back. (Pillow reads multi-band
    /// files too: `CrossCheckCorpusTests` exports one for `Scripts/check_png_with_pillow.py`.)
    @Test func everyRunnerWritesTheSameBytes() throws {
        let w = 256, h = 700
        #expect(PNGEncoder.bandRows(width: w, height: h, format: .rgb8) == [0..<350, 350..<700])
        let samples = TestImages.bytes(count: w * h * 3, smooth: true, seed: 9, width: w, channels: 3)
        let encoder = PNGEncoder(level: .default)
        let serial = try encoder.encode(samples, width: w, height: h, format: .rgb8)
        #expect(try encoder.encode(samples, width: w, height: h, format: .rgb8, runBands: BandTests.reversed) == serial)
        #expect(try encoder.encode(samples, width: w, height: h, format: .rgb8, runBands: BandTests.concurrent) == serial)
        #expect(try PNGDecoder().decode(serial).samples == .uint8(samples))
    }
}
