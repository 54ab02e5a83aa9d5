import Testing
@testable import JPEGCodec

/// Files that cost far more than their size (issue 14, items 8 and 9): a tiny file that
/// declares a huge image (memory), a progressive file whose scans repeat the image data
/// hundreds of times (work), a file that repeats one defect (warnings). Every file is built
/// here, from our encoder or byte by byte.
@Suite struct ResourceBoundsTests {
    static func decodeError(_ bytes: [UInt8], options: JPEGDecodingOptions = JPEGDecodingOptions()) -> JPEGError? {
        do throws(JPEGError) { _ = try JPEGDecoder.decode(bytes, options: options); return nil } catch { return error }
    }

    /// A 16×16 4:2:0 JPEG from our encoder with its frame header changed to declare
    /// `width`×`height`: the scan data covers one MCU, the rest is filled with gray.
    static func tinyFileDeclaring(width: Int, height: Int, gray: Bool = false) throws -> [UInt8] {
        let channels = gray ? 1 : 3
        let image = RasterImage(width: 16, height: 16, channels: channels,
                                pixels: (0..<(16 * 16 * channels)).map { UInt8(truncatingIfNeeded: $0 * 7) })
        var bytes = try JPEGEncoder.encode(image, options: EncoderOptions(quality: 85))
        var i = 2
        while bytes[i + 1] != 0xC0 { i += 2 + (Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])) }
        bytes[i + 5] = UInt8(height >> 8); bytes[i + 6] = UInt8(height & 255)
        bytes[i + 7] = UInt8(width >> 8); bytes[i + 8] = UInt8(width & 255)
        return bytes
    }

    // MARK: Memory

    /// The estimate of a 16×16 4:2:0 file, counted by hand: 6 blocks of 128 coefficient
    /// bytes; rings of 3 bands (16 rows × 16 for luma, 8 × 8 for each chroma); 3 row
    /// buffers and a colsum buffer of 32 entries; 16·16·3 output bytes.
    @Test func estimateOfASmallFile() throws {
        let info = try JPEGDecoder.inspect(try ResourceBoundsTests.tinyFileDeclaring(width: 16, height: 16))
        let keep = info.decodingMemory()
        #expect(keep.coefficientBytes == 6 * 128 && keep.smoothingBytes == 0)
        #expect(keep.workingBytes == 3 * 16 * 16 + 2 * 3 * 8 * 8 + 32 * 3 + 32 * 4)
        #expect(keep.outputBytes == 16 * 16 * 3)
        #expect(keep.total == 768 + 1376 + 768)
        // Without coefficients: one band of coefficient buffers instead of the planes.
        let stream = info.decodingMemory(keepCoefficients: false)
        #expect(stream.coefficientBytes == 0 && stream.workingBytes == keep.workingBytes + 6 * 128)
    }

    /// A 633-byte file declaring 22000×22000 used to allocate about 4 GB (gray fill) and
    /// abort on a small machine; it is refused from the header, naming what it needs.
    @Test func hugeDeclaredImageIsRefusedBeforeAllocation() throws {
        let file = try ResourceBoundsTests.tinyFileDeclaring(width: 22000, height: 22000)
        let estimate = try JPEGDecoder.inspect(file).decodingMemory()
        let needed = estimate.total + file.count
        #expect(estimate.outputBytes == 22000 * 22000 * 3)
        #expect(estimate.coefficientBytes == 1375 * 1375 * 6 * 128)
        let error = ResourceBoundsTests.decodeError(file)
        #expect(error == .tooMuchMemory(width: 22000, height: 22000, needed: needed, limit: 1 << 30))
        #expect(error?.description == "Decoding this 22000×22000 image needs about \((needed - 1) / (1 << 20) + 1) MiB, more than the memory limit of 1024 MiB; raise the limit (unjpeg: --max-memory) to decode it.")
        // Without coefficients the planes are not needed, but the pixels alone exceed 1 GiB.
        guard case .tooMuchMemory? = ResourceBoundsTests.decodeError(file, options: JPEGDecodingOptions(keepCoefficients: false)) else {
            Issue.record("expected tooMuchMemory without coefficients too")
            return
        }
    }

    /// The limit is exact: the estimate plus the file's size decodes, one byte less is
    /// refused; a sequential file decoded band by band needs no coefficient planes.
    @Test(arguments: [false, true])
    func limitIsTheEstimatePlusTheFile(_ gray: Bool) throws {
        let file = try ResourceBoundsTests.tinyFileDeclaring(width: 600, height: 400, gray: gray)
        let info = try JPEGDecoder.inspect(file)
        let keep = info.decodingMemory().total + file.count
        let stream = info.decodingMemory(keepCoefficients: false).total + file.count
        #expect(stream < keep)
        #expect(ResourceBoundsTests.decodeError(file, options: JPEGDecodingOptions(maxMemory: keep)) == nil)
        #expect(ResourceBoundsTests.decodeError(file, options: JPEGDecodingOptions(maxMemory: keep - 1))
                == .tooMuchMemory(width: 600, height: 400, needed: keep, limit: keep - 1))
        let streaming = JPEGDecodingOptions(maxMemory: stream, keepCoefficients: false)
        #expect(ResourceBoundsTests.decodeError(file, options: streaming) == nil)
        var tight = streaming
        tight.maxMemory -= 1
        #expect(ResourceBoundsTests.decodeError(file, options: tight)
                == .tooMuchMemory(width: 600, height: 400, needed: stream, limit: stream - 1))
    }

    /// A progressive file counts its coefficient planes and the smoothing copy.
    @Test func progressiveLimitCountsTheSmoothingCopy() throws {
        let file = HostileProgressive.make(width: 64, height: 64).bytes
        let estimate = try JPEGDecoder.inspect(file).decodingMemory(keepCoefficients: false)
        #expect(estimate.smoothingBytes == estimate.coefficientBytes && estimate.coefficientBytes == 64 * 128)
        let needed = estimate.total + file.count
        #expect(ResourceBoundsTests.decodeError(file, options: JPEGDecodingOptions(maxMemory: needed, keepCoefficients: false)) == nil)
        #expect(ResourceBoundsTests.decodeError(file, options: JPEGDecodingOptions(maxMemory: needed - 1, keepCoefficients: false))
                == .tooMuchMemory(width: 64, height: 64, needed: needed, limit: needed - 1))
    }

    // MARK: Work

    /// 883 valid scans (a DC scan, then every AC coefficient alone at Al 13 and refined bit
    /// by bit down to 0) over a 1280×1024 gray image: each scan walks all 20 480 blocks,
    /// whatever its size. The 65th scan would pass 64 passes and is refused before it runs.
    @Test func manyValidScansAreRefusedAtTheWorkLimit() {
        let hostile = HostileProgressive.make(width: 1280, height: 1024)
        #expect(hostile.scanOffsets.count == 883)
        let blocks = 160 * 128
        #expect(ResourceBoundsTests.decodeError(hostile.bytes)
                == .tooMuchScanWork(scan: 65, offset: hostile.scanOffsets[64], blocks: 65 * blocks, limit: 64 * blocks))
        // A lower limit stops earlier; the scan number and offset say where.
        #expect(ResourceBoundsTests.decodeError(hostile.bytes, options: JPEGDecodingOptions(maxScanPasses: 100))
                == .tooMuchScanWork(scan: 101, offset: hostile.scanOffsets[100], blocks: 101 * blocks, limit: 100 * blocks))
    }

    /// The same progression on a small image stays under the work that is always allowed:
    /// it decodes completely (mid-gray), its work counted.
    @Test func manyScansOfASmallImageDecode() throws {
        let hostile = HostileProgressive.make(width: 64, height: 64)
        let decoded = try JPEGDecoder.decode(hostile.bytes)
        #expect(decoded.blocksDecoded == 883 * 64)
        #expect(decoded.blocksDecoded <= JPEGDecodingOptions.minimumScanWork)
        #expect(decoded.warnings.isEmpty && decoded.coefficientsComplete)
        #expect(decoded.image.pixels.allSatisfy { $0 == 128 })
    }

    /// A baseline file takes one pass: one block decode per block (4:2:0: 6 per MCU).
    @Test func baselineWorkIsOnePass() throws {
        let file = try ResourceBoundsTests.tinyFileDeclaring(width: 48, height: 32)
        #expect(try JPEGDecoder.decode(file).blocksDecoded == 3 * 2 * 6)
        #expect(try JPEGDecoder.decode(file, options: JPEGDecodingOptions(keepCoefficients: false)).blocksDecoded == 36)
    }

    // MARK: Warnings

    /// The last refinement scan repeated 100 times: each repeat refines coefficient 63 out of
    /// order (libjpeg: "Inconsistent progression sequence"). 20 warnings are listed, then one
    /// counting the other 80 from the 21st repeat on.
    @Test func repeatedDefectsAreCountedNotListed() throws {
        let hostile = HostileProgressive.make(width: 64, height: 64, repeatLastScan: 100)
        let repeats = Array(hostile.scanOffsets.suffix(100))
        let decoded = try JPEGDecoder.decode(hostile.bytes)
        #expect(decoded.warnings.count == 21)
        #expect(Array(decoded.warnings.prefix(20))
                == repeats.prefix(20).map { .inconsistentProgression(component: 0, coefficient: 63, offset: $0) })
        #expect(decoded.warnings.last == .moreWarnings(count: 80, firstOffset: repeats[20]))
        #expect(decoded.warnings.last?.description == "80 more warnings (from byte \(repeats[20]) on) not listed.")
        #expect(decoded.blocksDecoded == 983 * 64)
        // The cap is an option; strict mode still throws the first.
        let none = try JPEGDecoder.decode(hostile.bytes, options: JPEGDecodingOptions(maxWarnings: 0))
        #expect(none.warnings == [.moreWarnings(count: 100, firstOffset: repeats[0])])
        #expect(ResourceBoundsTests.decodeError(hostile.bytes, options: JPEGDecodingOptions(strict: true))
                == .damaged(.inconsistentProgression(component: 0, coefficient: 63, offset: repeats[0])))
    }

    /// Damage past the listed warnings still marks the coefficients incomplete.
    @Test func unlistedDamageStillCounts() throws {
        // The DC scan codes 8 of the 64 blocks: its data runs out; every other scan is whole.
        let hostile = HostileProgressive.make(width: 64, height: 64, dcBlocks: 8)
        let listed = try JPEGDecoder.decode(hostile.bytes)
        #expect(!listed.coefficientsComplete)
        guard listed.warnings.count == 1, case .prematureEndOfScan(let offset) = listed.warnings[0] else {
            Issue.record("expected one premature end, got \(listed.warnings)")
            return
        }
        let unlisted = try JPEGDecoder.decode(hostile.bytes, options: JPEGDecodingOptions(maxWarnings: 0))
        #expect(!unlisted.coefficientsComplete)
        #expect(unlisted.warnings == [.moreWarnings(count: 1, firstOffset: offset)])
    }
}

/// Builds a gray progressive JPEG whose every AC coefficient is zero, so that each AC scan
/// is a few bytes of end-of-band runs however large the image: a DC first scan, then for
/// each coefficient 1…63 a first scan at Al = 13 and 13 refinement scans down to Al = 0
/// (883 scans, every one valid). The pattern of hostile files (libjpeg-turbo's
/// LJT-01-003).
enum HostileProgressive {
    /// Writes bits most significant first, with JPEG byte stuffing.
    struct BitWriter {
        var bytes: [UInt8] = []
        var accumulator = 0, count = 0
        mutating func put(_ value: Int, _ bits: Int) {
            for i in stride(from: bits - 1, through: 0, by: -1) {
                accumulator = accumulator << 1 | (value >> i) & 1
                count += 1
                if count == 8 {
                    bytes.append(UInt8(accumulator))
                    if accumulator == 0xFF { bytes.append(0) }
                    accumulator = 0
                    count = 0
                }
            }
        }
        /// Pads with one bits to a whole byte.
        mutating func finish() -> [UInt8] {
            while count != 0 { put(1, 1) }
            return bytes
        }
    }

    static func segment(_ marker: UInt8, _ body: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 255)] + body
    }

    /// The file, and the offset of every SOS marker in file order.
    /// - Parameters:
    ///   - repeatLastScan: how many copies of the last scan to append.
    ///   - dcBlocks: how many blocks the DC scan codes (default: all of them).
    static func make(width: Int, height: Int, repeatLastScan: Int = 0,
                     dcBlocks: Int? = nil) -> (bytes: [UInt8], scanOffsets: [Int]) {
        var file: [UInt8] = [0xFF, 0xD8]
        file += segment(0xDB, [0] + [UInt8](repeating: 1, count: 64))
        file += segment(0xC2, [8, UInt8(height >> 8), UInt8(height & 255), UInt8(width >> 8), UInt8(width & 255),
                               1, 1, 0x11, 0])
        // DC: two codes of 2 bits (symbol 0 is "00"). AC: EOB0…EOB14 as 4-bit codes 0…14.
        file += segment(0xC4, [0x00, 0, 2] + [UInt8](repeating: 0, count: 14) + [0, 1])
        file += segment(0xC4, [0x10, 0, 0, 0, 15] + [UInt8](repeating: 0, count: 12) + (0..<15).map { UInt8($0 << 4) })
        let blocks = ((width + 7) / 8) * ((height + 7) / 8)
        func sos(_ ss: Int, _ se: Int, _ ah: Int, _ al: Int) -> [UInt8] {
            segment(0xDA, [1, 1, 0x00, UInt8(ss), UInt8(se), UInt8(ah << 4 | al)])
        }
        var offsets: [Int] = []
        var dc = BitWriter()
        for _ in 0..<(dcBlocks ?? blocks) { dc.put(0, 2) }
        offsets.append(file.count)
        file += sos(0, 0, 0, 0) + dc.finish()
        var runs = BitWriter()
        var left = blocks
        while left > 0 {
            let run = min(left, 32767)
            let n = Int.bitWidth - 1 - run.leadingZeroBitCount
            runs.put(n, 4)
            runs.put(run - (1 << n), n)
            left -= run
        }
        let data = runs.finish()
        var last: [UInt8] = []
        for k in 1...63 {
            last = sos(k, k, 0, 13) + data
            offsets.append(file.count)
            file += last
            for al in stride(from: 12, through: 0, by: -1) {
                last = sos(k, k, al + 1, al) + data
                offsets.append(file.count)
                file += last
            }
        }
        for _ in 0..<repeatLastScan {
            offsets.append(file.count)
            file += last
        }
        file += [0xFF, 0xD9]
        return (file, offsets)
    }
}
