import Linalg

/// A minibatch: input rows and the target rows the model should produce for them.
public struct Batch: Equatable, Sendable {
    /// `count × inputSize` raw inputs.
    public var inputs: Matrix
    /// `count × outputSize` targets.
    public var targets: Matrix

    /// A batch of matching inputs and targets (same number of rows).
    public init(inputs: Matrix, targets: Matrix) {
        precondition(inputs.rows == targets.rows, "inputs and targets must have the same number of rows")
        self.inputs = inputs
        self.targets = targets
    }

    /// Number of examples.
    public var count: Int { inputs.rows }
}
