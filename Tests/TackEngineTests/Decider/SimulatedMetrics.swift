import Foundation
import TackCore
import TackEngine

/// What a fake Prometheus answers for one round of an analysis: the requests the judged track
/// received and its values, or a failed query.
struct Reading: Sendable, Hashable {
    var requests: Double
    var errorRate: Double
    /// Seconds, for every latency quantile.
    var latency: Double
    var isQueryError = false

    /// Traffic, 1% errors and 200ms latency.
    static let healthy = Reading(requests: 120, errorRate: 0.01, latency: 0.2)
    /// No request reached the judged track.
    static let noTraffic = Reading(requests: 0, errorRate: 0, latency: 0)
    /// Prometheus did not answer.
    static let queryError = Reading(requests: 0, errorRate: 0, latency: 0, isQueryError: true)

    /// Traffic with this error rate.
    static func errorRate(_ rate: Double) -> Reading { Reading(requests: 120, errorRate: rate, latency: 0.2) }
    /// Traffic with this latency in seconds.
    static func latency(_ seconds: Double) -> Reading { Reading(requests: 120, errorRate: 0.01, latency: seconds) }

    /// One measurement per condition of `spec`, classified the way `PrometheusMetricsSource` does:
    /// query errors first, then traffic, then the value.
    func measurements(_ spec: AnalysisSpec, at time: Date) -> [AnalysisMeasurement] {
        spec.conditions.map { condition in
            let seconds = time.timeIntervalSince1970
            if isQueryError {
                return AnalysisMeasurement(condition: condition, phase: .error, reason: "query failed: connection refused", time: seconds)
            }
            if requests < Double(spec.target.minRequests) {
                return AnalysisMeasurement(condition: condition, phase: .inconclusive, requests: requests,
                                           reason: "no data: the \(spec.target.track.track.rawValue) received 0 requests", time: seconds)
            }
            let value = switch condition.metric {
            case .errorRate: errorRate
            case .latency: latency
            case .custom: 0.0
            }
            let holds = condition.holds(value: value, stable: 0) ?? false
            return AnalysisMeasurement(condition: condition, phase: holds ? .failed : .successful, value: value,
                                       stableValue: 0, requests: requests,
                                       reason: "\(condition.metric) \(value) \(holds ? "crosses" : "within") \(condition.text)",
                                       time: seconds)
        }
    }
}

/// What the fake Prometheus answers, given the analysis, the time and the accounts' workloads.
typealias MetricsScript = (_ spec: AnalysisSpec, _ time: Date, _ accounts: SimulatedAccounts) -> Reading

enum Metrics {
    /// The judged track measures `reading` while it gets traffic, and nothing otherwise; a preview
    /// gets requests as soon as it exists (smoke tests reach it before the switch).
    static func byTraffic(_ reading: Reading = .healthy) -> MetricsScript {
        { spec, _, accounts in
            let track = spec.target.track.track
            let status = accounts.status(spec.account)
            let reached = status.traffic[track] > 0 || (track == .preview && status[.preview] != nil)
            return reached ? reading : .noTraffic
        }
    }

    /// `reading` whatever the traffic.
    static func always(_ reading: Reading) -> MetricsScript {
        { _, _, _ in reading }
    }
}

extension Metrics {
    /// Healthy until the preview takes live traffic, then 31% errors (a blue-green version that
    /// fails under real load but passed its smoke tests).
    static func failingAfterSwitch() -> MetricsScript {
        { spec, time, accounts in
            accounts.status(spec.account).traffic[.preview] > 0 ? .errorRate(0.31) : byTraffic()(spec, time, accounts)
        }
    }
}
