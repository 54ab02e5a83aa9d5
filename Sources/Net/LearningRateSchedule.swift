/// How the learning rate changes with the step count: an optional linear warm-up followed by
/// a decay. The rate at step `s` (0-based) is `η · factor(atStep: s)`.
public struct LearningRateSchedule: Equatable, Sendable {
    /// The decay after warm-up.
    public enum Decay: Equatable, Sendable {
        /// Factor 1 throughout.
        case constant
        /// Multiplies the factor by `factor` every `interval` steps (counted after warm-up).
        case step(interval: Int, factor: Float)
        /// Half a cosine from 1 down to `finalFactor` over `totalSteps` (warm-up included);
        /// `finalFactor` after that.
        case cosine(totalSteps: Int, finalFactor: Float)
    }

    /// The decay after warm-up.
    public var decay: Decay
    /// Number of steps over which the factor rises linearly from `1/warmupSteps` to 1.
    public var warmupSteps: Int

    /// A schedule from its parts.
    public init(decay: Decay, warmupSteps: Int = 0) {
        precondition(warmupSteps >= 0, "warm-up must be non-negative")
        if case let .step(interval, _) = decay { precondition(interval >= 1, "step interval must be positive") }
        if case let .cosine(total, _) = decay { precondition(total >= 1, "cosine length must be positive") }
        self.decay = decay
        self.warmupSteps = warmupSteps
    }

    /// A constant rate.
    public static let constant = LearningRateSchedule(decay: .constant)

    /// Cosine decay to `finalFactor` at `totalSteps`, after `warmupSteps` of linear warm-up.
    public static func cosine(totalSteps: Int, warmupSteps: Int = 0, finalFactor: Float = 0) -> LearningRateSchedule {
        LearningRateSchedule(decay: .cosine(totalSteps: totalSteps, finalFactor: finalFactor), warmupSteps: warmupSteps)
    }

    /// Step decay: multiply by `factor` every `interval` steps, after `warmupSteps` of warm-up.
    public static func step(interval: Int, factor: Float, warmupSteps: Int = 0) -> LearningRateSchedule {
        LearningRateSchedule(decay: .step(interval: interval, factor: factor), warmupSteps: warmupSteps)
    }

    /// The multiplier of the base rate at 0-based step `step`.
    public func factor(atStep step: Int) -> Float {
        if step < warmupSteps { return Float(step + 1) / Float(warmupSteps) }
        let s = step - warmupSteps
        switch decay {
        case .constant:
            return 1
        case let .step(interval, factor):
            return Float(Adam.power(Double(factor), s / interval))
        case let .cosine(totalSteps, finalFactor):
            let length = totalSteps - warmupSteps
            guard length > 0 else { return finalFactor }
            let progress = min(1, Double(s) / Double(length))
            let c = 0.5 * (1 + Self.cosineOfPiTimes(progress))
            return finalFactor + (1 - finalFactor) * Float(c)
        }
    }

    /// `cos(π·x)` for `x` in `[0, 1]`, by a Taylor series on `[0, π/2]` (error < 1e-15);
    /// the standard library has no cosine and Net uses no libm.
    static func cosineOfPiTimes(_ x: Double) -> Double {
        let pi = 3.141592653589793
        if x > 0.5 { return -cosineOfPiTimes(1 - x) }
        let t = pi * x, t2 = t * t
        var term = 1.0, sum = 1.0
        for k in 1...12 {
            term *= -t2 / Double((2 * k - 1) * (2 * k))
            sum += term
        }
        return sum
    }
}
