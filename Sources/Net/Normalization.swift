/// An affine map between raw values and standardised ones, `z = (x − mean) / std`, with either
/// one mean and standard deviation for all features or one per feature.
///
/// A ``Model`` stores two: its input normalisation (applied to raw inputs before the first
/// layer) and its output scaling (the network's output is mapped back with `x = z · std + mean`
/// before the residual is added). Both are fitted on data and saved in the model file.
public struct Normalization: Equatable, Sendable {
    /// How many statistics the normalisation has.
    public enum Kind: UInt8, Equatable, Sendable, CaseIterable {
        /// No change (`mean` and `standardDeviation` are empty).
        case identity = 0
        /// One mean and standard deviation over all elements of all features.
        case global = 1
        /// One mean and standard deviation per feature.
        case perFeature = 2
    }

    /// The kind, which fixes how many statistics there are.
    public let kind: Kind
    /// The means: none (identity), one (global) or one per feature.
    public let mean: [Float]
    /// The standard deviations (all positive and finite), as many as `mean`.
    public let standardDeviation: [Float]
    /// `1 / standardDeviation`, precomputed so that normalising a batch does not allocate.
    private let inverseStandardDeviation: [Float]

    /// The identity map.
    public static let identity = Normalization(uncheckedKind: .identity, mean: [], standardDeviation: [])

    private init(uncheckedKind kind: Kind, mean: [Float], standardDeviation: [Float]) {
        self.kind = kind
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.inverseStandardDeviation = standardDeviation.map { 1 / $0 }
    }

    /// A normalisation with the given statistics; returns nil if the counts do not fit the kind
    /// (0 for identity, 1 for global, ≥ 1 for per-feature) or a standard deviation is not
    /// positive and finite or a mean is not finite.
    public init?(kind: Kind, mean: [Float], standardDeviation: [Float]) {
        guard mean.count == standardDeviation.count else { return nil }
        switch kind {
        case .identity: guard mean.isEmpty else { return nil }
        case .global: guard mean.count == 1 else { return nil }
        case .perFeature: guard mean.count >= 1 else { return nil }
        }
        guard mean.allSatisfy({ $0.isFinite }),
              standardDeviation.allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
        self.kind = kind
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.inverseStandardDeviation = standardDeviation.map { 1 / $0 }
    }

    /// Whether this normalisation can be applied to rows of `featureCount` features.
    public func fits(featureCount: Int) -> Bool {
        kind != .perFeature || mean.count == featureCount
    }

    /// Statistics of `kind` fitted to rows of `featureCount` values given by `rows`.
    ///
    /// Sums are accumulated in Double. A standard deviation below `1e-6` (a constant feature)
    /// is replaced by 1 so that the feature passes through centred but unscaled.
    /// - Parameter rows: calls its argument once per block of rows with a pointer to
    ///   `blockRows × featureCount` values.
    public static func fit(kind: Kind, featureCount: Int,
                           rows: ((UnsafePointer<Float>, Int) -> Void) throws -> Void) rethrows -> Normalization {
        if kind == .identity { return .identity }
        var sum = [Double](repeating: 0, count: featureCount)
        var sumSquares = [Double](repeating: 0, count: featureCount)
        var n = 0
        try rows { block, blockRows in
            n += blockRows
            for r in 0..<blockRows {
                let row = block + r * featureCount
                for j in 0..<featureCount {
                    let v = Double(row[j])
                    sum[j] += v
                    sumSquares[j] += v * v
                }
            }
        }
        func stats(_ s: Double, _ s2: Double, _ count: Double) -> (Float, Float) {
            guard count > 0 else { return (0, 1) }
            let mean = s / count
            let variance = max(0, s2 / count - mean * mean)
            let sd = SquareRoot.of(variance)
            return (Float(mean), sd < 1e-6 ? 1 : Float(sd))
        }
        if kind == .global {
            let (m, s) = stats(sum.reduce(0, +), sumSquares.reduce(0, +), Double(n * featureCount))
            return Normalization(kind: .global, mean: [m], standardDeviation: [s])!
        }
        var means = [Float](), sds = [Float]()
        for j in 0..<featureCount {
            let (m, s) = stats(sum[j], sumSquares[j], Double(n))
            means.append(m)
            sds.append(s)
        }
        return Normalization(kind: .perFeature, mean: means, standardDeviation: sds)!
    }

    /// Writes `(x − mean) / std` of `rows × featureCount` values from `source` to `destination`
    /// (which may be the same buffer).
    func normalize(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>,
                   rows: Int, featureCount: Int) {
        let total = rows * featureCount
        switch kind {
        case .identity:
            if UnsafePointer(destination) != source { destination.update(from: source, count: total) }
        case .global:
            let m = mean[0], inv = inverseStandardDeviation[0]
            for i in 0..<total { destination[i] = (source[i] - m) * inv }
        case .perFeature:
            mean.withUnsafeBufferPointer { m in
                inverseStandardDeviation.withUnsafeBufferPointer { inv in
                    for r in 0..<rows {
                        let s = source + r * featureCount, d = destination + r * featureCount
                        for j in 0..<featureCount { d[j] = (s[j] - m[j]) * inv[j] }
                    }
                }
            }
        }
    }

    /// Replaces each of `rows × featureCount` standardised values `z` by `z · std + mean`.
    func denormalize(_ values: UnsafeMutablePointer<Float>, rows: Int, featureCount: Int) {
        switch kind {
        case .identity: break
        case .global:
            let m = mean[0], s = standardDeviation[0]
            for i in 0..<rows * featureCount { values[i] = values[i] * s + m }
        case .perFeature:
            mean.withUnsafeBufferPointer { m in
                standardDeviation.withUnsafeBufferPointer { s in
                    for r in 0..<rows {
                        let v = values + r * featureCount
                        for j in 0..<featureCount { v[j] = v[j] * s[j] + m[j] }
                    }
                }
            }
        }
    }

    /// Multiplies each of `rows × featureCount` gradient values by its feature's `std`
    /// (the chain rule through ``denormalize(_:rows:featureCount:)``).
    func scaleGradient(_ values: UnsafeMutablePointer<Float>, rows: Int, featureCount: Int) {
        switch kind {
        case .identity: break
        case .global:
            let s = standardDeviation[0]
            for i in 0..<rows * featureCount { values[i] *= s }
        case .perFeature:
            standardDeviation.withUnsafeBufferPointer { s in
                for r in 0..<rows {
                    let v = values + r * featureCount
                    for j in 0..<featureCount { v[j] *= s[j] }
                }
            }
        }
    }
}
