import Testing
@testable import LZ77
import TestSupport

/// The standard level adapts how many hash-chain candidates it tries to the block before:
/// 2 after a block with few matches (a photograph's noise), 128 after a highly repetitive one,
/// 16 otherwise. Checked with a trap: a string whose only long match is behind decoys.
@Suite struct MatchChainTests {
    /// `prefix`, a 64-byte string X, decoys, then X again. Decoy p is X with every byte at a
    /// position ≡ p (mod 5) changed, three copies for each p: wherever a match for the second X
    /// starts, the two nearest candidates in its hash chain are decoys that match 4 bytes (too
    /// short to use), and the first X is found only by a longer search.
    static func trap(after prefix: [UInt8], seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let x = (0..<64).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var data = prefix + x
        for _ in 0..<3 {
            for p in 0..<5 { data += x.enumerated().map { $0.offset % 5 == p ? $0.element ^ 0x55 : $0.element } }
        }
        return data + x
    }

    static func noise(_ n: Int) -> [UInt8] {
        var rng = SplitMix64(seed: 3)
        return (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    static func roundTrip(_ data: [UInt8], _ parameters: MatchParameters) throws -> Int {
        let z = Deflater.zlibCompress(data, parameters: parameters)
        let padded = z + [UInt8](repeating: 0, count: Inflater.inputPadding)
        let back = try padded.withUnsafeBufferPointer { p throws(InflateError) in
            try Inflater.zlibDecompress(p.baseAddress!, count: z.count, limit: data.count)
        }.array
        #expect(back == data)
        return z.count
    }

    @Test func fewCandidatesAfterABlockOfNoise() throws {
        var always16 = MatchParameters.standard
        always16.sparsePercent = nil
        #expect(MatchParameters.standard.sparsePercent == 50 && MatchParameters.standard.sparseChain == 2)
        // After 200 KB of noise (several blocks, none of them matched) X is not found again…
        let afterNoise = Self.trap(after: Self.noise(200_000), seed: 5)
        let adaptive = try Self.roundTrip(afterNoise, .standard), fixed = try Self.roundTrip(afterNoise, always16)
        #expect(adaptive >= fixed + 40, "X coded as literals (\(adaptive) bytes) instead of one match (\(fixed))")
        // …while after repetitive data, or within the first block, it is.
        let afterRuns = Self.trap(after: [UInt8](repeating: 7, count: 200_000), seed: 5)
        #expect(try Self.roundTrip(afterRuns, .standard) == (try Self.roundTrip(afterRuns, always16)))
        let firstBlock = Self.trap(after: Self.noise(1_000), seed: 5)
        #expect(try Self.roundTrip(firstBlock, .standard) == (try Self.roundTrip(firstBlock, always16)))
    }
}
