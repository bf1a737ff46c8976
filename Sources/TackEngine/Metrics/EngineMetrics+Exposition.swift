import PrometheusExposition

extension EngineMetrics {
    /// Every metric in the Prometheus text format 0.0.4, with the executions gauge from
    /// `executionsByPhase` (counted at scrape time) and `tack_build_info` of `version`.
    public func exposition(executionsByPhase: [ExecutionPhase: Int], version: String) -> String {
        let state = state.withLock { $0 }
        var text = ExpositionWriter()

        text.family(
            "tack_analysis_measurements_total", .counter,
            "Analysis measurements stored, by outcome (successful, failed, inconclusive, error).")
        for (outcome, count) in state.measurements.sorted(by: { $0.key < $1.key }) {
            text.sample("tack_analysis_measurements_total", [("outcome", outcome)], Double(count))
        }

        text.family("tack_build_info", .gauge, "The controller's version; always 1.")
        text.sample("tack_build_info", [("version", version)], 1)

        text.family("tack_driver_errors_total", .counter, "Failed driver calls and status reads, by account.")
        for (account, count) in state.driverErrors.sorted(by: { $0.key < $1.key }) {
            text.sample("tack_driver_errors_total", [("account", account)], Double(count))
        }

        text.family("tack_executions", .gauge, "Stored executions, by phase.")
        for phase in ExecutionPhase.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
            text.sample("tack_executions", [("phase", phase.rawValue)], Double(executionsByPhase[phase] ?? 0))
        }

        text.family("tack_reconcile_duration_seconds", .histogram, "Time taken by reconcile passes.")
        text.histogram("tack_reconcile_duration_seconds", [], state.passes)

        text.family("tack_rollbacks_total", .counter, "Executions that started rolling back, by application.")
        for (app, count) in state.rollbacks.sorted(by: { $0.key < $1.key }) {
            text.sample("tack_rollbacks_total", [("app", app)], Double(count))
        }
        return text.output
    }
}
