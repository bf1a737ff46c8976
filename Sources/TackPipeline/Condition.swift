/// A limit on a metric, such as `errorRate > 5%`: it holds when the measured value crosses it.
public struct Condition: Sendable, Hashable, CustomStringConvertible {
    /// A comparison.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="

        /// Whether `value` compared with `limit` makes the condition hold.
        public func holds(_ value: Double, _ limit: Double) -> Bool {
            switch self {
            case .greater: value > limit
            case .greaterOrEqual: value >= limit
            case .less: value < limit
            case .lessOrEqual: value <= limit
            }
        }
    }

    /// The metric compared.
    public var metric: Metric
    /// The comparison.
    public var op: Operator
    /// The limit in the metric's base unit: a ratio (0.05 for 5%), seconds, or a plain number.
    public var limit: Double
    /// The text as written, without surrounding spaces (`errorRate > 5%`).
    public var text: String

    /// A condition.
    public init(metric: Metric, op: Operator, limit: Double, text: String) {
        self.metric = metric
        self.op = op
        self.limit = limit
        self.text = text
    }

    /// `text`.
    public var description: String { text }
}
