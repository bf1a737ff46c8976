import Foundation
import TackCore
import TackPipeline

/// An analysis the engine runs in one account: what it measures, how often, since when.
public struct AnalysisSpec: Sendable, Hashable {
    /// The account measured.
    public var account: String
    /// `monitor.<epoch>` or `step.<index>.<epoch>`; the key its rounds are stored under.
    public var name: String
    /// The conditions checked each round.
    public var conditions: [Condition]
    /// The tracks compared and the window.
    public var target: AnalysisTarget
    /// Interval, count and limits.
    public var policy: AnalysisPolicy
    /// The metrics account queried.
    public var metricsAccount: String
    /// When it started.
    public var startedAt: Date
    /// Until when rounds without data, before the first data, do not count.
    public var warmUpEnds: Date

    /// The name of the background monitor's analysis in `epoch`.
    public static func monitorName(epoch: Int) -> String { "monitor.\(epoch)" }
    /// The name of step `index`'s analysis in `epoch`.
    public static func stepName(_ index: Int, epoch: Int) -> String { "step.\(index).\(epoch)" }
}

extension RevisionPlan {
    /// The analyses that should be measuring now in `execution`, by account.
    public func analyses(of execution: Execution, options: EngineOptions) -> [AnalysisSpec] {
        guard let monitor = pipeline.monitor, !execution.phase.isTerminal, execution.phase != .rollingBack else { return [] }
        var specs: [AnalysisSpec] = []
        for rollout in execution.accounts where rollout.mode == .progressive && !rollout.phase.isDone {
            guard let cluster = cluster(of: rollout), let image = rollout.image else { continue }
            let target = target(of: rollout, cluster: cluster, image: image, monitor: monitor)
            if isWatched(rollout.account), !conditions.isEmpty, let started = rollout.monitorStartedAt {
                let policy = AnalysisPolicy(interval: monitor.interval, failureLimit: monitor.failureLimit,
                                            inconclusiveLimit: monitor.inconclusiveLimit, consecutiveErrorLimit: monitor.consecutiveErrorLimit)
                specs.append(spec(rollout, AnalysisSpec.monitorName(epoch: rollout.analysisEpoch), conditions, target, policy,
                                  monitor.metricsAccount, started, options))
            }
            let steps = steps(of: rollout)
            if rollout.step < steps.count, case .analysis(let step) = steps[rollout.step], let started = rollout.stepStartedAt {
                let policy = AnalysisPolicy(interval: step.interval ?? monitor.interval, count: step.count,
                                            failureLimit: monitor.failureLimit, inconclusiveLimit: monitor.inconclusiveLimit,
                                            consecutiveErrorLimit: monitor.consecutiveErrorLimit)
                specs.append(spec(rollout, AnalysisSpec.stepName(rollout.step, epoch: rollout.analysisEpoch),
                                  step.conditions.isEmpty ? conditions : step.conditions, target, policy,
                                  monitor.metricsAccount, started, options))
            }
        }
        return specs
    }

    private func target(of rollout: AccountRollout, cluster: ClusterDeployment, image: ImageRef, monitor: MonitorStage) -> AnalysisTarget {
        let judged = cluster.strategy.judgedTrack
        let baseline: Track = judged == .canary ? .stable : .active
        return AnalysisTarget(
            track: TrackSelector(app: app, account: rollout.account, track: judged, version: image.version),
            stable: rollout.previousImage.map { TrackSelector(app: app, account: rollout.account, track: baseline, version: $0.version) },
            window: monitor.window, metrics: monitor.metrics, minRequests: monitor.minRequests)
    }

    private func spec(_ rollout: AccountRollout, _ name: String, _ conditions: [Condition], _ target: AnalysisTarget,
                      _ policy: AnalysisPolicy, _ metricsAccount: String, _ started: Date, _ options: EngineOptions) -> AnalysisSpec {
        let warmUp = max(options.warmUp, policy.interval * 3)
        return AnalysisSpec(account: rollout.account, name: name, conditions: conditions, target: target, policy: policy,
                            metricsAccount: metricsAccount, startedAt: started,
                            warmUpEnds: started.addingTimeInterval(warmUp.seconds))
    }
}
