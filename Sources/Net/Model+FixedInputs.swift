extension Model {
    /// The model with its last `values.count` inputs fixed at `values`: a function of the
    /// remaining inputs, equal to this model's (up to rounding) when those inputs hold
    /// `values`. Their normalised values times the first layer's weights join its biases.
    ///
    /// For inputs that are the same for every row of a run — a JPEG's quantization steps
    /// beside each of its windows — the first layer then does `values.count` fewer
    /// multiply-adds per row: a quality-aware network costs what one without them does.
    /// Nil when that would leave no input or a residual index points into the fixed inputs.
    public func fixingTrailingInputs(_ values: [Float]) -> Model? {
        let fixed = values.count, kept = inputSize - fixed, first = layers[0], h = first.outputSize
        guard fixed > 0, kept >= 1, residualInputIndices?.allSatisfy({ $0 < kept }) ?? true else { return nil }
        let normalized = values.enumerated().map { inputNormalization.normalized($1, feature: kept + $0) }
        var parameters = [Float]()
        parameters.reserveCapacity(self.parameters.count - fixed * h)
        // Weights are input-major (`inputSize × outputSize`), the biases after them.
        parameters.append(contentsOf: self.parameters[0..<(kept * h)])
        for j in 0..<h {
            var sum = Double(self.parameters[inputSize * h + j])
            for i in 0..<fixed { sum += Double(self.parameters[(kept + i) * h + j]) * Double(normalized[i]) }
            parameters.append(Float(sum))
        }
        parameters.append(contentsOf: self.parameters[first.parameterCount...])
        let layer = DenseLayer(inputSize: kept, outputSize: h, activation: first.activation)
        guard let normalization = inputNormalization.keepingFirst(kept) else { return nil }
        return Model(layers: [layer] + layers.dropFirst(), parameters: parameters,
                     inputNormalization: normalization, outputScaling: outputScaling,
                     residualInputIndices: residualInputIndices, metadata: metadata)
    }
}

extension Normalization {
    /// `value` as ``normalize(_:into:rows:featureCount:)`` writes it for feature `feature`.
    func normalized(_ value: Float, feature: Int) -> Float {
        switch kind {
        case .identity: value
        case .global: (value - mean[0]) * (1 / standardDeviation[0])
        case .perFeature: (value - mean[feature]) * (1 / standardDeviation[feature])
        }
    }

    /// The normalization of the first `count` features (nil for none).
    func keepingFirst(_ count: Int) -> Normalization? {
        guard kind == .perFeature else { return self }
        return Normalization(kind: .perFeature, mean: Array(mean.prefix(count)),
                             standardDeviation: Array(standardDeviation.prefix(count)))
    }
}
