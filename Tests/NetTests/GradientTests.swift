import Linalg
import Testing
@testable import Net

/// Back-propagation checked against central differences of an independent Double forward pass.
@Suite struct GradientTests {
    /// Asserts |analytic − numeric| ≤ 1e-3·|numeric| + 1e-4·max|numeric| for every entry:
    /// Float rounding in the analytic gradient is ~1e-6 relative, and central differences in
    /// Double with h = 1e-5 are accurate to ~1e-9, so a wrong term (missing factor, wrong
    /// transpose, wrong index) fails by orders of magnitude.
    func expectClose(_ analytic: [Float], _ numeric: [Double]) {
        #expect(analytic.count == numeric.count)
        let largest = numeric.map(abs).max() ?? 0
        #expect(largest > 1e-4, "gradient is too small to be a meaningful check")
        var worst = 0.0
        for i in 0..<numeric.count {
            let error = abs(Double(analytic[i]) - numeric[i])
            let allowed = 1e-3 * abs(numeric[i]) + 1e-4 * largest
            worst = max(worst, error / allowed)
        }
        #expect(worst <= 1, "worst error is \(worst)× the tolerance")
    }

    func check(model: Model, rows: Int, seed: UInt64) {
        let x = randomValues(rows * model.inputSize, seed: seed, scale: 1.5)
        let t = randomValues(rows * model.outputSize, seed: seed + 1)
        let (loss, gradient) = model.lossAndGradient(
            inputs: Matrix(rows: rows, cols: model.inputSize, storage: x),
            targets: Matrix(rows: rows, cols: model.outputSize, storage: t), threads: 1)
        let reference = DoubleReference(model: model)
        let xd = x.map(Double.init), td = t.map(Double.init)
        let refLoss = reference.loss(model.parameters.map(Double.init), inputs: xd, targets: td, rows: rows)
        // 1e-4 relative leaves room for a SIMD tanh approximation with a ~1e-6 error bound.
        #expect(abs(Double(loss) - refLoss) <= 1e-4 * refLoss)
        expectClose(gradient, reference.numericalGradient(inputs: xd, targets: td, rows: rows))
    }

    @Test func meanSquaredErrorGradient() {
        let rows = 3, cols = 4
        let y = randomValues(rows * cols, seed: 1), t = randomValues(rows * cols, seed: 2)
        var g = [Float](repeating: 0, count: rows * cols), rowLoss = [Float](repeating: 0, count: rows)
        let loss = MeanSquaredError.lossAndGradient(outputs: y, targets: t, rows: rows, columns: cols,
                                                    gradient: &g, rowLosses: &rowLoss)
        let yd = y.map(Double.init), td = t.map(Double.init)
        #expect(abs(Double(loss) - DoubleReference.meanSquaredError(yd, td)) < 1e-6)
        var numeric = [Double]()
        for i in 0..<yd.count {
            var up = yd, down = yd
            up[i] += 1e-6
            down[i] -= 1e-6
            numeric.append((DoubleReference.meanSquaredError(up, td) - DoubleReference.meanSquaredError(down, td)) / 2e-6)
        }
        expectClose(g, numeric)
        for r in 0..<rows {
            let own = DoubleReference.meanSquaredError(Array(yd[r * cols..<(r + 1) * cols]), Array(td[r * cols..<(r + 1) * cols]))
            #expect(abs(Double(rowLoss[r]) - own) < 1e-6)
        }
        #expect(abs(MeanSquaredError.loss(Matrix(rows: rows, cols: cols, storage: y),
                                          Matrix(rows: rows, cols: cols, storage: t)) - loss) < 1e-6)
    }

    @Test func linearLayer() {
        check(model: Model(layerSizes: [5, 3], seed: 11), rows: 4, seed: 100)
    }

    @Test func scaledTanhLayers() {
        check(model: Model(layerSizes: [4, 6, 5, 3], seed: 12), rows: 5, seed: 200)
    }

    @Test func identityHiddenLayer() {
        check(model: Model(layerSizes: [3, 4, 2], hiddenActivation: .identity, seed: 13), rows: 3, seed: 300)
    }

    @Test func residualWithNormalisationAndOutputScaling() {
        var model = Model(layerSizes: [6, 5, 3], residualInputIndices: [5, 0, 2], seed: 14)
        model.inputNormalization = Normalization(kind: .perFeature, mean: [0.1, -0.2, 0.3, 0, 0.5, -0.1],
                                                 standardDeviation: [0.5, 2, 1, 0.7, 1.5, 0.9])!
        model.outputScaling = Normalization(kind: .perFeature, mean: [0.2, -0.1, 0.05],
                                            standardDeviation: [0.3, 0.6, 1.2])!
        check(model: model, rows: 4, seed: 400)
        model.inputNormalization = Normalization(kind: .global, mean: [0.25], standardDeviation: [0.8])!
        model.outputScaling = Normalization(kind: .global, mean: [-0.3], standardDeviation: [0.4])!
        check(model: model, rows: 2, seed: 500)
    }
}
