import Linalg
import Testing
@testable import Net

/// Generator, schedules, square roots, sample orders, normalisation and helpers.
@Suite struct ComponentTests {
    @Test func generatorIsSeededBySplitMix64AndRestorable() {
        // SplitMix64's first output for seed 0 is the published 0xE220A8397B1DCDAF.
        #expect(RandomGenerator(seed: 0).stateWords[0] == 0xE220_A839_7B1D_CDAF)
        var a = RandomGenerator(seed: 5), b = RandomGenerator(seed: 5), c = RandomGenerator(seed: 6)
        let xs = (0..<8).map { _ in a.next() }
        #expect(xs == (0..<8).map { _ in b.next() })
        #expect(xs != (0..<8).map { _ in c.next() })
        var restored = RandomGenerator(stateWords: a.stateWords)!
        #expect((0..<8).map { _ in restored.next() } == (0..<8).map { _ in a.next() })
        #expect(RandomGenerator(stateWords: [0, 0, 0, 0]) == nil)
        #expect(RandomGenerator(stateWords: [1, 2]) == nil)
    }

    @Test func boundedIntegersAreUniform() {
        // 10 000 draws into 10 buckets: 1000 each expected, σ ≈ 30; allow ±150 (5σ).
        var rng = RandomGenerator(seed: 9)
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<10_000 { buckets[rng.nextInt(below: 10)] += 1 }
        #expect(buckets.allSatisfy { abs($0 - 1000) < 150 }, "\(buckets)")
        for _ in 0..<1000 {
            let f = rng.nextSymmetricFloat(bound: 0.5)
            #expect(f >= -0.5 && f < 0.5)
        }
    }

    @Test func schedules() {
        #expect(LearningRateSchedule.constant.factor(atStep: 1000) == 1)
        let warm = LearningRateSchedule.cosine(totalSteps: 104, warmupSteps: 4, finalFactor: 0.2)
        #expect((0..<4).map { warm.factor(atStep: $0) } == [0.25, 0.5, 0.75, 1])
        #expect(warm.factor(atStep: 4) == 1)
        #expect(abs(warm.factor(atStep: 54) - 0.6) < 1e-6)  // halfway: (1 + 0.2) / 2
        #expect(abs(warm.factor(atStep: 29) - (0.2 + 0.8 * 0.5 * (1 + 0.7071067811865476))) < 1e-6)  // quarter
        #expect(abs(warm.factor(atStep: 104) - 0.2) < 1e-7 && abs(warm.factor(atStep: 500) - 0.2) < 1e-7)
        let step = LearningRateSchedule.step(interval: 10, factor: 0.1)
        #expect(step.factor(atStep: 9) == 1)
        #expect(step.factor(atStep: 10) == Float(0.1))
        let decayedTwice: Float = step.factor(atStep: 25)
        #expect(abs(decayedTwice - 0.01) < 1e-9)
        let points: [Double] = [0, 1.0 / 3, 0.25, 0.5, 2.0 / 3, 1]
        let cosines: [Double] = [1, 0.5, 0.7071067811865476, 0, -0.5, -1]
        for i in 0..<points.count {
            let c: Double = LearningRateSchedule.cosineOfPiTimes(points[i])
            #expect(abs(c - cosines[i]) < 1e-14)
        }
    }

    @Test func squareRoots() {
        for x in [0.0, 1e-300, 2e-9, 0.5, 2, 3, 1e6, 123456.789, 1e300] {
            let s = SquareRoot.of(x)
            #expect(abs(s * s - x) <= 4 * x.ulp, "√\(x) = \(s)")
        }
        #expect(abs(SquareRoot.of(2) - 1.4142135623730951) <= 1.4142135623730951.ulp && SquareRoot.of(16) == 4)
        var lanes = [Float]()
        for i in 0..<16 {
            let tiny: Float = i % 3 == 0 ? 1e-20 : 0
            lanes.append(Float(i * i) * 0.37 + tiny)
        }
        let v = SIMD16<Float>(lanes)
        let r: SIMD16<Float> = SquareRoot.of(v)
        for i in 0..<16 {
            let exact = Float(SquareRoot.of(Double(v[i])))
            let error: Float = abs(r[i] - exact)
            #expect(error <= 1e-6 * exact + 1e-30, "lane \(i): \(r[i]) vs \(exact)")
        }
        #expect(SquareRoot.of(SIMD16<Float>(repeating: 0)) == SIMD16<Float>(repeating: 0))
    }

    @Test func sampleOrders() {
        var rng = RandomGenerator(seed: 3)
        #expect(SampleOrder.make(count: 10, mode: .none, emphasis: 0, lastLoss: [], rng: &rng) == Array(0..<10))
        let full = SampleOrder.make(count: 50, mode: .full, emphasis: 0, lastLoss: [], rng: &rng)
        #expect(full.sorted() == Array(0..<50) && full != Array(0..<50))
        let blocks = SampleOrder.make(count: 50, mode: .blocks(size: 16), emphasis: 0, lastLoss: [], rng: &rng)
        #expect(blocks.sorted() == Array(0..<50))
        // Consecutive runs of the order stay inside one block of 16 (the last block holds 2).
        var runs = [[Int]](), start = 0
        for i in 1...blocks.count where i == blocks.count || blocks[i] / 16 != blocks[start] / 16 {
            runs.append(Array(blocks[start..<i]))
            start = i
        }
        #expect(runs.count == 4 && runs.map(\.count).sorted() == [2, 16, 16, 16])
        // Emphasis: example 0 has loss 100, the others 1 (and example 5 was never seen).
        var losses = [Float](repeating: 1, count: 64)
        losses[0] = 100
        losses[5] = .nan
        let emphasised = SampleOrder.make(count: 64, mode: .full, emphasis: 1, lastLoss: losses, rng: &rng)
        let zeros = emphasised.filter { $0 == 0 }.count
        // P(0) = 100 / (100 + 62 + mean) ≈ 0.61 → ≈ 39 of 64 draws; without emphasis 1.
        #expect(emphasised.count == 64 && emphasised.allSatisfy { $0 >= 0 && $0 < 64 })
        #expect(zeros > 25 && zeros < 55, "example 0 drawn \(zeros) times")
        let sortedEmphasis = SampleOrder.make(count: 64, mode: .none, emphasis: 0.5, lastLoss: losses, rng: &rng)
        #expect(sortedEmphasis == sortedEmphasis.sorted())
    }

    @Test func normalisationFit() throws {
        var data = InMemoryDataset(inputs: Matrix(rows: 4, cols: 2, storage: [1, 10, 2, 10, 3, 10, 4, 10]),
                                   targets: Matrix(rows: 4, cols: 1, storage: [2, 4, 6, 8]))
        let perFeature = try data.fitInputNormalization(kind: .perFeature, batchSize: 3)
        #expect(perFeature.mean == [2.5, 10])
        #expect(abs(perFeature.standardDeviation[0] - 1.118034) < 1e-6 && perFeature.standardDeviation[1] == 1)
        let global = try data.fitInputNormalization(kind: .global)
        #expect(global.mean == [6.25] && abs(global.standardDeviation[0] - 3.8324274) < 1e-5)
        #expect(try data.fitInputNormalization(kind: .identity) == .identity)
        // Output scaling sees target − residual input: 1, 2, 3, 4.
        let scaling = try data.fitOutputScaling(kind: .global, residualInputIndices: [0])
        #expect(scaling.mean == [2.5] && abs(scaling.standardDeviation[0] - 1.118034) < 1e-6)
        #expect(Normalization(kind: .global, mean: [0], standardDeviation: [0]) == nil)
        #expect(Normalization(kind: .perFeature, mean: [0, 1], standardDeviation: [1]) == nil)
    }

    @Test func centralCropIndices() {
        let indices = Model.centralCropIndices(height: 24, width: 24, channels: 3, cropHeight: 8, cropWidth: 8)
        #expect(indices.count == 192)
        #expect(indices[0] == (8 * 24 + 8) * 3 && indices[2] == (8 * 24 + 8) * 3 + 2)
        #expect(indices[24] == (9 * 24 + 8) * 3 && indices.last == (15 * 24 + 15) * 3 + 2)
    }

    @Test func initialWeightsHaveTheStatedSpread() {
        // Uniform on ±√(3/fanIn): standard deviation 1/√fanIn = 0.0625 for fan-in 256.
        let model = Model(layerSizes: [256, 64, 2], seed: 8)
        let w = model.weights(layer: 0).storage
        let mean = w.reduce(0, +) / Float(w.count)
        let variance = w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(w.count)
        #expect(abs(mean) < 0.002 && abs(variance - 0.0625 * 0.0625) < 0.00025)  // sd within ±0.002
        #expect(w.allSatisfy { abs($0) <= 0.10825318 })  // √(3/256)
        #expect(model.bias(layer: 0).allSatisfy { $0 == 0 })
        #expect(Model(layerSizes: [256, 64, 2], seed: 8) == model && Model(layerSizes: [256, 64, 2], seed: 9) != model)
    }
}
