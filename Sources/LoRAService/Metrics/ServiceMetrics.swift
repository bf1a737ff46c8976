import PrometheusExposition
import Synchronization

/// The trainer service's Prometheus metrics, safe to update from any thread.
public final class ServiceMetrics: Sendable {
    /// The `Content-Type` of `exposition()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// How a training job ended.
    public enum JobOutcome: String, Sendable, CaseIterable {
        case succeeded, failed, cancelled
    }

    /// Bucket bounds of `lora_http_request_duration_seconds`.
    static let requestBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Bucket bounds of `lora_job_duration_seconds`: a second to an hour.
    static let jobBuckets: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600]

    /// Series of the request metrics, by their label values.
    struct RequestKey: Hashable, Sendable {
        var code: String
        var method: String
        var route: String

        /// Series order: by label values, labels taken by name.
        func sortsBefore(_ other: RequestKey) -> Bool { (code, method, route) < (other.code, other.method, other.route) }
    }

    struct RouteKey: Hashable, Sendable {
        var method: String
        var route: String

        func sortsBefore(_ other: RouteKey) -> Bool { (method, route) < (other.method, other.route) }
    }

    struct State: Sendable {
        var requests: [RequestKey: UInt64] = [:]
        var requestDurations: [RouteKey: Histogram] = [:]
        var jobs: [JobOutcome: UInt64] = Dictionary(uniqueKeysWithValues: JobOutcome.allCases.map { ($0, 0) })
        var jobDurations = Histogram(bounds: ServiceMetrics.jobBuckets)
        var queueDepth = 0
        var running = 0
        var tokensPerSecond = 0.0
        var loss = 0.0
    }

    /// The `lora_build_info` labels, fixed at start-up.
    let buildInfo: [(name: String, value: String)]
    let state = Mutex(State())

    /// Metrics for a service of `version` running with `faults`, announced in `lora_build_info`.
    public init(version: String, faults: FaultInjection) {
        buildInfo = [
            ("fault_error_rate", faults.errorRateText),
            ("fault_latency", faults.latencyText),
            ("version", version),
        ]
    }

    /// Counts one answered request; `route` is the route's pattern, not the requested path.
    public func observeRequest(method: String, route: String, code: Int, seconds: Double) {
        state.withLock { state in
            state.requests[RequestKey(code: String(code), method: method, route: route), default: 0] += 1
            state.requestDurations[RouteKey(method: method, route: route), default: Histogram(bounds: Self.requestBuckets)]
                .observe(seconds)
        }
    }

    /// Counts one finished job and the time it ran.
    public func jobFinished(outcome: JobOutcome, seconds: Double) {
        state.withLock { state in
            state.jobs[outcome, default: 0] += 1
            state.jobDurations.observe(seconds)
        }
    }

    /// Sets the number of queued jobs.
    public func setQueueDepth(_ depth: Int) {
        state.withLock { $0.queueDepth = depth }
    }

    /// Sets the number of running jobs; with none, the throughput drops to 0.
    public func setRunning(_ count: Int) {
        state.withLock { state in
            state.running = count
            if count == 0 { state.tokensPerSecond = 0 }
        }
    }

    /// Records the last training step's throughput and loss.
    public func setTraining(tokensPerSecond: Double, loss: Double) {
        state.withLock { state in
            state.tokensPerSecond = tokensPerSecond
            state.loss = loss
        }
    }
}
