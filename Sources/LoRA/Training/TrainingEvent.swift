/// What a training run reports as it goes, for progress bars, logs and the metrics file.
public enum TrainingEvent: Sendable, Equatable {
    /// The run is about to take its first step (or its first after resuming).
    case started(TrainingStart)
    /// The held-out pairs were evaluated after `step` optimizer steps.
    case evaluated(step: Int, EvaluationResult)
    /// An optimizer step finished.
    case stepped(StepMetrics)
    /// A checkpoint was written.
    case checkpointSaved(step: Int, path: String)
    /// Evaluation loss stopped improving for `early_stopping_patience` evaluations.
    case stoppedEarly(step: Int)
}

/// The shape of a run, reported when it starts.
public struct TrainingStart: Sendable, Equatable {
    /// The optimizer step the run starts from (0, or the checkpoint's step).
    public let step: Int
    /// The optimizer step the run ends at.
    public let totalSteps: Int
    /// Training and held-out pair counts.
    public let trainPairs: Int, evalPairs: Int
    /// The number of adapted linear layers and of trainable weights.
    public let adaptedModules: Int, trainableParameters: Int
    /// The checkpoint resumed from, if any.
    public let resumedFrom: String?
}

/// The figures of one optimizer step.
public struct StepMetrics: Sendable, Equatable, Codable {
    /// Optimizer steps done, from 1.
    public let step: Int
    /// The run's last step.
    public let totalSteps: Int
    /// The epoch the step's last batch came from, from 0.
    public let epoch: Int
    /// The mean contrastive loss over the step's batches.
    public let loss: Float
    /// The learning rate the step used.
    public let learningRate: Double
    /// The gradient's L2 norm before clipping.
    public let gradientNorm: Double
    /// Real (unpadded) tokens encoded per second of the step.
    public let tokensPerSecond: Double
    /// Seconds since the run (or the resumed run) started.
    public let elapsedSeconds: Double

    private enum CodingKeys: String, CodingKey {
        case step, totalSteps = "total_steps", epoch, loss, learningRate = "lr", gradientNorm = "grad_norm"
        case tokensPerSecond = "tokens_per_second", elapsedSeconds = "elapsed_seconds"
    }
}

/// The held-out pairs' loss and retrieval accuracy.
public struct EvaluationResult: Sendable, Equatable, Codable {
    /// The mean contrastive loss over held-out batches.
    public let loss: Float
    /// The share of held-out anchors whose own positive is the nearest among all held-out positives.
    public let accuracy: Double
    /// The number of held-out pairs.
    public let pairs: Int
}

/// How a run ended.
public struct TrainingSummary: Sendable, Equatable {
    /// The optimizer steps done in all.
    public let steps: Int
    /// Evaluation before the first step of the run (nil without held-out pairs, or when resumed).
    public let evaluationBefore: EvaluationResult?
    /// Evaluation after the last step (nil without held-out pairs).
    public let evaluationAfter: EvaluationResult?
    /// Whether the run stopped because evaluation stopped improving.
    public let stoppedEarly: Bool
    /// Whether the run was interrupted (and checkpointed) before its last step.
    public let interrupted: Bool
    /// The directory holding the adapter (or, when interrupted, the checkpoint).
    public let output: String
}
