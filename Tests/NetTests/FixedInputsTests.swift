import Linalg
import Testing
@testable import Net

/// A model with its trailing inputs fixed computes what the whole model computes on rows that
/// end in those values.
@Suite struct FixedInputsTests {
    static let normalizations: [Normalization] = [
        .identity,
        Normalization(kind: .global, mean: [0.3], standardDeviation: [2])!,
        Normalization(kind: .perFeature, mean: [0.5, 0.4, 0.3, 0.2, 0.1, 0, -0.1],
                      standardDeviation: [1, 2, 3, 4, 5, 6, 0.5])!,
    ]

    @Test(arguments: normalizations)
    func fixedModelMatchesTheWholeModel(normalization: Normalization) throws {
        var model = Model(layerSizes: [7, 5, 3], residualInputIndices: [0, 2, 4], seed: 9)
        model.inputNormalization = normalization
        for i in model.parameters.indices where i % 3 == 0 { model.parameters[i] += 0.25 }
        let fixedValues: [Float] = [0.75, -1.5]
        let fixed = try #require(model.fixingTrailingInputs(fixedValues))
        #expect(fixed.layerSizes == [5, 5, 3])
        #expect(fixed.residualInputIndices == [0, 2, 4])
        var rng = RandomGenerator(seed: 3)
        let rows = 4
        var whole = Matrix(rows: rows, cols: 7), kept = Matrix(rows: rows, cols: 5)
        for r in 0..<rows {
            for j in 0..<5 {
                let v = rng.nextSymmetricFloat(bound: 2)
                whole[r, j] = v
                kept[r, j] = v
            }
            whole[r, 5] = fixedValues[0]
            whole[r, 6] = fixedValues[1]
        }
        let expected = model.forward(batch: whole, threads: 1), got = fixed.forward(batch: kept, threads: 1)
        for r in 0..<rows {
            for j in 0..<3 { #expect(abs(got[r, j] - expected[r, j]) <= 1e-5 * max(1, abs(expected[r, j]))) }
        }
        // The kept inputs' weights and the later layers are untouched.
        #expect(fixed.weights(layer: 0).storage == Array(model.weights(layer: 0).storage.prefix(25)))
        #expect(fixed.weights(layer: 1) == model.weights(layer: 1) && fixed.bias(layer: 1) == model.bias(layer: 1))
    }

    @Test func refusesToFixEveryInputOrAResidualOne() {
        let model = Model(layerSizes: [4, 3, 2], residualInputIndices: [0, 3], seed: 1)
        #expect(model.fixingTrailingInputs([1]) == nil)  // input 3 feeds a residual
        #expect(model.fixingTrailingInputs([]) == nil)
        let plain = Model(layerSizes: [4, 3, 2], seed: 1)
        #expect(plain.fixingTrailingInputs([1, 2, 3, 4]) == nil)
        #expect(plain.fixingTrailingInputs([1, 2, 3])?.inputSize == 1)
    }
}
