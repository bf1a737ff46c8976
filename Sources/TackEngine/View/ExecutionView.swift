import Foundation
import TackCore

/// An execution as people and clients see it: its phase, each account's step, traffic, replicas
/// and metrics against their limits. The controller's API sends it and `tack watch` draws it.
public struct ExecutionView: Sendable, Hashable, Codable {
    /// The execution's id.
    public var id: Int64
    /// The application.
    public var app: String
    /// The revision rolled out.
    public var revision: Int
    /// Where it stands.
    public var phase: ExecutionPhase
    /// 1-based number of the stage being run, and how many there are.
    public var stage: Int
    /// How many stages the pipeline has.
    public var stages: Int
    /// Why it waits, while paused.
    public var pauseReason: String?
    /// The condition that rolled it back or paused it.
    public var cause: RollbackCause?
    /// The last reason given.
    public var message: String?
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// One per account rollout, in pipeline order.
    public var accounts: [AccountView]

    /// Whether the execution has ended.
    public var isTerminal: Bool { phase.isTerminal }
}

/// One account of an execution as people see it.
public struct AccountView: Sendable, Hashable, Codable {
    /// The account.
    public var account: String
    /// 1-based number of its deploy stage.
    public var stage: Int
    /// Where it stands.
    public var phase: AccountPhase
    /// `canary` or `bluegreen`.
    public var strategy: String
    /// The steps in words; `step` indexes them.
    public var steps: [String]
    /// The index of the current step (`steps.count` once done).
    public var step: Int
    /// What the current step waits for.
    public var waitingFor: String?
    /// The last driver error, while there is one.
    public var error: String?
    /// The new version, pinned by digest once resolved.
    public var image: String
    /// What the account ran before.
    public var previousImage: String?
    /// The new version's share of traffic now, in percent.
    public var weight: Int
    /// Each track's replicas as last observed.
    public var tracks: [TrackStatus]
    /// The conditions measured here, with their recent values.
    public var metrics: [MetricView]
}

/// One condition in one account: its limit and recent measurements, oldest first.
public struct MetricView: Sendable, Hashable, Codable {
    /// The condition as written.
    public var condition: String
    /// The metric.
    public var metric: String
    /// The unit of its values and limit: `ratio`, `seconds` or `number`.
    public var unit: String
    /// The limit last compared with, in the metric's base unit.
    public var limit: Double?
    /// Recent measurements, at most `historyLength`.
    public var points: [MetricPoint]
    /// The last measurement's phase.
    public var phase: String
    /// The last measurement's reason.
    public var reason: String

    /// How many recent measurements a view keeps.
    public static let historyLength = 120
}

/// One measurement of a condition: the new version's value and the stable version's beside it.
public struct MetricPoint: Sendable, Hashable, Codable {
    /// When it was measured.
    public var time: Date
    /// The new version's value in the metric's base unit; nil when the round had none.
    public var value: Double?
    /// The stable track's (or active color's) value, when it was measured.
    public var stable: Double?

    /// A point.
    public init(time: Date, value: Double?, stable: Double?) {
        self.time = time
        self.value = value
        self.stable = stable
    }
}
