import Testing
import JPEGCodec
@testable import Cleaner
import TestSupport

@Suite struct TrainingPairTests {
    @Test func dihedralTransformsByHand() {
        let b: [Float] = [1, 2, 3, 4]   // [[1, 2], [3, 4]]
        #expect(DihedralTransform(flipsHorizontally: true).apply(b, size: 2, channels: 1) == [2, 1, 4, 3])
        #expect(DihedralTransform(flipsVertically: true).apply(b, size: 2, channels: 1) == [3, 4, 1, 2])
        #expect(DihedralTransform(transposed: true).apply(b, size: 2, channels: 1) == [1, 3, 2, 4])
        // Transpose then mirror left-right: a quarter turn counter-clockwise, [[2, 4], [1, 3]].
        let quarter = DihedralTransform(transposed: true, flipsHorizontally: true)
        #expect(quarter.isRotation)
        #expect(quarter.apply(b, size: 2, channels: 1) == [2, 4, 1, 3])
        // The checked buffer form gives the same.
        var out = [Float](repeating: 0, count: 4)
        b.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { quarter.apply(size: 2, channels: 1, from: s, to: $0) }
        }
        #expect(out == [2, 4, 1, 3])
        // Channels move together: two-channel pixels (1,10) (2,20) / (3,30) (4,40).
        #expect(DihedralTransform(flipsVertically: true).apply([1, 10, 2, 20, 3, 30, 4, 40], size: 2, channels: 2)
                == [3, 30, 4, 40, 1, 10, 2, 20])
    }

    @Test func allowedSetsAreDistinct() {
        let block = (0..<9).map { Float($0) }
        let images = DihedralTransform.all.map { $0.apply(block, size: 3, channels: 1) }
        #expect(Set(images.map { $0.map(Int.init) }).count == 8)
        #expect(DihedralTransform.allowed(flips: true, quarterTurns: true).count == 8)
        #expect(DihedralTransform.allowed(flips: false, quarterTurns: true).count == 4)
        #expect(DihedralTransform.allowed(flips: false, quarterTurns: true).allSatisfy { $0.isRotation })
        #expect(DihedralTransform.allowed(flips: true, quarterTurns: false).count == 4)
        #expect(DihedralTransform.allowed(flips: false, quarterTurns: false) == [.identity])
    }

    @Test func residualPairOfAnInteriorWindow() {
        let clean = randomRaster(40, 32, seed: 1), degraded = randomRaster(40, 32, seed: 2)
        let src = TrainingPairSource(clean: clean, degraded: degraded)
        #expect(src.inputSize == 24 * 24 * 3 && src.targetSize == 8 * 8 * 3)
        // Window 6 = row 1, column 1 (5 columns): origin (0, 0), central block (8…15, 8…15).
        #expect(src.grid.columns == 5)
        let batch = src.pairs(windows: 6..<7)
        for r in 0..<24 {
            for k in 0..<24 {
                for c in 0..<3 {
                    let v = Float(degraded.pixels[(r * 40 + k) * 3 + c])
                    #expect(batch.inputs[(r * 24 + k) * 3 + c] == (v - 128) / 64)
                }
            }
        }
        for r in 0..<8 {
            for k in 0..<8 {
                for c in 0..<3 {
                    let p = ((8 + r) * 40 + 8 + k) * 3 + c
                    let expected = (Float(clean.pixels[p]) - Float(degraded.pixels[p])) / 64
                    #expect(batch.targets[(r * 8 + k) * 3 + c] == expected)
                }
            }
        }
        let cleanTarget = TrainingPairSource(clean: clean, degraded: degraded,
                                             options: .init(target: .clean, normalization: .unit))
        let t = cleanTarget.pairs(windows: 6..<7).targets
        #expect(abs(t[0] - Float(clean.pixels[(8 * 40 + 8) * 3]) / 255) < 1e-7)
    }

    @Test func augmentationTransformsInputAndTargetTogether() {
        let clean = randomRaster(30, 20, seed: 5), degraded = randomRaster(30, 20, seed: 6)
        for output in [WindowOutput.centralBlock, .fullWindow] {
            let src = TrainingPairSource(clean: clean, degraded: degraded, options: .init(output: output))
            let plain = src.pairs(windows: 3..<4)
            let o = output.size(for: src.options.geometry)
            for t in DihedralTransform.all {
                var inp = [Float](repeating: 0, count: src.inputSize)
                var tgt = [Float](repeating: 0, count: src.targetSize)
                inp.withUnsafeMutableBufferPointer { ip in
                    tgt.withUnsafeMutableBufferPointer { tp in
                        src.pair(window: 3, transform: t, input: ip, target: tp)
                    }
                }
                #expect(inp == t.apply(plain.inputs, size: 24, channels: 3))
                #expect(tgt == t.apply(plain.targets, size: o, channels: 3))
            }
        }
    }

    @Test func samplingIsReproducibleFromTheSeed() {
        let clean = randomRaster(50, 45, seed: 8), degraded = randomRaster(50, 45, seed: 9)
        let src = TrainingPairSource(clean: clean, degraded: degraded)
        var r1 = SplitMix64(seed: 2024), r2 = SplitMix64(seed: 2024), r3 = SplitMix64(seed: 2025)
        let a = src.samplePairs(count: 20, using: &r1)
        let b = src.samplePairs(count: 20, using: &r2)
        let c = src.samplePairs(count: 20, using: &r3)
        #expect(a == b)
        #expect(a != c)
        #expect(a.count == 20 && a.inputs.count == 20 * 1728 && a.targets.count == 20 * 192)
    }

    @Test func splitMixKnownOutputs() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        var h = SplitMix64(seed: 1)
        let draws = (0..<1000).map { _ in h.nextInt(below: 10) }
        #expect(draws.allSatisfy { (0..<10).contains($0) })
        #expect(Set(draws).count == 10)
    }
}

/// The 8-bit pair records and the generator (issue 15 item 3).
@Suite struct PairRecordTests {
    @Test func recordsHoldTheWindowAndTheCleanBlockExactly() {
        let clean = syntheticImage(40, 32, seed: 3)
        let decoded = simulatedJPEG(clean)
        let source = TrainingPairSource(clean: clean, degraded: decoded.image, options: TrainingPairOptions(flips: false, quarterTurns: false))
        let batch = source.pairs(windows: 0..<3)
        let format = PairRecordFormat(windowSize: 24, targetSize: 8, channels: 3)
        var records: [UInt8] = []
        format.append(batch, to: &records)
        #expect(records.count == 3 * (24 * 24 * 3 + 8 * 8 * 3))
        // The first record: window 0 of the decode (origin −8, −8, edges replicated) and the
        // clean block at (0, 0).
        let windowBytes = 24 * 24 * 3
        let centre = (8 * 24 + 8) * 3
        let lastOfBlock = windowBytes + (7 * 8 + 7) * 3 + 2
        let lastInClean = (7 * 40 + 7) * 3 + 2
        #expect(records[centre] == decoded.image.pixels[0])
        #expect(records[windowBytes] == clean.pixels[0])
        #expect(records[lastOfBlock] == clean.pixels[lastInClean])
        // Decoding gives back the batch: inputs, and residual targets.
        var input = [Float](repeating: 0, count: 24 * 24 * 3), target = [Float](repeating: 0, count: 8 * 8 * 3)
        for p in 0..<3 {
            records.withUnsafeBufferPointer { r in
                format.decode(r.baseAddress! + p * format.recordBytes, residual: true, input: &input, target: &target)
            }
            #expect(input == Array(batch.inputs[(p * 1728)..<((p + 1) * 1728)]))
            #expect(target == Array(batch.targets[(p * 192)..<((p + 1) * 192)]))
        }
    }

    @Test func theGeneratorIsReproducibleAndHonoursItsCount() throws {
        let images = [syntheticImage(48, 40, seed: 1), syntheticImage(40, 48, seed: 2)]
        func run(seed: UInt64) throws -> [UInt8] {
            var generator = PairGenerator(images: images, count: 50, passes: 2, degradation: Degradation(quality: 85, subsampling: .yuv420),
                                          geometry: WindowGeometry(), pipeline: Pipeline(), seed: seed)
            generator.shuffleBlock = 16
            var all: [UInt8] = []
            var blocks: [Int] = []
            try generator.generate(emit: { records, n in all += records; blocks.append(n) })
            #expect(blocks.allSatisfy { $0 <= 16 })
            #expect(blocks.reduce(0, +) == 50)
            return all
        }
        let first = try run(seed: 4)
        #expect(first.count == 50 * 1920)
        #expect(try run(seed: 4) == first)
        #expect(try run(seed: 5) != first)
    }
}
