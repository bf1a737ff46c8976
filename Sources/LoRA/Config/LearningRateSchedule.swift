/// How the learning rate moves from its peak over a run, named as Hugging Face's `lr_scheduler_type`.
public enum LearningRateSchedule: String, CaseIterable, Sendable {
    /// The peak rate throughout; warmup is ignored.
    case constant
    /// A linear rise over the warmup steps, then the peak rate.
    case constantWithWarmup = "constant_with_warmup"
    /// A linear rise over the warmup steps, then a linear fall to 0 at the last step.
    case linear
    /// A linear rise over the warmup steps, then a half cosine down to 0 at the last step.
    case cosine
}
