import PrometheusExposition
import Synchronization

/// The engine's Prometheus metrics: reconcile pass durations, rollbacks, analysis measurements
/// and driver errors, safe to update from any task.
public final class EngineMetrics: Sendable {
    /// The `Content-Type` of `exposition(executionsByPhase:version:)`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// Bucket bounds of `tack_reconcile_duration_seconds`: 5 ms to 10 s.
    static let passBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// The outcomes `tack_analysis_measurements_total` always reports, 0 until counted.
    static let outcomes = ["successful", "failed", "inconclusive", "error"]

    struct State: Sendable {
        var passes = Histogram(bounds: EngineMetrics.passBuckets)
        var rollbacks: [String: UInt64] = [:]
        var measurements: [String: UInt64] = Dictionary(uniqueKeysWithValues: EngineMetrics.outcomes.map { ($0, 0) })
        var driverErrors: [String: UInt64] = [:]
    }

    let state = Mutex(State())

    /// Metrics with every counter at 0.
    public init() {}

    /// Records the time one reconcile pass took.
    public func observePass(_ duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        state.withLock { $0.passes.observe(seconds) }
    }

    /// Counts an execution of `app` entering RollingBack.
    public func countRollback(app: String) {
        state.withLock { $0.rollbacks[app, default: 0] += 1 }
    }

    /// Counts one stored analysis measurement by its phase (successful, failed, inconclusive, error).
    public func countMeasurement(outcome: String) {
        state.withLock { $0.measurements[outcome, default: 0] += 1 }
    }

    /// Counts one failed driver call or status read in `account`.
    public func countDriverError(account: String) {
        state.withLock { $0.driverErrors[account, default: 0] += 1 }
    }
}
