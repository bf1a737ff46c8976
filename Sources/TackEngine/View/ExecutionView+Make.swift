import Foundation
import TackCore
import TackPipeline

extension ExecutionView {
    /// The view of `execution` with the plan it runs and its stored analysis rounds.
    public init(_ execution: Execution, plan: RevisionPlan?, rounds: [AnalysisRecord]) {
        self.init(
            id: execution.id, app: execution.app, revision: execution.revision, phase: execution.phase,
            stage: min(execution.stage + 1, plan?.pipeline.stages.count ?? execution.stage + 1),
            stages: plan?.pipeline.stages.count ?? 0, pauseReason: execution.pauseReason, cause: execution.cause,
            message: execution.message, createdAt: execution.createdAt, updatedAt: execution.updatedAt,
            accounts: execution.accounts.map { AccountView($0, plan: plan, rounds: rounds) })
    }
}

extension AccountView {
    /// The view of one account rollout.
    init(_ rollout: AccountRollout, plan: RevisionPlan?, rounds: [AnalysisRecord]) {
        let cluster = plan?.cluster(of: rollout)
        let judged = cluster?.strategy.judgedTrack ?? .canary
        let observed = rollout.observed
        let weight: Int = switch rollout.phase {
        case .succeeded: 100
        case .rolledBack, .skipped, .pending: 0
        default: observed.map { $0.traffic[judged] } ?? 0
        }
        self.init(
            account: rollout.account, stage: rollout.stage + 1, phase: rollout.phase, strategy: cluster?.strategy.name ?? "?",
            steps: plan?.steps(of: rollout).map(\.summary) ?? [], step: rollout.step, waitingFor: rollout.waitingFor,
            error: rollout.error, image: (rollout.image ?? cluster?.image).map(\.description) ?? "?",
            previousImage: rollout.previousImage?.description, weight: weight, tracks: observed?.tracks ?? [],
            metrics: MetricView.series(rounds.filter { $0.account == rollout.account }, unit: { plan?.unit(of: $0) }))
    }
}

extension MetricView {
    /// One view per condition from an account's rounds: the background monitor's when it has any,
    /// otherwise the analyses'. `unit` names a metric's unit (a plain number when it cannot).
    static func series(_ rounds: [AnalysisRecord], unit: (String) -> MetricUnit? = { _ in nil }) -> [MetricView] {
        let monitor = rounds.filter { $0.analysis.hasPrefix("monitor.") }
        let source = (monitor.isEmpty ? rounds : monitor).sorted { $0.time < $1.time }
        var views: [String: MetricView] = [:]
        var order: [String] = []
        for round in source {
            for measurement in round.measurements {
                if views[measurement.condition] == nil { order.append(measurement.condition) }
                var view = views[measurement.condition]
                    ?? MetricView(
                        condition: measurement.condition, metric: measurement.metric,
                        unit: (unit(measurement.metric) ?? .number).rawValue, limit: nil, points: [], phase: "", reason: "")
                view.points.append(MetricPoint(time: round.time, value: measurement.value, stable: measurement.stableValue))
                view.limit = measurement.limit ?? view.limit
                view.phase = measurement.phase
                view.reason = measurement.reason
                views[measurement.condition] = view
            }
        }
        return order.compactMap { condition in
            views[condition].map { view in
                var view = view
                view.points = Array(view.points.suffix(historyLength))
                return view
            }
        }
    }
}
