import Foundation

/// One measured round of one analysis in one account, as the store keeps it.
public struct AnalysisRecord: Sendable, Hashable, Codable {
    /// The execution.
    public var executionID: Int64
    /// The account measured.
    public var account: String
    /// Which analysis: `monitor.0` for the background monitor, `step.3.0` for step 3's (the last
    /// number is the account's analysis epoch).
    public var analysis: String
    /// 1 for the analysis' first round, counted or not.
    public var round: Int
    /// Whether the round counts toward the analysis' outcome; rounds that find no data while the
    /// new version warms up do not.
    public var counted: Bool
    /// When the round was measured.
    public var time: Date
    /// One per condition, in the conditions' order.
    public var measurements: [MeasurementRecord]

    /// A round.
    public init(executionID: Int64, account: String, analysis: String, round: Int, counted: Bool, time: Date,
                measurements: [MeasurementRecord]) {
        self.executionID = executionID
        self.account = account
        self.analysis = analysis
        self.round = round
        self.counted = counted
        self.time = time
        self.measurements = measurements
    }
}

/// One condition's measurement in a stored round.
public struct MeasurementRecord: Sendable, Hashable, Codable {
    /// The condition as written.
    public var condition: String
    /// The metric it names (`errorRate`, `latency.p99`).
    public var metric: String
    /// `successful`, `failed`, `inconclusive` or `error`.
    public var phase: String
    /// The new version's value, in the metric's base unit.
    public var value: Double?
    /// The stable track's value, when it was read (relative limits compare with it).
    public var stableValue: Double?
    /// The limit the value was compared with, when known.
    public var limit: Double?
    /// Requests the new version received in the window.
    public var requests: Double?
    /// One line for people.
    public var reason: String

    /// A measurement.
    public init(condition: String, metric: String, phase: String, value: Double?, stableValue: Double?, limit: Double?,
                requests: Double?, reason: String) {
        self.condition = condition
        self.metric = metric
        self.phase = phase
        self.value = value
        self.stableValue = stableValue
        self.limit = limit
        self.requests = requests
        self.reason = reason
    }
}
