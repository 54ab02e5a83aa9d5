import Testing
import PNGReader
import TestSupport

/// Damaged and hostile PNG files: each gives its specific typed error, never a trap.
@Suite struct CorruptFileTests {
    func gray1x1(filterType: UInt8 = 0, value: UInt8 = 9) -> PNGBuilder {
        var b = PNGBuilder()
        b.ihdr(width: 1, height: 1, depth: 8, colorType: 0)
        b.chunk("IDAT", PNGBuilder.storedZlib([filterType, value]))
        b.chunk("IEND", [])
        return b
    }

    @Test func validBuilderFileDecodes() throws {
        #expect(try PNGDecoder().decode(gray1x1().bytes).samples == .uint8([9]))
    }

    @Test func signatureAndCRC() {
        var b = gray1x1().bytes
        b[1] = 0x51
        #expect(throws: PNGError.invalidSignature) { _ = try PNGDecoder().decode(b) }
        var c = PNGBuilder()
        c.chunk("IHDR", PNGBuilder.be32(1) + PNGBuilder.be32(1) + [8, 0, 0, 0, 0], corruptCRC: true)
        let computed = PNGBuilder.crc32(Array("IHDR".utf8) + PNGBuilder.be32(1) + PNGBuilder.be32(1) + [8, 0, 0, 0, 0])
        #expect(throws: PNGError.checksumMismatch(chunk: "IHDR", offset: 8, declared: computed ^ 1, computed: computed)) {
            _ = try PNGDecoder().decode(c.bytes)
        }
    }

    @Test func crcCheckCanBeSkipped() throws {
        // xcsn0g01 differs from basn0g01 only in its IDAT CRC.
        let bytes = try fixtureBytes("pngsuite/xcsn0g01.png")
        #expect(throws: PNGError.self) { _ = try PNGDecoder().decode(bytes) }
        let image = try PNGDecoder(checkCRC: false).decode(bytes)
        #expect(image.rgba8() == (try fixtureBytes("pngsuite/basn0g01.rgba")))
    }

    @Test func decompressionBomb() {
        // A 1×1 gray image needs 2 bytes; this IDAT inflates to 1 MB of zeros.
        var b = PNGBuilder()
        b.ihdr(width: 1, height: 1, depth: 8, colorType: 0)
        b.chunk("IDAT", PNGBuilder.storedZlib([UInt8](repeating: 0, count: 1 << 20)))
        b.chunk("IEND", [])
        #expect(throws: PNGError.tooMuchData(chunk: "IDAT", offset: 7, limit: 2)) { _ = try PNGDecoder().decode(b.bytes) }
    }

    @Test func pixelLimitCheckedFromIHDR() {
        var b = PNGBuilder()
        b.ihdr(width: 100_000, height: 100_000, depth: 16, colorType: 6)
        b.chunk("IEND", [])
        #expect(throws: PNGError.tooManyPixels(width: 100_000, height: 100_000, limit: 512_000_000)) {
            _ = try PNGDecoder().decode(b.bytes)
        }
        #expect(throws: PNGError.tooManyPixels(width: 1, height: 1, limit: 0)) {
            _ = try PNGDecoder(maxPixels: 0).decode(gray1x1().bytes)
        }
        var huge = PNGBuilder()
        huge.ihdr(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF, depth: 8, colorType: 0)
        #expect(throws: PNGError.self) { _ = try PNGDecoder(maxPixels: Int.max).decode(huge.bytes) }
    }

    @Test func headerErrors() {
        var zero = PNGBuilder()
        zero.ihdr(width: 0, height: 5, depth: 8, colorType: 0)
        #expect(throws: PNGError.invalidDimensions(width: 0, height: 5)) { _ = try PNGDecoder().decode(zero.bytes) }
        var depth = PNGBuilder()
        depth.ihdr(width: 1, height: 1, depth: 16, colorType: 3)
        #expect(throws: PNGError.invalidColorTypeAndBitDepth(colorType: 3, bitDepth: 16)) { _ = try PNGDecoder().decode(depth.bytes) }
        var first = PNGBuilder()
        first.chunk("gAMA", PNGBuilder.be32(45455))
        #expect(throws: PNGError.misplacedChunk(chunk: "gAMA", offset: 8)) { _ = try PNGDecoder().decode(first.bytes) }
    }

    @Test func imageDataErrors() {
        #expect(throws: PNGError.invalidFilterType(row: 0, type: 5)) { _ = try PNGDecoder().decode(gray1x1(filterType: 5).bytes) }
        var short = PNGBuilder()
        short.ihdr(width: 2, height: 1, depth: 8, colorType: 0)
        short.chunk("IDAT", PNGBuilder.storedZlib([0, 1]))
        short.chunk("IEND", [])
        #expect(throws: PNGError.notEnoughData(chunk: "IDAT", expected: 3, actual: 2)) { _ = try PNGDecoder().decode(short.bytes) }
        var noIDAT = PNGBuilder()
        noIDAT.ihdr(width: 1, height: 1, depth: 8, colorType: 0)
        noIDAT.chunk("IEND", [])
        #expect(throws: PNGError.missingImageData) { _ = try PNGDecoder().decode(noIDAT.bytes) }
        var truncated = gray1x1().bytes
        truncated.removeLast(12)
        #expect(throws: PNGError.truncated(chunk: "IEND", offset: truncated.count)) { _ = try PNGDecoder().decode(truncated) }
    }

    @Test func paletteErrors() throws {
        var missing = PNGBuilder()
        missing.ihdr(width: 1, height: 1, depth: 8, colorType: 3)
        missing.chunk("IDAT", PNGBuilder.storedZlib([0, 0]))
        missing.chunk("IEND", [])
        #expect(throws: PNGError.missingPalette) { _ = try PNGDecoder().decode(missing.bytes) }
        var outOfRange = PNGBuilder()
        outOfRange.ihdr(width: 2, height: 1, depth: 8, colorType: 3)
        outOfRange.chunk("PLTE", [10, 20, 30, 40, 50, 60])
        outOfRange.chunk("tRNS", [128])
        outOfRange.chunk("IDAT", PNGBuilder.storedZlib([0, 1, 2]))
        outOfRange.chunk("IEND", [])
        #expect(throws: PNGError.paletteIndexOutOfRange(index: 2, paletteCount: 2)) { _ = try PNGDecoder().decode(outOfRange.bytes) }
        var ok = PNGBuilder()
        ok.ihdr(width: 2, height: 1, depth: 8, colorType: 3)
        ok.chunk("PLTE", [10, 20, 30, 40, 50, 60])
        ok.chunk("tRNS", [128])
        ok.chunk("IDAT", PNGBuilder.storedZlib([0, 1, 0]))
        ok.chunk("IEND", [])
        let image = try PNGDecoder().decode(ok.bytes)
        #expect(image.rgba8() == [40, 50, 60, 255, 10, 20, 30, 128])
        // Over white: round((c·128 + 255·127) / 255) for 10, 20, 30.
        #expect(image.rgb8() == [40, 50, 60, 132, 137, 142])
    }

    @Test func unknownCriticalChunk() {
        var b = PNGBuilder()
        b.ihdr(width: 1, height: 1, depth: 8, colorType: 0)
        b.chunk("ABCD", [])
        #expect(throws: PNGError.unknownCriticalChunk(chunk: "ABCD", offset: 33)) { _ = try PNGDecoder().decode(b.bytes) }
        var ancillary = PNGBuilder()
        ancillary.ihdr(width: 1, height: 1, depth: 8, colorType: 0)
        ancillary.chunk("abCD", [1, 2, 3])
        ancillary.chunk("IDAT", PNGBuilder.storedZlib([0, 7]))
        ancillary.chunk("IEND", [])
        #expect(throws: Never.self) { _ = try PNGDecoder().decode(ancillary.bytes) }
    }

    /// Random damage to real files: any outcome but a crash is acceptable, and every
    /// failure must be a `PNGError`.
    @Test func mutatedFilesNeverTrap() throws {
        let names = ["basi0g01.png", "basn2c16.png", "basi3p02.png", "basi6a16.png", "s09n3p02.png",
                     "tbrn2c08.png", "z09n2c08.png", "f04n2c08.png"]
        var rng = SplitMix64(seed: 7)
        var failures = 0, successes = 0
        for name in names {
            let original = try fixtureBytes("pngsuite/" + name)
            for iteration in 0..<150 {
                var b = original
                let edits = 1 + Int(rng.next() % 4)
                for _ in 0..<edits {
                    let i = 8 + Int(rng.next() % UInt64(b.count - 8))
                    switch rng.next() % 4 {
                    case 0: b[i] ^= UInt8(1 << (rng.next() % 8))
                    case 1: b[i] = UInt8(truncatingIfNeeded: rng.next())
                    case 2: b.removeSubrange(i..<min(b.count, i + Int(rng.next() % 16)))
                    default: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                    }
                    if b.count <= 8 { break }
                }
                if iteration % 3 == 0 { b = Array(b.prefix(Int(rng.next() % UInt64(b.count + 1)))) }
                do {
                    let image = try PNGDecoder(checkCRC: false).decode(b)
                    _ = image.rgb8()
                    _ = image.rgba8()
                    successes += 1
                } catch {
                    failures += 1
                }
            }
        }
        #expect(failures > 0 && successes > 0)
    }
}
