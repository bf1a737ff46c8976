import Foundation
import TackCore

/// Measures conditions with Prometheus: the standard metrics through `PromQL`, custom ones from
/// their templates.
///
/// A measurement is classified in this order. Any query that failed makes it an Error, so a wrong
/// query is never hidden behind missing traffic. For built-in metrics, a track with fewer than
/// `minRequests` requests in the window (`sum(increase(lora_http_requests_total{…}[W]))`) is
/// Inconclusive, and an empty error rate with traffic means no 5xx series: 0. An empty vector or NaN
/// is Inconclusive. A vector of several series is an Error: summing ratios or quantiles is wrong and
/// picking one is arbitrary, so the query must aggregate. Then the condition holds (Failed) or not
/// (Successful). Every query of one measurement is evaluated at the same time. The stable track is
/// read for every condition when the analysis has one, so that it can be shown beside the new
/// version; only relative limits depend on it.
public struct PrometheusMetricsSource: MetricsSource {
    /// The client queries go through.
    public let client: PrometheusClient
    let now: @Sendable () -> Double

    /// A source; `now` gives the evaluation time when a caller gives none (seconds since the epoch).
    public init(client: PrometheusClient, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.client = client
        self.now = now
    }

    public func measure(_ condition: Condition, of target: AnalysisTarget, at time: Double?) async -> AnalysisMeasurement {
        let time = time ?? now()
        func measurement(_ phase: AnalysisMeasurement.Phase, _ reason: String, value: Double? = nil,
                         stable: Double? = nil, requests: Double? = nil) -> AnalysisMeasurement {
            AnalysisMeasurement(condition: condition, phase: phase, value: value, stableValue: stable,
                                requests: requests, reason: reason, time: time)
        }
        guard !condition.limit.isRelative || target.stable != nil else {
            return measurement(.error, "\(condition) compares with the stable track, but the analysis has none")
        }
        async let canaryReading = read(condition.metric, of: target.track, in: target, at: time)
        async let stableReading = readIfAny(condition.metric, of: target.stable, in: target, at: time)
        let (canary, stableRead) = await (canaryReading, stableReading)
        // An absolute limit reads the stable track only to show it beside the new version's value:
        // its failures must not decide anything.
        let stable = condition.limit.isRelative ? stableRead : nil
        let shown = stableRead.flatMap { if case .value(let value, _) = $0 { value } else { nil } }

        switch (canary, stable) {
        case (.error(let reason), _), (_, .error(let reason)?):
            return measurement(.error, reason)
        case (.inconclusive(let reason, let requests), _):
            return measurement(.inconclusive, reason, stable: shown, requests: requests)
        case (.value(let value, let requests), .inconclusive(let reason, _)?):
            return measurement(.inconclusive, reason, value: value, requests: requests)
        case (.value(let value, let requests), .value(let stableValue, _)?):
            return judge(condition, value: value, stable: stableValue, unit: unit(of: condition.metric, in: target)) {
                measurement($0, $1, value: value, stable: stableValue, requests: requests)
            }
        case (.value(let value, let requests), nil):
            return judge(condition, value: value, stable: nil, unit: unit(of: condition.metric, in: target)) {
                measurement($0, $1, value: value, stable: shown, requests: requests)
            }
        }
    }

    /// Failed when the condition holds, Successful when not, with the comparison as the reason.
    private func judge(_ condition: Condition, value: Double, stable: Double?, unit: MetricUnit,
                       _ make: (AnalysisMeasurement.Phase, String) -> AnalysisMeasurement) -> AnalysisMeasurement {
        let name = condition.metric.description
        let text = { (v: Double) in unit.format(v) }
        guard let holds = condition.holds(value: value, stable: stable),
              let threshold = condition.limit.threshold(stable: stable) else {
            return make(.inconclusive, "no data: the limit of \(condition) is not a number (stable \(stable.map(text) ?? "unknown"))")
        }
        var limit = "\(condition.op.rawValue) \(text(threshold))"
        switch (condition.limit, stable) {
        case (.stablePlus(let offset), let stable?):
            limit += " (stable \(text(stable)) \(offset < 0 ? "-" : "+") \(text(abs(offset))))"
        case (.stableTimes(let factor), let stable?):
            limit += " (stable \(text(stable)) * \(MetricUnit.decimal(factor)))"
        default: break
        }
        return holds ? make(.failed, "\(name) \(text(value)) \(limit)") : make(.successful, "\(name) \(text(value)) is not \(limit)")
    }

    /// The unit values of `metric` are in: built-in, from its definition, or a plain number.
    private func unit(of metric: Metric, in target: AnalysisTarget) -> MetricUnit {
        metric.builtInUnit ?? target.definition(of: metric)?.unit ?? .number
    }
}
