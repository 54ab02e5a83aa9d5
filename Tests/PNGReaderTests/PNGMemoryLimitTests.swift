import Testing
@testable import PNGReader

/// The memory limit (issue 14, item 8): checked from IHDR, before any image data is read.
@Suite struct PNGMemoryLimitTests {
    /// A 20000×20000 RGBA 16-bit header (400 MP, within the pixel limit) with a few bytes
    /// of data: refused from IHDR with what it would need (3.2 GB of rows + 3.2 GB of
    /// samples). With the limit raised, the few bytes still fail as too little data, after
    /// an allocation bounded by what they can inflate to.
    @Test func hugeDeclaredImageIsRefusedFromIHDR() {
        var b = PNGBuilder()
        b.ihdr(width: 20000, height: 20000, depth: 16, colorType: 6)
        b.chunk("IDAT", PNGBuilder.storedZlib([0, 0, 0, 0]))
        b.chunk("IEND", [])
        let needed = 20000 * (1 + 20000 * 8) + 20000 * 20000 * 8 + 320
        #expect(PNGDecoder.memoryNeeded(width: 20000, height: 20000, colorType: .rgba, bitDepth: 16,
                                        interlaced: false) == needed)
        #expect(throws: PNGError.tooMuchMemory(width: 20000, height: 20000, needed: needed, limit: 1 << 30)) {
            _ = try PNGDecoder().decode(b.bytes)
        }
        #expect(PNGError.tooMuchMemory(width: 20000, height: 20000, needed: needed, limit: 1 << 30).description
                == "Decoding this 20000×20000 image needs about 6104 MiB, more than the memory limit of 1024 MiB; raise the limit (unjpeg: --max-memory) to decode it.")
        #expect(throws: PNGError.notEnoughData(chunk: "IDAT", expected: 20000 * (1 + 20000 * 8), actual: 4)) {
            _ = try PNGDecoder(maxMemory: .max).decode(b.bytes)
        }
    }

    /// The limit is exact: the estimate decodes, one byte less is refused; interlaced rows
    /// are counted per Adam7 pass.
    @Test(arguments: [false, true])
    func limitIsTheEstimate(_ interlaced: Bool) throws {
        let width = 13, height = 7
        // Gray 8-bit rows of zeros (filter 0), pass by pass when interlaced.
        let rows = PNGDecoder.inflatedSize(width: width, height: height, bitsPerPixel: 8, interlaced: interlaced)!
        // Adam7 passes of 13×7: 2×1, 2×1, 4×1, 3×2, 7×2, 6×4, 13×3, each row 1 byte longer.
        #expect(rows == (interlaced ? 3 + 3 + 5 + 2 * 4 + 2 * 8 + 4 * 7 + 3 * 14 : 7 * 14))
        var b = PNGBuilder()
        b.ihdr(width: UInt32(width), height: UInt32(height), depth: 8, colorType: 0, interlace: interlaced ? 1 : 0)
        b.chunk("IDAT", PNGBuilder.storedZlib([UInt8](repeating: 0, count: rows)))
        b.chunk("IEND", [])
        let needed = PNGDecoder.memoryNeeded(width: width, height: height, colorType: .gray, bitDepth: 8,
                                             interlaced: interlaced)
        #expect(needed == rows + width * height + 320)
        #expect(try PNGDecoder(maxMemory: needed).decode(b.bytes).width == width)
        #expect(throws: PNGError.tooMuchMemory(width: width, height: height, needed: needed, limit: needed - 1)) {
            _ = try PNGDecoder(maxMemory: needed - 1).decode(b.bytes)
        }
    }
}
