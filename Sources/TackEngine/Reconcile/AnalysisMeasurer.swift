import Foundation
import TackCore
import TackPipeline

/// Takes the rounds of the analyses that are due, stores them, and returns every analysis'
/// state rebuilt from its stored rounds.
struct AnalysisMeasurer: Sendable {
    let store: EngineStore
    let connector: any AccountConnector
    let plan: RevisionPlan
    let metrics: EngineMetrics
    let now: @Sendable () -> Date

    func measure(_ specs: [AnalysisSpec], executionID: Int64) async throws -> [String: AnalysisState] {
        guard !specs.isEmpty else { return [:] }
        let rounds = try store.rounds(executionID: executionID)
        var states: [String: AnalysisState] = [:]
        for spec in specs {
            let own = rounds.filter { $0.account == spec.account && $0.analysis == spec.name }
            states[Observation.key(account: spec.account, name: spec.name)] = AnalysisState(spec: spec, replaying: own)
        }
        let time = now()
        let due = states.values.filter { !$0.outcome.isFinal && $0.nextRoundAt <= time }
        let taken = await withTaskGroup(of: AnalysisRecord?.self) { group in
            for state in due {
                group.addTask { await round(of: state, executionID: executionID) }
            }
            var taken: [AnalysisRecord] = []
            for await record in group { if let record { taken.append(record) } }
            return taken
        }
        for record in taken {
            try store.record(record)
            record.measurements.forEach { metrics.countMeasurement(outcome: $0.phase) }
            states[Observation.key(account: record.account, name: record.analysis)]?.record(record)
        }
        return states
    }

    /// One round: every condition measured at the same time; nil when the metrics account is unknown.
    private func round(of state: AnalysisState, executionID: Int64) async -> AnalysisRecord? {
        let spec = state.spec
        let time = now()
        let source: any MetricsSource
        do {
            guard let account = plan.accounts.metricsAccount(named: spec.metricsAccount) else { return nil }
            source = try await connector.metrics(for: account)
        } catch {
            let failed = spec.conditions.map {
                AnalysisMeasurement(condition: $0, phase: .error, reason: "metrics account \(spec.metricsAccount): \(error)",
                                    time: time.timeIntervalSince1970)
            }
            return state.round(executionID: executionID, measurements: failed, at: time)
        }
        let at = time.timeIntervalSince1970
        let measurements = await withTaskGroup(of: (Int, AnalysisMeasurement).self) { group in
            for (index, condition) in spec.conditions.enumerated() {
                group.addTask { (index, await source.measure(condition, of: spec.target, at: at)) }
            }
            var ordered = [AnalysisMeasurement?](repeating: nil, count: spec.conditions.count)
            for await (index, measurement) in group { ordered[index] = measurement }
            return ordered.compactMap { $0 }
        }
        return state.round(executionID: executionID, measurements: measurements, at: time)
    }
}
