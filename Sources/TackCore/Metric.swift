/// A metric a condition can name.
public enum Metric: Sendable, Hashable, CustomStringConvertible {
    /// The 5xx share of requests (a ratio).
    case errorRate
    /// A quantile of request duration (seconds).
    case latency(LatencyQuantile)
    /// A metric defined in the monitor stage with its own PromQL.
    case custom(String)

    /// The names of the built-in metrics, as written.
    public static let builtInNames = ["errorRate", "latency"]

    /// The name as written in conditions (`latency.p99`).
    public var description: String {
        switch self {
        case .errorRate: "errorRate"
        case .latency(let q): "latency.\(q.rawValue)"
        case .custom(let name): name
        }
    }
}

/// The latency quantiles Tack can measure.
public enum LatencyQuantile: String, Sendable, Hashable, CaseIterable {
    case p50, p90, p95, p99

    /// The quantile as a fraction, for `histogram_quantile`.
    public var fraction: Double {
        switch self {
        case .p50: 0.5
        case .p90: 0.9
        case .p95: 0.95
        case .p99: 0.99
        }
    }

    /// The quantile `latency` means when none is written.
    public static let `default` = LatencyQuantile.p99
}

/// What a metric's values measure, which decides the units its limits are written in.
public enum MetricUnit: String, Sendable, Hashable, CaseIterable {
    /// A share from 0 to 1; limits are written in percent (`5%`).
    case ratio
    /// A duration in seconds; limits are written in `ms` or `s`.
    case seconds
    /// A plain number; limits are written without a unit.
    case number
}

/// A metric the monitor records: a built-in, or a custom one with its PromQL template.
public struct MetricDefinition: Sendable, Hashable {
    /// The metric.
    public var metric: Metric
    /// The PromQL template of a custom metric.
    public var query: String?
    /// What its values measure.
    public var unit: MetricUnit

    /// A metric definition.
    public init(metric: Metric, query: String? = nil, unit: MetricUnit) {
        self.metric = metric
        self.query = query
        self.unit = unit
    }
}

extension Metric {
    /// The built-in metric written as `name` (`errorRate`, `latency`, `latency.p95`), if it is one.
    public static func builtIn(named name: String) -> Metric? {
        switch name {
        case "errorRate": return .errorRate
        case "latency": return .latency(.default)
        default:
            guard name.hasPrefix("latency."), let q = LatencyQuantile(rawValue: String(name.dropFirst(8))) else { return nil }
            return .latency(q)
        }
    }

    /// The unit of a built-in metric; nil for custom ones, whose definition says.
    public var builtInUnit: MetricUnit? {
        switch self {
        case .errorRate: .ratio
        case .latency: .seconds
        case .custom: nil
        }
    }
}
