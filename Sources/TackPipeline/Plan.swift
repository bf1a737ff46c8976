import TackCore
/// What applying a pipeline will do, per account and in order; `tack plan -o json` encodes it as is.
public struct Plan: Sendable, Codable, Hashable {
    /// The application.
    public var application: String
    /// The accounts file the plan was made with.
    public var accountsFile: String
    /// The stages in order.
    public var stages: [PlanStage]
    /// Things that hold for the whole plan.
    public var notes: [String]
}

/// One stage of the plan.
public struct PlanStage: Sendable, Codable, Hashable {
    /// 1-based position in the pipeline.
    public var number: Int
    /// The stage type.
    public var type: String
    /// The stage's display name.
    public var name: String?
    /// One line saying what the stage does.
    public var summary: String
    /// Per-account steps of a deploy stage.
    public var accounts: [PlanAccount]?
    /// The metrics a monitor stage records, with their queries.
    public var metrics: [PlanMetric]?
    /// The conditions of a rollback stage, with their queries.
    public var conditions: [PlanMetric]?
}

/// What happens in one account.
public struct PlanAccount: Sendable, Codable, Hashable {
    public var account: String
    public var kind: String
    public var scope: String
    public var namespace: String?
    /// How traffic is split: `nginx`, `replicas` or `gatewayAPI`.
    public var traffic: String
    public var strategy: String
    public var image: String
    public var version: String
    public var targetSize: Int
    /// Whether the monitor watches this account.
    public var watched: Bool
    /// The objects Tack creates or updates there.
    public var objects: [String]
    /// The steps in order.
    public var steps: [PlanStep]
}

/// One step in one account.
public struct PlanStep: Sendable, Codable, Hashable {
    /// 1-based position.
    public var number: Int
    /// `create`, `setWeight`, `pause`, `analysis`, `waitReady`, `promote`, `switch` or `scaleDown`.
    public var action: String
    /// The step in words.
    public var description: String
    /// The share of traffic the new version gets after this step, in percent.
    public var weight: Int?
    /// New-version replicas after this step.
    public var newReplicas: Int?
    /// Old-version replicas after this step.
    public var oldReplicas: Int?
    /// How long the step waits, when it does.
    public var duration: String?
}

/// A metric or condition with the PromQL run for each watched account.
public struct PlanMetric: Sendable, Codable, Hashable {
    /// The condition text or the metric name.
    public var text: String
    /// The metric.
    public var metric: String
    /// The metric's unit.
    public var unit: String
    /// The PromQL per account.
    public var queries: [PlanQuery]
}

/// The PromQL Tack runs for one account.
public struct PlanQuery: Sendable, Codable, Hashable {
    public var account: String
    public var promql: String
}
