import Testing
@testable import PNGReader
import LZ77

/// Truncation at every offset, decompression bombs and endless chunk lists.
@Suite struct PNGHardeningTests {
    /// Every prefix of two small interlaced files (palette, RGB) throws a PNGError — IEND is
    /// required — and the whole file decodes; with and without CRC checks.
    @Test(arguments: ["pngsuite/basi3p04.png", "pngsuite/basi2c08.png"])
    func everyTruncationIsAnError(_ name: String) throws {
        let full = try fixtureBytes(name)
        for checkCRC in [true, false] {
            let decoder = PNGDecoder(checkCRC: checkCRC)
            let image = try decoder.decode(full)
            #expect(image.width == 32 && image.height == 32)
            for cut in 0..<full.count {
                do {
                    _ = try decoder.decode(Array(full.prefix(cut)))
                    Issue.record("\(name) cut at \(cut) decoded")
                } catch {
                    #expect(!error.description.isEmpty)
                }
            }
        }
    }

    /// A fixed-Huffman stream of 200 000 length-258 matches (325 KB that would inflate to
    /// 51 MB) stops at the size the IHDR allows: 16 rows of 1 + 16 bytes.
    @Test func compressedBombStopsAtTheIHDRSize() throws {
        var p = BitPacker()
        p.bits(1, 1); p.bits(1, 2)      // final block, fixed Huffman codes
        p.code(0x30, 8)                 // literal 0
        for _ in 0..<200_000 {
            p.code(0xC5, 8)             // length symbol 285: 258 bytes
            p.code(0, 5)                // distance code 0: distance 1
        }
        p.code(0, 7)                    // end of block
        let stream = p.zlib(adlerOf: [])
        var b = PNGBuilder()
        b.ihdr(width: 16, height: 16, depth: 8, colorType: 0)
        b.chunk("IDAT", stream)
        b.chunk("IEND", [])
        do {
            _ = try PNGDecoder().decode(b.bytes)
            Issue.record("the bomb decoded")
        } catch {
            guard case let .tooMuchData(chunk, _, limit) = error else {
                Issue.record("expected tooMuchData, got \(error)")
                return
            }
            #expect(chunk == "IDAT" && limit == 16 * 17)
        }
        // The zlib entry point honours its limit the same way.
        do {
            _ = try Inflate.zlibDecompress(stream, limit: 1000)
            Issue.record("the bomb inflated")
        } catch {
            guard case let .tooMuchData(chunk, _, limit) = error else {
                Issue.record("expected tooMuchData, got \(error)")
                return
            }
            #expect(chunk == "zlib" && limit == 1000)
        }
    }

    /// Twenty thousand ancillary chunks (and iCCP chunks after the first) are skipped in one
    /// pass: the picture is the same as without them.
    @Test func manyAncillaryChunksAreSkipped() throws {
        var plain = PNGBuilder()
        plain.ihdr(width: 2, height: 1, depth: 8, colorType: 0)
        plain.chunk("IDAT", PNGBuilder.storedZlib([0, 7, 9]))
        plain.chunk("IEND", [])
        var padded = PNGBuilder()
        padded.ihdr(width: 2, height: 1, depth: 8, colorType: 0)
        for i in 0..<20_000 {
            padded.chunk(["tEXt", "zTXt", "iCCP", "teSt"][i % 4], [UInt8(i & 0xFF), 0, 0])
        }
        padded.chunk("IDAT", PNGBuilder.storedZlib([0, 7, 9]))
        padded.chunk("IEND", [])
        let reference = try PNGDecoder().decode(plain.bytes)
        let image = try PNGDecoder().decode(padded.bytes)
        #expect(image.samples == reference.samples && image.samples == .uint8([7, 9]))
    }

    /// The inflater's output buffer is sized by what the data can produce (≤ 1032 bytes per
    /// input byte), not only by what the header promises: a 20000 × 20000 16-bit RGBA header
    /// (3.2 GB of rows) with a 13-byte zlib stream reserves about 54 KB.
    @Test func outputBufferIsBoundedByTheInput() throws {
        #expect(Inflater.maximumOutput(count: 0) >= 1032 * 8)
        #expect(Inflater.maximumOutput(count: 13) < 64 * 1024)
        #expect(Inflater.maximumOutput(count: 1_000_000) >= 1032 * 1_000_000)
        #expect(Inflater.maximumOutput(count: Int.max / 2) > 1 << 60)  // no overflow trap
        var b = PNGBuilder()
        b.ihdr(width: 20_000, height: 20_000, depth: 16, colorType: 6)
        b.chunk("IDAT", PNGBuilder.storedZlib([0, 0, 0]))
        b.chunk("IEND", [])
        // (The default memory limit refuses this header outright; without it, the inflater's
        // own bound is what keeps the allocation small.)
        #expect(throws: PNGError.notEnoughData(chunk: "IDAT", expected: 20_000 * (1 + 20_000 * 8), actual: 3)) {
            _ = try PNGDecoder(maxMemory: .max).decode(b.bytes)
        }
        // A dense stream (fixed codes, 20 000 matches of 258 bytes from 33 KB) still inflates
        // completely under the bound: it fails only at the (deliberately wrong) checksum.
        var p = BitPacker()
        p.bits(1, 1); p.bits(1, 2)
        p.code(0x30, 8)
        for _ in 0..<20_000 { p.code(0xC5, 8); p.code(0, 5) }
        p.code(0, 7)
        do {
            _ = try Inflate.zlibDecompress(p.zlib(adlerOf: []), limit: Int.max / 4)
            Issue.record("the checksum was accepted")
        } catch {
            guard case .streamChecksumMismatch = error else {
                Issue.record("expected streamChecksumMismatch, got \(error)")
                return
            }
        }
    }
}
