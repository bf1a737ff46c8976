import TackCore
/// Watches the new version's metrics in the accounts of the given scopes for the whole rollout.
public struct MonitorStage: Sendable, Hashable {
    /// The metrics account (a Prometheus) to query.
    public var metricsAccount: String
    /// The scopes of the accounts watched; every deployed account's scope when not written.
    public var scopes: [String]
    /// Time between measurements.
    public var interval: Duration
    /// The range each rate is computed over.
    public var window: Duration
    /// Metrics recorded besides those named by conditions.
    public var metrics: [MetricDefinition]
    /// Failed measurements tolerated before the analysis fails.
    public var failureLimit: Int = AnalysisPolicy.defaultFailureLimit
    /// Inconclusive measurements (no data) tolerated before the analysis is inconclusive.
    public var inconclusiveLimit: Int = AnalysisPolicy.defaultInconclusiveLimit
    /// Query errors in a row tolerated before the analysis ends in Error.
    public var consecutiveErrorLimit: Int = AnalysisPolicy.defaultConsecutiveErrorLimit
    /// The fewest requests in the window for a track to be judged.
    public var minRequests: Int = AnalysisTarget.defaultMinRequests

    /// The interval when none is written.
    public static let defaultInterval: Duration = .seconds(15)
    /// The window when none is written.
    public static let defaultWindow: Duration = .seconds(60)

    /// A monitor stage.
    public init(metricsAccount: String, scopes: [String], interval: Duration = defaultInterval,
                window: Duration = defaultWindow, metrics: [MetricDefinition] = []) {
        self.metricsAccount = metricsAccount
        self.scopes = scopes
        self.interval = interval
        self.window = window
        self.metrics = metrics
    }
}

/// Rolls back when a condition holds.
public struct RollbackStage: Sendable, Hashable {
    /// Who decides a rollback.
    public enum Trigger: String, Sendable, Hashable, CaseIterable {
        /// Tack rolls back every account at once when a condition holds.
        case automatic
        /// Tack pauses and waits for `tack rollback` or `tack promote`.
        case manual
    }

    /// Who decides.
    public var trigger: Trigger
    /// The conditions; any one holding in any watched account triggers.
    public var conditions: [Condition]

    /// A rollback stage.
    public init(trigger: Trigger, conditions: [Condition]) {
        self.trigger = trigger
        self.conditions = conditions
    }
}

/// Waits for a person to approve before the next stage.
public struct ManualJudgmentStage: Sendable, Hashable {
    /// What to do when the judgment times out.
    public enum TimeoutAction: String, Sendable, Hashable, CaseIterable {
        case `continue`, rollback
    }

    /// What the person should check.
    public var instructions: String?
    /// How long to wait; nil waits forever.
    public var timeout: Duration?
    /// What happens at the timeout.
    public var onTimeout: TimeoutAction

    /// A manual judgment stage.
    public init(instructions: String? = nil, timeout: Duration? = nil, onTimeout: TimeoutAction = .rollback) {
        self.instructions = instructions
        self.timeout = timeout
        self.onTimeout = onTimeout
    }
}
