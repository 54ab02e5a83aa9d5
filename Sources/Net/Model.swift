import Linalg

/// A multi-layer perceptron: dense layers with ScaledTanh hidden activations and a linear
/// output, with input normalisation, output scaling and an optional residual connection.
///
/// For a batch of raw input rows `x`, the model computes
/// `y = outputScaling⁻¹(net(inputNormalization(x))) + x[residualInputIndices]`,
/// where `net` is the stack of ``layers`` and the residual term is present only when
/// ``residualInputIndices`` is set (e.g. the central 8×8×3 pixels of a 24×24×3 window, so the
/// net learns a correction). All parameters live in one flat vector, layer after layer
/// (see ``DenseLayer``), which the optimiser updates in one pass.
public struct Model: Equatable, Sendable {
    /// The layers, first to last; layer `l + 1`'s input size is layer `l`'s output size.
    public let layers: [DenseLayer]
    /// All weights and biases, layer after layer (``parameterOffset(layer:)``).
    /// Its count is fixed by the architecture and must not change (checked before every pass).
    public var parameters: [Float]
    /// Applied to raw inputs before the first layer.
    public var inputNormalization: Normalization {
        didSet { precondition(inputNormalization.fits(featureCount: inputSize), "normalisation does not fit the input size") }
    }
    /// The net's last-layer output `z` becomes `z · std + mean` (before the residual is added).
    public var outputScaling: Normalization {
        didSet { precondition(outputScaling.fits(featureCount: outputSize), "scaling does not fit the output size") }
    }
    /// For each output `j`, the raw input added to it, or nil for no residual connection.
    public let residualInputIndices: [Int]?
    /// Free-form key–value strings saved with the model (what it was trained for); Net does
    /// not interpret them.
    public var metadata: [String: String]

    /// A freshly initialised model.
    ///
    /// Weights are drawn uniformly from `±√(3 / fanIn)` — standard deviation `1/√fanIn`, as
    /// LeCun's "Efficient BackProp" recommends for the scaled tanh — by a ``RandomGenerator``
    /// seeded with `seed`; biases start at zero. Normalisations start as identity.
    ///
    /// - Parameters:
    ///   - layerSizes: input size, hidden sizes…, output size (at least two entries, all ≥ 1).
    ///   - hiddenActivation: the activation of every layer but the last (which is linear).
    ///   - residualInputIndices: nil, or one input index (< input size) per output.
    ///   - seed: seeds the initial weights.
    public init(layerSizes: [Int], hiddenActivation: LayerActivation = .scaledTanh,
                residualInputIndices: [Int]? = nil, seed: UInt64) {
        precondition(layerSizes.count >= 2 && layerSizes.allSatisfy { $0 >= 1 }, "need ≥ 2 positive layer sizes")
        var layers = [DenseLayer]()
        for l in 0..<layerSizes.count - 1 {
            let last = l == layerSizes.count - 2
            layers.append(DenseLayer(inputSize: layerSizes[l], outputSize: layerSizes[l + 1],
                                     activation: last ? .identity : hiddenActivation))
        }
        var rng = RandomGenerator(seed: seed)
        var parameters = [Float]()
        parameters.reserveCapacity(layers.reduce(0) { $0 + $1.parameterCount })
        for layer in layers {
            let bound = Float(SquareRoot.of(3 / Double(layer.inputSize)))
            for _ in 0..<layer.weightCount { parameters.append(rng.nextSymmetricFloat(bound: bound)) }
            parameters.append(contentsOf: repeatElement(0, count: layer.outputSize))
        }
        self.init(uncheckedLayers: layers, parameters: parameters, inputNormalization: .identity,
                  outputScaling: .identity, residualInputIndices: residualInputIndices, metadata: [:])
        if let residualInputIndices {
            precondition(Model.residualIsValid(residualInputIndices, inputSize: inputSize, outputSize: outputSize),
                         "residual indices must be one valid input index per output")
        }
    }

    /// A model from explicit parts; returns nil if they are inconsistent (layer sizes do not
    /// chain, parameter count differs from the architecture's, a normalisation does not fit,
    /// residual indices are not one valid input index per output).
    public init?(layers: [DenseLayer], parameters: [Float], inputNormalization: Normalization,
                 outputScaling: Normalization, residualInputIndices: [Int]?, metadata: [String: String]) {
        guard let first = layers.first, let last = layers.last else { return nil }
        for l in 1..<max(1, layers.count) where layers[l].inputSize != layers[l - 1].outputSize { return nil }
        guard parameters.count == layers.reduce(0, { $0 + $1.parameterCount }),
              inputNormalization.fits(featureCount: first.inputSize),
              outputScaling.fits(featureCount: last.outputSize) else { return nil }
        if let residualInputIndices,
           !Model.residualIsValid(residualInputIndices, inputSize: first.inputSize, outputSize: last.outputSize) {
            return nil
        }
        self.init(uncheckedLayers: layers, parameters: parameters, inputNormalization: inputNormalization,
                  outputScaling: outputScaling, residualInputIndices: residualInputIndices, metadata: metadata)
    }

    init(uncheckedLayers layers: [DenseLayer], parameters: [Float], inputNormalization: Normalization,
         outputScaling: Normalization, residualInputIndices: [Int]?, metadata: [String: String]) {
        self.layers = layers
        self.parameters = parameters
        self.inputNormalization = inputNormalization
        self.outputScaling = outputScaling
        self.residualInputIndices = residualInputIndices
        self.metadata = metadata
    }

    static func residualIsValid(_ indices: [Int], inputSize: Int, outputSize: Int) -> Bool {
        indices.count == outputSize && indices.allSatisfy { $0 >= 0 && $0 < inputSize }
    }

    /// The residual indices that pick the central `cropHeight × cropWidth` pixels (all channels)
    /// out of a `height × width × channels` row-major (channels last) input.
    public static func centralCropIndices(height: Int, width: Int, channels: Int,
                                          cropHeight: Int, cropWidth: Int) -> [Int] {
        precondition(cropHeight <= height && cropWidth <= width && channels >= 1, "crop must fit")
        let top = (height - cropHeight) / 2, left = (width - cropWidth) / 2
        var indices = [Int]()
        for y in top..<top + cropHeight {
            for x in left..<left + cropWidth {
                for c in 0..<channels { indices.append((y * width + x) * channels + c) }
            }
        }
        return indices
    }

    /// Number of inputs per example.
    public var inputSize: Int { layers[0].inputSize }
    /// Number of outputs per example.
    public var outputSize: Int { layers[layers.count - 1].outputSize }
    /// Input size followed by every layer's output size.
    public var layerSizes: [Int] { [layers[0].inputSize] + layers.map(\.outputSize) }

    /// Where layer `layer`'s weights start in ``parameters`` (its biases follow them).
    public func parameterOffset(layer: Int) -> Int {
        layers[..<layer].reduce(0) { $0 + $1.parameterCount }
    }

    /// Layer `layer`'s weights as an `inputSize × outputSize` matrix (a copy).
    public func weights(layer: Int) -> Matrix {
        let start = parameterOffset(layer: layer), l = layers[layer]
        return Matrix(rows: l.inputSize, cols: l.outputSize, storage: Array(parameters[start..<start + l.weightCount]))
    }

    /// Layer `layer`'s biases (a copy).
    public func bias(layer: Int) -> [Float] {
        let start = parameterOffset(layer: layer) + layers[layer].weightCount
        return Array(parameters[start..<start + layers[layer].outputSize])
    }

    // MARK: Forward

    /// Runs the model on the first `count` rows of `inputs`, writing `count × outputSize` outputs.
    ///
    /// Allocation-free: all intermediate values live in `workspace`.
    /// - Parameters:
    ///   - inputs: at least `count × inputSize` values, row-major.
    ///   - outputs: at least `count × outputSize` values; the first `count` rows are overwritten.
    ///   - workspace: buffers for this model with `batchCapacity ≥ count`.
    ///   - threads: passed to GEMM.
    public func forward(batch inputs: UnsafeBufferPointer<Float>, count: Int,
                        into outputs: UnsafeMutableBufferPointer<Float>,
                        workspace: ModelWorkspace, threads: Int = defaultThreadCount) {
        precondition(count >= 0 && inputs.count >= count * inputSize && outputs.count >= count * outputSize,
                     "forward: buffers smaller than \(count) rows")
        guard count > 0 else { return }
        forward(batch: inputs.baseAddress!, count: count, into: outputs.baseAddress!, workspace: workspace,
                threads: threads)
    }

    /// The same on raw pointers, for the package's hot loops (the caller guarantees the sizes).
    package func forward(batch inputs: UnsafePointer<Float>, count: Int, into outputs: UnsafeMutablePointer<Float>,
                         workspace: ModelWorkspace, threads: Int = defaultThreadCount) {
        precondition(workspace.fits(self, batch: count), "workspace too small or for another model")
        forwardPass(inputs: inputs, batch: count, workspace: workspace, output: outputs, threads: threads)
    }

    /// Runs the model on the rows of `inputs` (`n × inputSize`) and returns `n × outputSize`
    /// outputs. Convenient but allocating; use the workspace variant in loops.
    public func forward(batch inputs: Matrix, threads: Int = defaultThreadCount) -> Matrix {
        precondition(inputs.cols == inputSize, "input width differs from the model's input size")
        var result = Matrix(rows: inputs.rows, cols: outputSize)
        guard inputs.rows > 0 else { return result }
        let workspace = ModelWorkspace(model: self, batchCapacity: inputs.rows, training: false)
        inputs.storage.withUnsafeBufferPointer { x in
            result.storage.withUnsafeMutableBufferPointer { y in
                forwardPass(inputs: x.baseAddress!, batch: inputs.rows, workspace: workspace,
                            output: y.baseAddress!, threads: threads)
            }
        }
        return result
    }

    /// The mean squared error of the model over every example of `data`, evaluated in
    /// batches of `batchSize` rows (in Double).
    public func meanSquaredError<D: Dataset>(on data: inout D, batchSize: Int = 1024,
                                             threads: Int = defaultThreadCount) throws -> Float {
        precondition(data.inputSize == inputSize && data.outputSize == outputSize, "dataset does not fit the model")
        let n = data.count
        guard n > 0 else { return 0 }
        let b = max(1, min(batchSize, n))
        let workspace = ModelWorkspace(model: self, batchCapacity: b, training: false)
        let inputs = UnsafeMutablePointer<Float>.allocate(capacity: b * inputSize)
        let targets = UnsafeMutablePointer<Float>.allocate(capacity: b * outputSize)
        defer { inputs.deallocate(); targets.deallocate() }
        var total: Double = 0
        var start = 0
        while start < n {
            let rows = min(b, n - start)
            try data.load(indices: Array(start..<start + rows)[...],
                          inputs: UnsafeMutableBufferPointer(start: inputs, count: b * inputSize),
                          targets: UnsafeMutableBufferPointer(start: targets, count: b * outputSize))
            forwardPass(inputs: inputs, batch: rows, workspace: workspace, output: workspace.output, threads: threads)
            for i in 0..<rows * outputSize {
                let d = Double(workspace.output[i] - targets[i])
                total += d * d
            }
            start += rows
        }
        return Float(total / Double(n * outputSize))
    }

    /// Fills `workspace.activations` and writes the final outputs to `output`.
    func forwardPass(inputs: UnsafePointer<Float>, batch: Int, workspace: ModelWorkspace,
                     output: UnsafeMutablePointer<Float>, threads: Int) {
        precondition(parameters.count == layers.reduce(0, { $0 + $1.parameterCount }), "parameter count changed")
        let acts = workspace.activations
        inputNormalization.normalize(inputs, into: acts[0], rows: batch, featureCount: inputSize)
        parameters.withUnsafeBufferPointer { p in
            var offset = 0
            for (l, layer) in layers.enumerated() {
                layer.forward(input: acts[l], batch: batch, parameters: p.baseAddress! + offset,
                              output: acts[l + 1], threads: threads)
                offset += layer.parameterCount
            }
        }
        let n = outputSize
        output.update(from: acts[layers.count], count: batch * n)
        outputScaling.denormalize(output, rows: batch, featureCount: n)
        if let residualInputIndices {
            residualInputIndices.withUnsafeBufferPointer { idx in
                for r in 0..<batch {
                    let x = inputs + r * inputSize, y = output + r * n
                    for j in 0..<n { y[j] += x[idx[j]] }
                }
            }
        }
    }

    // MARK: Backward

    /// Back-propagates `workspace.deltaA` (∂L/∂output of the last forward pass) and writes
    /// ∂L/∂parameters to `gradient` (``parameters``' layout).
    func backwardPass(batch: Int, workspace: ModelWorkspace, gradient: UnsafeMutablePointer<Float>, threads: Int) {
        parameters.withUnsafeBufferPointer { p in
            // The parameters are only read in `.gradient` mode.
            backward(batch: batch, workspace: workspace, parameters: UnsafeMutablePointer(mutating: p.baseAddress!),
                     threads: threads) { offset, _ in .gradient(gradient + offset) }
        }
    }

    /// Back-propagates `workspace.deltaA` and applies plain gradient descent in the same pass,
    /// layer `l`'s parameters moving by `−rate · scaling(fanIn) · ∂L/∂θ` (no gradient buffer
    /// is written).
    mutating func backwardPassDescending(batch: Int, workspace: ModelWorkspace, rate: Float, scaling: FanInScaling,
                                         threads: Int) {
        let layers = self.layers, outputScaling = self.outputScaling, outputSize = self.outputSize
        parameters.withUnsafeMutableBufferPointer { p in
            Model.backward(layers: layers, outputScaling: outputScaling, outputSize: outputSize, batch: batch,
                           workspace: workspace, parameters: p.baseAddress!, threads: threads) { _, l in
                .descend(rate: rate * scaling.factor(fanIn: layers[l].inputSize))
            }
        }
    }

    private func backward(batch: Int, workspace: ModelWorkspace, parameters: UnsafeMutablePointer<Float>, threads: Int,
                          update: (Int, Int) -> DenseLayer.ParameterUpdate) {
        Model.backward(layers: layers, outputScaling: outputScaling, outputSize: outputSize, batch: batch,
                       workspace: workspace, parameters: parameters, threads: threads, update: update)
    }

    private static func backward(layers: [DenseLayer], outputScaling: Normalization, outputSize: Int, batch: Int,
                                 workspace: ModelWorkspace, parameters: UnsafeMutablePointer<Float>, threads: Int,
                                 update: (Int, Int) -> DenseLayer.ParameterUpdate) {
        precondition(workspace.training, "a forward-only workspace has no gradient buffers")
        let acts = workspace.activations
        var delta = workspace.deltaA, spare = workspace.deltaB
        outputScaling.scaleGradient(delta, rows: batch, featureCount: outputSize)
        var offset = layers.reduce(0) { $0 + $1.parameterCount }
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l]
            offset -= layer.parameterCount
            layer.backward(input: acts[l], output: acts[l + 1], outputGradient: delta, batch: batch,
                           parameters: parameters + offset, update: update(offset, l),
                           inputGradient: l > 0 ? spare : nil, columnSums: workspace.columnSums, threads: threads)
            swap(&delta, &spare)
        }
    }

    /// Runs forward and backward on a batch and returns the mean-squared-error loss and its
    /// gradient with respect to ``parameters``, scratch allocated in `workspace`.
    /// - Parameters:
    ///   - inputs: `count × inputSize` raw inputs; targets: `count × outputSize`.
    ///   - gradient: receives `parameters.count` values.
    /// - Returns: the loss; per-row losses are left in the workspace.
    @discardableResult
    func lossAndGradient(inputs: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int,
                         workspace: ModelWorkspace, gradient: UnsafeMutablePointer<Float>, threads: Int,
                         bounds: OutputBounds? = nil) -> Float {
        let loss = forwardAndLoss(inputs: inputs, targets: targets, count: count, workspace: workspace, threads: threads,
                                  bounds: bounds)
        backwardPass(batch: count, workspace: workspace, gradient: gradient, threads: threads)
        return loss
    }

    /// Runs the forward pass and the loss, leaving ∂L/∂output in `workspace.deltaA` and the
    /// per-row losses in `workspace.rowLosses`.
    func forwardAndLoss(inputs: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int,
                        workspace: ModelWorkspace, threads: Int, bounds: OutputBounds? = nil) -> Float {
        precondition(workspace.training, "a forward-only workspace has no gradient buffers")
        forwardPass(inputs: inputs, batch: count, workspace: workspace, output: workspace.output, threads: threads)
        return MeanSquaredError.lossAndGradient(
            outputs: workspace.output, targets: targets, rows: count, columns: outputSize,
            gradient: workspace.deltaA, rowLosses: workspace.rowLosses, bounds: bounds)
    }

    /// The mean-squared-error loss of the model on a batch and its gradient with respect to
    /// ``parameters`` (same layout). Allocating; meant for tests and tools.
    public func lossAndGradient(inputs: Matrix, targets: Matrix,
                                threads: Int = defaultThreadCount) -> (loss: Float, gradient: [Float]) {
        precondition(inputs.cols == inputSize && targets.cols == outputSize && inputs.rows == targets.rows && inputs.rows > 0,
                     "batch shapes do not fit the model")
        let workspace = ModelWorkspace(model: self, batchCapacity: inputs.rows)
        var gradient = [Float](repeating: 0, count: parameters.count)
        let loss = inputs.storage.withUnsafeBufferPointer { x in
            targets.storage.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer { g in
                    lossAndGradient(inputs: x.baseAddress!, targets: t.baseAddress!, count: inputs.rows,
                                    workspace: workspace, gradient: g.baseAddress!, threads: threads)
                }
            }
        }
        return (loss, gradient)
    }
}
