import Testing
import JPEGCodec
import Net
@testable import Cleaner
import TestSupport

/// The pieces of a quality-aware model (issue 17): the file's quantization as features, what
/// a file's tables say, a model's coverage, degradations with earlier encodes, and pairs that
/// carry the features.
@Suite struct QualityAwareTests {
    static let lumaQ85 = StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 85)
    static let chromaQ85 = StandardTables.scaledQuantization(StandardTables.chrominanceQuantization, quality: 85)

    @Test func featuresOfAQ85File() throws {
        let input = CleanerInput(try JPEGDecoder.decode(try Degradation().encode(syntheticImage(32, 24, seed: 1))))
        let f = QuantizationFeatures(input)
        // q85: scale 30 %, so the luma DC step is (16·30 + 50)/100 = 5 and the chroma DC step
        // (17·30 + 50)/100 = 5; the last luma entry (99·30 + 50)/100 = 30.
        #expect(f.bytes.count == 130)
        #expect(f.bytes[0] == 5 && f.bytes[63] == 30 && f.bytes[64] == 5)
        #expect(Array(f.bytes[0..<64]) == Self.lumaQ85.map { UInt8($0) })
        #expect(Array(f.bytes[64..<128]) == Self.chromaQ85.map { UInt8($0) })
        #expect(f.bytes[128] == 1 && f.bytes[129] == 1)   // 4:2:0
        let v = f.values
        // log2(5)/4 − 1 = −0.41952; a step of 16 is 0, of 1 is −1.
        #expect(abs(v[0] - (-0.419518)) < 1e-5)
        #expect(QuantizationFeatures.value(index: 3, byte: 16) == 0)
        #expect(QuantizationFeatures.value(index: 3, byte: 1) == -1)
        #expect(v[128] == 1 && v[129] == 1)
    }

    @Test func transposingSwapsTheTablesAndTheFactors() {
        let luma = (0..<64).map { UInt16($0 + 1) }
        let f = QuantizationFeatures(luma: luma, chroma: luma.map { $0 + 100 }, chromaFactors: (2, 1))
        let t = f.transposed
        // Entry (row 0, column 1) = 2 moves to (row 1, column 0).
        #expect(t.bytes[8] == 2 && t.bytes[1] == 9)
        #expect(t.bytes[64 + 8] == 102)
        #expect(t.bytes[128] == 0 && t.bytes[129] == 1)   // 4:2:2 seen turned is 4:4:0
        #expect(t.transposed == f)
        // Steps beyond 8 bits are clamped.
        #expect(QuantizationFeatures(luma: [UInt16](repeating: 1000, count: 64), chroma: nil, chromaFactors: (1, 1)).bytes[0] == 255)
    }

    @Test(arguments: [(50, EncoderOptions.Subsampling.yuv420, "4:2:0"), (75, .yuv444, "4:4:4"),
                      (95, .yuv422, "4:2:2"), (85, .yuv420, "4:2:0")])
    func tableQualityOfPillowFiles(quality: Int, subsampling: EncoderOptions.Subsampling, label: String) throws {
        let bytes = try Degradation(quality: quality, subsampling: subsampling).encode(syntheticImage(24, 16, seed: 2))
        let q = try #require(TableQuality(CleanerInput(try JPEGDecoder.decode(bytes))))
        #expect(q.quality == quality && q.isStandard && q.subsampling == label)
        #expect(q.description == "quality \(quality), \(label)")
    }

    @Test func tableQualityOfCustomTables() {
        // libjpeg's q80 tables with every step one higher: nearest is still about q80, not standard.
        let l = StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: 80).map { $0 + 1 }
        let c = StandardTables.scaledQuantization(StandardTables.chrominanceQuantization, quality: 80).map { $0 + 1 }
        let q = TableQuality(luma: l, chroma: c, chromaFactors: (2, 2))
        #expect(!q.isStandard)
        #expect((76...80).contains(q.quality))
        #expect(q.description.hasPrefix("quality ≈ "))
        #expect(TableQuality(luma: Self.lumaQ85, chroma: nil, chromaFactors: (1, 1)).subsampling == "gray")
        #expect(TableQuality(CleanerInput(image: syntheticImage(8, 8, seed: 1))) == nil)
    }

    @Test func coverageParsesChecksAndRoundTrips() throws {
        #expect(ModelCoverage.parseQualities("85") == [85...85])
        #expect(ModelCoverage.parseQualities("85,50-98") == [85...85, 50...98])
        for bad in ["", "0", "101", "90-80", "8x", "85,", "-5", "1-2-3"] { #expect(ModelCoverage.parseQualities(bad) == nil, "\(bad)") }
        let legacy = try #require(ModelCoverage(metadata: ["unjpeg.jpeg.quality": "85", "unjpeg.jpeg.subsampling": "4:2:0"]))
        #expect(legacy == ModelCoverage(qualities: [85...85], subsamplings: ["4:2:0"], customTables: false))
        #expect(ModelCoverage(metadata: ["unjpeg.jpeg.quality": "85"]) == nil)
        let wide = ModelCoverage(qualities: [85...85, 50...98], subsamplings: ["4:2:0", "4:4:4"], customTables: true)
        #expect(ModelCoverage(metadata: wide.metadata()) == wide)
        // A range repeated to weight it in training is covered once.
        let weighted = try #require(ModelCoverage(metadata: ["unjpeg.jpeg.quality": "85,85,50-98",
                                                             "unjpeg.jpeg.subsampling": "4:2:0,4:4:4,4:2:0"]))
        #expect(weighted.qualities == [85...85, 50...98] && weighted.subsamplings == ["4:2:0", "4:4:4"])
        func file(_ q: Int, _ s: String, standard: Bool = true) -> TableQuality {
            var t = TableQuality(luma: Self.lumaQ85, chroma: Self.chromaQ85, chromaFactors: (2, 2))
            t.quality = q; t.subsampling = s; t.isStandard = standard
            return t
        }
        #expect(legacy.gap(for: file(85, "4:2:0")) == nil)
        #expect(legacy.gap(for: file(87, "4:2:0")) == nil)   // within 2
        #expect(legacy.gap(for: file(75, "4:4:4")) == "quality 75, 4:4:4")
        #expect(legacy.gap(for: file(85, "4:2:0", standard: false)) == "custom quantization tables")
        #expect(wide.gap(for: file(99, "gray", standard: false)) == nil)   // 98 + 2; gray as 4:4:4
        #expect(wide.gap(for: file(40, "4:2:2")) == "quality 40, 4:2:2")
    }

    @Test func anEarlierEncodeKeepsTheSizeOrDownscalesBothSides() throws {
        let image = syntheticImage(48, 40, seed: 3)
        var d = Degradation(quality: 85, subsampling: .yuv420,
                            earlier: .init(quality: 70, subsampling: .yuv444, shiftX: 3, shiftY: 5))
        let (clean, degraded) = try d.apply(toClean: image)
        #expect(clean == image)
        #expect(degraded.image.width == 48 && degraded.image.height == 40)
        // Two encodes lose more than the last one alone.
        let once = try Degradation().apply(to: image)
        func mse(_ a: RasterImage) -> Double { zip(a.pixels, image.pixels).reduce(0) { $0 + Double((Int($1.0) - Int($1.1)) * (Int($1.0) - Int($1.1))) } }
        #expect(mse(degraded.image) > mse(once.image))
        d.earlier?.scale = 0.5
        let (small, smallDegraded) = try d.apply(toClean: image)
        #expect(small.width == 24 && small.height == 20)
        #expect(smallDegraded.image.width == 24 && smallDegraded.image.height == 20)
    }

    @Test func paddingAndDownscalingByHand() {
        let g = RasterImage(width: 2, height: 1, channels: 1, pixels: [10, 20])
        #expect(g.edgePadded(left: 1, top: 1).pixels == [10, 10, 20, 10, 10, 20])
        // 16 → 8 columns of pairs (0, 100): every output is their mean, 50.
        let stripes = RasterImage(width: 16, height: 8, channels: 1, pixels: (0..<128).map { $0 % 2 == 0 ? 0 : 100 })
        let half = stripes.downscaled(by: 0.5)
        #expect(half.width == 8 && half.height == 8 && half.pixels.allSatisfy { $0 == 50 })
    }

    @Test func mixDrawsAreReproducibleAndCoverTheirRanges() {
        let mix = DegradationMix(qualities: [85...85, 50...98], subsamplings: [.yuv420, .yuv444],
                                 customTables: 0.5, earlier: 0.5, downscale: 0.5)
        var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9)
        let draws = (0..<200).map { _ in mix.draw(using: &a) }
        #expect(draws == (0..<200).map { _ in mix.draw(using: &b) })
        #expect(draws.allSatisfy { (50...98).contains($0.quality) })
        #expect(draws.filter { $0.quality == 85 }.count > 80)
        #expect(draws.contains { $0.quantizationTables != nil } && draws.contains { $0.quantizationTables == nil })
        #expect(draws.contains { $0.earlier != nil } && draws.contains { ($0.earlier?.scale ?? 1) < 1 })
        #expect(draws.allSatisfy { d in d.quantizationTables?.allSatisfy { $0.count == 64 && $0.allSatisfy { (1...255).contains($0) } } ?? true })
        #expect(mix.fixed == nil)
        #expect(DegradationMix(Degradation(quality: 75, subsampling: .yuv444)).fixed == Degradation(quality: 75, subsampling: .yuv444))
    }

    @Test func mixedPairsCarryTheFeaturesAndDoNotDependOnThreads() throws {
        let images = [syntheticImage(48, 40, seed: 1), syntheticImage(40, 48, seed: 2), syntheticImage(56, 40, seed: 3)]
        let mix = DegradationMix(qualities: [60...95], subsamplings: [.yuv420, .yuv422], customTables: 0.3, earlier: 0.3)
        func run(threads: Int) throws -> [UInt8] {
            var generator = PairGenerator(images: images, count: 60, passes: 2, degradation: Degradation(),
                                          geometry: WindowGeometry(), pipeline: Pipeline(), seed: 4,
                                          mix: mix, quantizationInputs: true, threads: threads)
            generator.shuffleBlock = 16
            var all: [UInt8] = []
            try generator.generate(emit: { records, _ in all += records })
            return all
        }
        let one = try run(threads: 1)
        let format = PairRecordFormat(windowSize: 24, targetSize: 8, channels: 3, sideBytes: 130)
        #expect(format.recordBytes == 1728 + 130 + 192)
        #expect(one.count == 60 * format.recordBytes)
        #expect(try run(threads: 2) == one)
        // Every record's side input is a plausible feature set: 4:2:0 or 4:2:2 (4:4:0 when
        // turned), steps 1…255, and its decoded values are the features' values.
        var input = [Float](repeating: 0, count: format.networkInputs), target = [Float](repeating: 0, count: 192)
        for r in 0..<60 {
            let side = Array(one[(r * format.recordBytes + 1728)..<(r * format.recordBytes + 1858)])
            #expect(side[..<128].allSatisfy { $0 >= 1 })
            #expect([[1, 1], [1, 0], [0, 1]].contains(Array(side[128...])))
            one.withUnsafeBufferPointer { p in
                format.decode(p.baseAddress! + r * format.recordBytes, residual: true, input: &input, target: &target)
            }
            #expect(Array(input[1728...]) == QuantizationFeatures(bytes: side)!.values)
        }
    }

    @Test func aQualityAwareNetworkStageReadsTheFeatures() throws {
        var stage = NetworkStage()
        stage.quantizationInputs = true
        #expect(stage.inputsPerWindow == 1728 + 130)
        let meta = stage.metadata()
        #expect(meta["unjpeg.network.inputs"] == "window,quantization")
        #expect(try NetworkStage(metadata: meta) == stage)
        var bad = meta
        bad["unjpeg.network.inputs"] = "window,colour"
        #expect(throws: CleaningModelError.self) { try NetworkStage(metadata: bad) }
        // The predictor sees each window followed by the side input.
        let image = syntheticImage(16, 16, seed: 5)
        let side = (0..<130).map { Float($0) / 100 }
        var seen: [Float] = []
        _ = stage.predictImage(image, side: side) { windows, n in
            seen = windows
            return [Float](repeating: 0, count: n * 192)
        }
        #expect(seen.count == 4 * 1858)
        #expect(Array(seen[1728..<1858]) == side && Array(seen[(3 * 1858 + 1728)...]) == side)
    }
}
