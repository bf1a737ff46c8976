/// A limit on a metric, such as `errorRate > 5%` or `latency > stable * 1.5`: it holds when the
/// measured value crosses the limit, which is what fails a rollout.
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

    /// What the measured value is compared with.
    public enum Limit: Sendable, Hashable {
        /// A fixed value in the metric's base unit (a ratio, seconds or a plain number).
        case absolute(Double)
        /// The stable track's value over the same window plus this offset (base unit, may be negative).
        case stablePlus(Double)
        /// The stable track's value times this factor.
        case stableTimes(Double)

        /// Whether the limit needs the stable track's value.
        public var isRelative: Bool {
            if case .absolute = self { false } else { true }
        }

        /// The threshold, given the stable track's value; nil when it needs one and none is known.
        public func threshold(stable: Double?) -> Double? {
            switch self {
            case .absolute(let value): value
            case .stablePlus(let offset): stable.map { $0 + offset }
            case .stableTimes(let factor): stable.map { $0 * factor }
            }
        }
    }

    /// The metric compared.
    public var metric: Metric
    /// The comparison.
    public var op: Operator
    /// What the value is compared with.
    public var limit: Limit
    /// The text as written, without surrounding spaces (`errorRate > 5%`).
    public var text: String

    /// A condition.
    public init(metric: Metric, op: Operator, limit: Limit, text: String) {
        self.metric = metric
        self.op = op
        self.limit = limit
        self.text = text
    }

    /// Whether the condition holds for `value`; nil when the limit is relative and the stable
    /// value is unknown, or when either value is NaN, so nothing can be judged.
    public func holds(value: Double, stable: Double? = nil) -> Bool? {
        guard !value.isNaN, let threshold = limit.threshold(stable: stable), !threshold.isNaN else { return nil }
        return op.holds(value, threshold)
    }

    /// `text`.
    public var description: String { text }
}
