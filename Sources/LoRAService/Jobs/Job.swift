import Foundation
import LoRA

/// A training job: its spec, where it is in its life, its progress and where its adapter goes.
/// Encoded with snake_case keys and ISO 8601 times, as `GET /v1/jobs/{id}` shows it and the journal keeps it.
public struct Job: Sendable, Equatable, Codable, Identifiable {
    /// The identifier, sortable by creation.
    public let id: JobID
    /// Where the job is in its life.
    public var state: JobState
    /// When it was submitted, first started and finished.
    public var createdAt: Date, startedAt: Date?, finishedAt: Date?
    /// The latest figures of its run.
    public var progress: JobProgress
    /// Where the adapter, checkpoints and metrics are written.
    public var outputDirectory: String
    /// Why it failed, when it did.
    public var error: String?
    /// Whether a cancel was asked while it runs; it stops at the next step boundary.
    public var isCancelling: Bool
    /// Whether a shutdown stopped it after a checkpoint; it resumes from there when the service starts again.
    public var isInterrupted: Bool
    /// What it trains, to run it again after a restart.
    public var spec: JobSpec

    /// A queued job.
    public init(id: JobID, createdAt: Date, outputDirectory: String, spec: JobSpec) {
        self.id = id
        state = .queued
        self.createdAt = createdAt
        progress = JobProgress()
        self.outputDirectory = outputDirectory
        isCancelling = false
        isInterrupted = false
        self.spec = spec
    }

    private enum CodingKeys: String, CodingKey {
        case id, state, createdAt = "created_at", startedAt = "started_at", finishedAt = "finished_at", progress
        case outputDirectory = "output_dir", error, isCancelling = "cancelling", isInterrupted = "interrupted", spec
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(JobID.self, forKey: .id)
        state = try container.decode(JobState.self, forKey: .state)
        createdAt = try Self.date(container, .createdAt)!
        startedAt = try Self.date(container, .startedAt)
        finishedAt = try Self.date(container, .finishedAt)
        progress = try container.decode(JobProgress.self, forKey: .progress)
        outputDirectory = try container.decode(String.self, forKey: .outputDirectory)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        isCancelling = try container.decodeIfPresent(Bool.self, forKey: .isCancelling) ?? false
        isInterrupted = try container.decodeIfPresent(Bool.self, forKey: .isInterrupted) ?? false
        spec = try container.decode(JobSpec.self, forKey: .spec)
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(Self.text(of: createdAt), forKey: .createdAt)
        try container.encodeIfPresent(startedAt.map(Self.text), forKey: .startedAt)
        try container.encodeIfPresent(finishedAt.map(Self.text), forKey: .finishedAt)
        try container.encode(progress, forKey: .progress)
        try container.encode(outputDirectory, forKey: .outputDirectory)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(isCancelling, forKey: .isCancelling)
        try container.encode(isInterrupted, forKey: .isInterrupted)
        try container.encode(spec, forKey: .spec)
    }

    /// `date` as ISO 8601 with milliseconds, in UTC.
    static func text(of date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static func date(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date? {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else {
            if key == .createdAt { throw DecodingError.keyNotFound(key, .init(codingPath: container.codingPath, debugDescription: "")) }
            return nil
        }
        guard let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an ISO 8601 time: \(text)")
        }
        return date
    }
}

/// Where a job is in its life.
public enum JobState: String, Sendable, Equatable, Codable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    /// Whether the job is over and will not change again.
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// The latest figures of a job's run.
public struct JobProgress: Sendable, Equatable, Codable {
    /// Optimizer steps done, and the run's last step (nil until the run has started).
    public var step = 0, totalSteps: Int?
    /// The latest step's loss and tokens per second.
    public var loss: Float?, tokensPerSecond: Double?
    /// The held-out evaluation before the first step and after the last (nil without eval_split).
    public var evaluationBefore: EvaluationResult?, evaluationAfter: EvaluationResult?
    /// The step of the newest checkpoint written.
    public var checkpointStep: Int?

    /// No progress yet.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case step, totalSteps = "total_steps", loss, tokensPerSecond = "tokens_per_second"
        case evaluationBefore = "eval_before", evaluationAfter = "eval_after", checkpointStep = "checkpoint_step"
    }
}
