import Testing
import LZ77
import TestSupport

/// Deflate in bands (the PNG encoder's threads): bands compressed separately, each with the
/// 32 KiB before it as history, concatenate into one zlib stream that our strict inflater
/// accepts (Adler-32 included, combined from the bands' checksums).
@Suite struct DeflateBandTests {
    /// Data with long-distance repeats: random 20 KiB pieces, each repeated once right after
    /// itself, some runs, and text-like copies.
    static let data: [UInt8] = {
        var rng = SplitMix64(seed: 77)
        var out: [UInt8] = []
        while out.count < 150_000 {
            let piece = (0..<Int(rng.next() % 20_000 + 1)).map { _ in UInt8(truncatingIfNeeded: rng.next() % 16) }
            out += piece + piece
            out += [UInt8](repeating: UInt8(truncatingIfNeeded: rng.next()), count: Int(rng.next() % 700))
        }
        return out
    }()

    /// The zlib stream of `data` deflated in bands cut at `cuts`.
    static func banded(_ data: [UInt8], cuts: [Int], parameters: MatchParameters) -> [UInt8] {
        let bounds = [0] + cuts + [data.count]
        var stream = Deflater.zlibHeader(parameters)
        var adler = Adler32()
        let padded = data + [UInt8](repeating: 0, count: 16)
        padded.withUnsafeBufferPointer { p in
            for k in 0..<(bounds.count - 1) {
                let start = bounds[k], count = bounds[k + 1] - start
                stream += Deflater.deflateBand(p.baseAddress! + start, history: min(start, Deflater.window), count: count,
                                               isLast: k == bounds.count - 2, parameters: parameters)
                var band = Adler32()
                band.update(UnsafeRawBufferPointer(start: p.baseAddress! + start, count: count))
                adler = adler.combined(with: band, length: count)
            }
        }
        Deflater.appendTrailer(&stream, adler)
        return stream
    }

    static func inflate(_ z: [UInt8], limit: Int) throws(InflateError) -> [UInt8] {
        let padded = z + [UInt8](repeating: 0, count: Inflater.inputPadding)
        return try padded.withUnsafeBufferPointer { p throws(InflateError) in
            try Inflater.zlibDecompress(p.baseAddress!, count: z.count, limit: limit)
        }.array
    }

    @Test(arguments: [("fast", MatchParameters.fast), ("standard", .standard), ("best", .best)])
    func bandsConcatenateIntoOneStream(_ level: String, _ parameters: MatchParameters) throws {
        let data = Self.data
        let whole = Deflater.zlibCompress(data, parameters: parameters)
        // One band is the plain stream, byte for byte.
        #expect(Self.banded(data, cuts: [], parameters: parameters) == whole)
        // Bands of every kind: tiny ones (shorter than a match, or than the hash), one ending
        // inside a repeat, and bands longer than the 32 KiB window.
        for cuts in [[1], [1, 2, 3, 7], [50_000], [20_001, 20_002, 90_000], [40_000, 80_000, 120_000, data.count - 2]] {
            let z = Self.banded(data, cuts: cuts, parameters: parameters)
            #expect(try Self.inflate(z, limit: data.count) == data, "\(level) cuts \(cuts)")
            // With the history, a cut costs a block header and a 5-byte empty stored block.
            #expect(z.count <= whole.count + 200 * cuts.count, "\(level) cuts \(cuts): \(z.count) vs \(whole.count)")
        }
    }

    /// Without the history each band would start from scratch: a band made only of a repeat of
    /// the previous band's bytes shrinks to a few matches with it.
    @Test func bandsUseTheHistoryBeforeThem() throws {
        var rng = SplitMix64(seed: 8)
        let piece = (0..<30_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let data = piece + piece
        let z = Self.banded(data, cuts: [30_000], parameters: .standard)
        #expect(try Self.inflate(z, limit: data.count) == data)
        #expect(z.count < 30_000 + 1_000)
    }

    @Test func adlerCombinesAcrossAnySplit() {
        var rng = SplitMix64(seed: 21)
        let data = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: rng.next() | 0xF0) }
        var direct = Adler32()
        data.withUnsafeBytes { direct.update($0) }
        for split in [0, 1, 5551, 5552, 65521, 65522, 69_999, 70_000] {
            var a = Adler32(), b = Adler32()
            data[..<split].withUnsafeBytes { a.update($0) }
            data[split...].withUnsafeBytes { b.update($0) }
            #expect(a.combined(with: b, length: data.count - split).value == direct.value, "split at \(split)")
        }
    }
}
