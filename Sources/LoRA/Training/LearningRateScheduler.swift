import Foundation

/// The learning rate at each optimizer step, as transformers' `get_scheduler` computes it.
public struct LearningRateScheduler: Sendable, Equatable, Codable {
    /// The shape of the curve.
    public var kind: LearningRateSchedule
    /// The peak learning rate.
    public var baseRate: Double
    /// The number of warmup steps (ignored by `constant`).
    public var warmupSteps: Int
    /// The total number of optimizer steps in the run.
    public var totalSteps: Int

    /// A scheduler of `kind` peaking at `baseRate`.
    public init(kind: LearningRateSchedule, baseRate: Double, warmupSteps: Int = 0, totalSteps: Int) {
        self.kind = kind
        self.baseRate = baseRate
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The learning rate for the optimizer step taken after `step` steps.
    public func rate(atStep step: Int) -> Double { baseRate * multiplier(atStep: step) }

    /// The factor applied to the base rate after `step` steps (transformers' lambda for `LambdaLR`).
    public func multiplier(atStep step: Int) -> Double {
        if kind != .constant, step < warmupSteps { return Double(step) / Double(max(1, warmupSteps)) }
        let remaining = Double(max(1, totalSteps - warmupSteps))
        switch kind {
        case .constant, .constantWithWarmup:
            return 1
        case .linear:
            return max(0, Double(totalSteps - step) / remaining)
        case .cosine:
            let progress = Double(step - warmupSteps) / remaining
            return max(0, 0.5 * (1 + cos(Double.pi * 0.5 * 2 * progress)))
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind, baseRate = "base_rate", warmupSteps = "warmup_steps", totalSteps = "total_steps"
    }
}

extension LearningRateSchedule: Codable {}
