/// Where analysis measurements come from (Prometheus, or a recording stand-in in tests); the engine
/// talks to this protocol and never to a driver.
public protocol MetricsSource: Sendable {
    /// Checks `condition` on `target` over the window ending at `time` (seconds since the epoch; now
    /// when nil). Never throws: a query that fails is an `.error` measurement.
    func measure(_ condition: Condition, of target: AnalysisTarget, at time: Double?) async -> AnalysisMeasurement
}
