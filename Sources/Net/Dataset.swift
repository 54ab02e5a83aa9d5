import Linalg

/// A source of training examples that the trainer reads in batches by index.
///
/// `Net` knows nothing of files: an implementation may hold everything in memory
/// (``InMemoryDataset``) or stream shards from disk. The trainer asks for indices in the order
/// its ``ShuffleMode`` gives; with ``ShuffleMode/blocks(size:)`` every batch's indices lie in
/// one block of consecutive examples, so a disk-backed set only needs its current block in RAM.
public protocol Dataset {
    /// Number of values in each example's input.
    var inputSize: Int { get }
    /// Number of values in each example's target.
    var outputSize: Int { get }
    /// Number of examples, indexed `0..<count`.
    var count: Int { get }

    /// Writes the examples at `indices` (each in `0..<count`, possibly repeated), in that
    /// order, as rows of `inputs` (`indices.count × inputSize` values at its start) and
    /// `targets` (`indices.count × outputSize`); the buffers hold at least that many values.
    mutating func load(indices: ArraySlice<Int>, inputs: UnsafeMutableBufferPointer<Float>,
                       targets: UnsafeMutableBufferPointer<Float>) throws
}

extension Dataset {
    /// Input normalisation of `kind` fitted on the inputs of the first `limit` examples
    /// (all by default), read in batches of `batchSize`.
    public mutating func fitInputNormalization(kind: Normalization.Kind, limit: Int? = nil,
                                               batchSize: Int = 1024) throws -> Normalization {
        let featureCount = inputSize
        return try fitStatistics(kind: kind, featureCount: featureCount, limit: limit, batchSize: batchSize) { x, _, _ in x }
    }

    /// Output scaling of `kind` fitted on what the network must produce: each target minus the
    /// residual input (`target[j] − input[residualInputIndices[j]]`, or the target when nil).
    public mutating func fitOutputScaling(kind: Normalization.Kind, residualInputIndices: [Int]?,
                                          limit: Int? = nil, batchSize: Int = 1024) throws -> Normalization {
        let inputSize = self.inputSize, outputSize = self.outputSize
        return try fitStatistics(kind: kind, featureCount: outputSize, limit: limit, batchSize: batchSize) { x, t, rows in
            if let residualInputIndices {
                for r in 0..<rows {
                    for j in 0..<outputSize { t[r * outputSize + j] -= x[r * inputSize + residualInputIndices[j]] }
                }
            }
            return UnsafePointer(t)
        }
    }

    private mutating func fitStatistics(
        kind: Normalization.Kind, featureCount: Int, limit: Int?, batchSize: Int,
        select: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> UnsafePointer<Float>
    ) throws -> Normalization {
        let n = min(count, limit ?? count)
        let b = max(1, min(batchSize, max(n, 1)))
        let inputs = UnsafeMutablePointer<Float>.allocate(capacity: b * inputSize)
        let targets = UnsafeMutablePointer<Float>.allocate(capacity: b * outputSize)
        defer { inputs.deallocate(); targets.deallocate() }
        return try Normalization.fit(kind: kind, featureCount: featureCount) { consume in
            var start = 0
            while start < n {
                let rows = min(b, n - start)
                try load(indices: Array(start..<start + rows)[...],
                         inputs: UnsafeMutableBufferPointer(start: inputs, count: b * inputSize),
                         targets: UnsafeMutableBufferPointer(start: targets, count: b * outputSize))
                consume(select(inputs, targets, rows), rows)
                start += rows
            }
        }
    }
}

/// A ``Dataset`` held in two matrices, one row per example.
public struct InMemoryDataset: Dataset, Equatable, Sendable {
    /// `count × inputSize` inputs.
    public let inputs: Matrix
    /// `count × outputSize` targets.
    public let targets: Matrix

    /// A dataset of the rows of `inputs` and `targets` (same number of rows).
    public init(inputs: Matrix, targets: Matrix) {
        precondition(inputs.rows == targets.rows, "inputs and targets must have the same number of rows")
        self.inputs = inputs
        self.targets = targets
    }

    /// The number of input columns.
    public var inputSize: Int { inputs.cols }
    /// The number of target columns.
    public var outputSize: Int { targets.cols }
    /// The number of rows.
    public var count: Int { inputs.rows }

    /// Copies the requested rows.
    public func load(indices: ArraySlice<Int>, inputs xs: UnsafeMutableBufferPointer<Float>,
                     targets ts: UnsafeMutableBufferPointer<Float>) {
        let ni = inputSize, no = outputSize
        precondition(xs.count >= indices.count * ni && ts.count >= indices.count * no, "load: buffers too small")
        guard !indices.isEmpty, let x = xs.baseAddress, let t = ts.baseAddress else { return }
        inputs.storage.withUnsafeBufferPointer { src in
            for (r, i) in indices.enumerated() {
                (x + r * ni).update(from: src.baseAddress! + i * ni, count: ni)
            }
        }
        targets.storage.withUnsafeBufferPointer { src in
            for (r, i) in indices.enumerated() {
                (t + r * no).update(from: src.baseAddress! + i * no, count: no)
            }
        }
    }
}
