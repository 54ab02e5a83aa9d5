import Foundation
import Testing
import PNGWriter
import PNGReader

/// A deterministic corpus of encoded images (every format and level, several sizes and
/// contents) that must round-trip through our reader. When the environment variable
/// `UNJPEG_PNG_CROSSCHECK_DIR` names a folder, each PNG is also written there with its
/// samples (`NAME.samples`: bytes, 16-bit big-endian) for `Scripts/check_png_with_pillow.py`,
/// which decodes them with Pillow. One image is large enough for two bands (see `BandTests`).
@Suite struct CrossCheckCorpusTests {
    @Test func corpusRoundTripsAndIsExported() throws {
        let dir = ProcessInfo.processInfo.environment["UNJPEG_PNG_CROSSCHECK_DIR"]
        var seed: UInt64 = 500
        var written = 0
        for format in PNGPixelFormat.allCases {
            for level in CompressionLevel.allCases {
                // 256×700 RGB is two bands (the others one): once, to keep the debug run short.
                let multiBand = format == .rgb8 && level == .default ? [(256, 700, true)] : []
                for (w, h, smooth) in [(1, 1, false), (5, 3, true), (97, 61, true), (64, 64, false), (300, 200, true)] + multiBand {
                    seed += 1
                    let count = w * h * format.channels
                    var encoder = PNGEncoder(level: level)
                    if w == 97 { encoder.iccProfile = ICCProfile(name: "cross check", data: Array(repeating: 0x41, count: 500)) }
                    let png: [UInt8]
                    var sampleBytes: [UInt8]
                    if format.bitDepth == 8 {
                        sampleBytes = TestImages.bytes(count: count, smooth: smooth, seed: seed, width: w, channels: format.channels)
                        png = try encoder.encode(sampleBytes, width: w, height: h, format: format)
                        #expect(try PNGDecoder().decode(png).samples == .uint8(sampleBytes))
                    } else {
                        let hi = TestImages.bytes(count: count, smooth: smooth, seed: seed, width: w, channels: format.channels)
                        let samples = hi.enumerated().map { UInt16($0.element) << 8 | UInt16(($0.offset * 37) & 0xFF) }
                        png = try encoder.encode(sixteenBit: samples, width: w, height: h, format: format)
                        #expect(try PNGDecoder().decode(png).samples == .uint16(samples))
                        sampleBytes = samples.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
                    }
                    if let dir {
                        let name = "\(format)_\(level)_\(w)x\(h)"
                        let base = URL(fileURLWithPath: dir).appendingPathComponent(name)
                        try Data(png).write(to: base.appendingPathExtension("png"))
                        try Data(sampleBytes).write(to: base.appendingPathExtension("samples"))
                        written += 1
                    }
                }
            }
        }
        if dir != nil { #expect(written == 6 * 3 * 5 + 1) }
    }
}
