/// Why an execution rolled back or paused on analysis: the condition, the value measured and the
/// limit it crossed, in which account.
public struct RollbackCause: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The account where the condition held.
    public var account: String
    /// The metric, as conditions name it (`errorRate`, `latency.p99`).
    public var metric: String
    /// The condition as written (`errorRate > 5%`).
    public var condition: String
    /// The value measured, in the metric's base unit, when one was read.
    public var value: Double?
    /// The threshold the value was compared with, in the metric's base unit, when known.
    public var limit: Double?
    /// The analysis' own words (`errorRate 31.2% > 5% (failed rounds 1 > failureLimit 0)`).
    public var reason: String

    /// A cause.
    public init(account: String, metric: String, condition: String, value: Double?, limit: Double?, reason: String) {
        self.account = account
        self.metric = metric
        self.condition = condition
        self.value = value
        self.limit = limit
        self.reason = reason
    }

    /// `errorRate > 5% in aws-prod: errorRate 31.2% > 5%`.
    public var description: String { "\(condition) in \(account): \(reason)" }
}
