import Foundation
import TackCore

/// Drives one rollout step toward its target state: a pure function of the step and what was
/// observed, so repeating it after a crash repeats no call that already took effect.
enum StepDriver {
    /// The progress of `step` (started at `startedAt`) at `now`.
    static func drive(_ step: RolloutStep, _ c: StepContext, startedAt: Date, now: Date) -> StepProgress {
        switch step {
        case .deployInitial(let track):
            return deployInitial(track, c)
        case .startCanary:
            if c.splitsByReplicas { return startCanaryByReplicas(c) }
            var calls: [DriverAction] = []
            if c.status.traffic[.canary] > 0 { calls.append(.setTraffic(app: c.app, .all(to: .stable))) }
            if !c.runsNewImage(.canary) { calls.append(.apply(c.spec(.canary, replicas: 0))) }
            return calls.isEmpty ? .complete : .acting(calls)
        case .setWeight(let weight):
            return c.splitsByReplicas ? setWeightByReplicas(weight, c) : setWeight(weight, c)
        case .pause(let duration?):
            let ends = startedAt.addingTimeInterval(duration.seconds)
            return now >= ends ? .complete : .waiting("paused until \(ends.formatted(.iso8601))")
        case .pause(nil), .awaitPromotion:
            return .needsPromote("waiting for promote")
        case .analysis:
            guard let analysis = c.analysis else { return .waiting("waiting for the analysis to start") }
            switch analysis.outcome {
            case .running: return .waiting("analysis round \(analysis.run.rounds + 1) of \(analysis.spec.policy.count ?? 0)")
            case .successful: return .complete
            case .failed, .error, .inconclusive: return .analysisEnded(analysis.outcome, analysis.cause)
            }
        case .promoteCanary:
            if let gate = monitorGate(c) { return gate }
            return promote(serving: .stable, candidate: .canary, c)
        case .startPreview(let replicas):
            var calls: [DriverAction] = []
            if c.status.traffic[.preview] > 0 { calls.append(.setTraffic(app: c.app, .all(to: .active))) }
            if !c.runsNewImage(.preview) { calls.append(.apply(c.spec(.preview, replicas: replicas))) }
            if !calls.isEmpty { return .acting(calls) }
            return c.status[.preview]!.isRolledOut ? .complete : .waitingForReplicas(c.readiness(.preview))
        case .scalePreview(let replicas):
            guard let preview = c.status[.preview], c.runsNewImage(.preview) else {
                return .acting([.apply(c.spec(.preview, replicas: replicas))])
            }
            if preview.desired != replicas { return .acting([.scale(app: c.app, track: .preview, replicas: replicas)]) }
            return preview.isRolledOut ? .complete : .waitingForReplicas(c.readiness(.preview))
        case .switchTraffic:
            if let gate = monitorGate(c) { return gate }
            guard c.runsNewImage(.preview) else { return .acting([.apply(c.spec(.preview, replicas: c.size))]) }
            return c.status.traffic[.preview] == 100 ? .complete : .acting([.setTraffic(app: c.app, .all(to: .preview))])
        case .scaleDownDelay(let delay):
            let ends = startedAt.addingTimeInterval(delay.seconds)
            return now >= ends ? .complete : .waiting("old color kept until \(ends.formatted(.iso8601))")
        case .finishBlueGreen:
            if c.status[.preview] != nil { return .acting([.replace(app: c.app, track: .active, with: .preview)]) }
            return promote(serving: .active, candidate: .preview, c)
        case .cleanUp(let serving, let candidate):
            return promote(serving: serving, candidate: candidate, c)
        }
    }

    /// The new version as the only track, with all traffic.
    private static func deployInitial(_ track: Track, _ c: StepContext) -> StepProgress {
        guard let observed = c.status[track], c.runsNewImage(track), observed.desired == c.size else {
            return .acting([.apply(c.spec(track, replicas: c.size))])
        }
        guard observed.isRolledOut else { return .waitingForReplicas(c.readiness(track)) }
        if c.followsReplicaRatio(track) { return removing(track == .stable ? .canary : .stable, c) }
        return c.status.traffic[track] == 100 ? .complete : .acting([.setTraffic(app: c.app, .all(to: track))])
    }

    /// The canary scaled to its share of the target size, then its weight; a lower weight is set
    /// before the canary shrinks, so traffic never waits on replicas being removed.
    private static func setWeight(_ weight: Int, _ c: StepContext) -> StepProgress {
        let replicas = c.cluster.canaryReplicas(weight: weight)
        guard let canary = c.status[.canary], c.runsNewImage(.canary) else {
            return .acting([.apply(c.spec(.canary, replicas: replicas))])
        }
        let split = TrafficSplit.canary(weight)
        let trafficSet = c.status.traffic[.canary] == weight && c.status.traffic[.stable] == 100 - weight
        if !trafficSet && weight < c.status.traffic[.canary] { return .acting([.setTraffic(app: c.app, split)]) }
        if canary.desired != replicas { return .acting([.scale(app: c.app, track: .canary, replicas: replicas)]) }
        guard canary.isRolledOut else { return .waitingForReplicas(c.readiness(.canary)) }
        return trafficSet ? .complete : .acting([.setTraffic(app: c.app, split)])
    }

    /// `serving` on the new image with the target size and all traffic, then `candidate` removed;
    /// where traffic follows the replica ratio, removing `candidate` is what gives `serving` all of it.
    static func promote(serving: Track, candidate: Track, _ c: StepContext) -> StepProgress {
        guard let observed = c.status[serving], c.runsNewImage(serving), observed.desired == c.size else {
            return .acting([.apply(c.spec(serving, replicas: c.size))])
        }
        guard observed.isRolledOut else { return .waitingForReplicas(c.readiness(serving)) }
        if c.followsReplicaRatio(serving) { return removing(candidate, c) }
        var calls: [DriverAction] = []
        if c.status.traffic[serving] != 100 { calls.append(.setTraffic(app: c.app, .all(to: serving))) }
        if c.status[candidate] != nil { calls.append(.delete(app: c.app, track: candidate)) }
        return calls.isEmpty ? .complete : .acting(calls)
    }

    /// Holds promotion until the background monitor has measured the new version healthy once,
    /// so a canary that got no traffic is never promoted.
    private static func monitorGate(_ c: StepContext) -> StepProgress? {
        guard c.needsHealthyMonitor else { return nil }
        guard let monitor = c.monitor else { return .waiting("waiting for the monitor's first measurement") }
        switch monitor.outcome {
        case .failed, .error, .inconclusive: return .analysisEnded(monitor.outcome, monitor.cause)
        case .running, .successful:
            return monitor.successfulRounds > 0 ? nil : .waiting("waiting until the monitor measures the new version healthy")
        }
    }
}
