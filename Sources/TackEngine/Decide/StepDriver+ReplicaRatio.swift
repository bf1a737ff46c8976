import TackCore

/// Canary steps in an account that splits traffic by the ratio of ready replicas (one Service
/// selects both tracks), as Argo Rollouts' basic canary without traffic routing: a weight is a
/// replica count per track, and no traffic is ever set between stable and canary. Replicas are
/// added before any are removed, and removed only once both tracks are rolled out, so the two
/// tracks together keep at least `targetSize` ready replicas.
extension StepDriver {
    /// Stable at the target size and the canary on the new image with no replicas; a canary that
    /// still serves (a superseded execution's) is emptied only once stable is rolled out.
    static func startCanaryByReplicas(_ c: StepContext) -> StepProgress {
        var calls: [DriverAction] = []
        let stable = c.status[.stable]
        if let stable, stable.desired != c.size { calls.append(.scale(app: c.app, track: .stable, replicas: c.size)) }
        let canary = c.status[.canary]
        if let canary, c.runsNewImage(.canary), canary.desired == 0 { return calls.isEmpty ? .complete : .acting(calls) }
        // A canary that serves is emptied only once stable serves at its size on its own.
        if let canary, canary.ready > 0, let stable, !calls.isEmpty || !stable.isRolledOut {
            return calls.isEmpty ? .waitingForReplicas(c.readiness(.stable)) : .acting(calls)
        }
        calls.append(canary != nil && c.runsNewImage(.canary)
            ? .scale(app: c.app, track: .canary, replicas: 0) : .apply(c.spec(.canary, replicas: 0)))
        return .acting(calls)
    }

    /// The canary at `canaryReplicas(weight:)` and stable at the rest of the target size: a track
    /// that grows is scaled first; one that shrinks waits until both are rolled out. Complete when
    /// both have their counts and are rolled out.
    static func setWeightByReplicas(_ weight: Int, _ c: StepContext) -> StepProgress {
        let canaryReplicas = c.cluster.canaryReplicas(weight: weight)
        guard let canary = c.status[.canary], c.runsNewImage(.canary) else {
            return .acting([.apply(c.spec(.canary, replicas: canaryReplicas))])
        }
        // Without a stable track (removed by hand) there is only the canary to size.
        let stableReplicas = c.size - canaryReplicas
        let stable = c.status[.stable]
        var grow: [DriverAction] = []
        if canary.desired < canaryReplicas { grow.append(.scale(app: c.app, track: .canary, replicas: canaryReplicas)) }
        if let stable, stable.desired < stableReplicas { grow.append(.scale(app: c.app, track: .stable, replicas: stableReplicas)) }
        if !grow.isEmpty { return .acting(grow) }
        guard canary.isRolledOut else { return .waitingForReplicas(c.readiness(.canary)) }
        if let stable, !stable.isRolledOut { return .waitingForReplicas(c.readiness(.stable)) }
        var shrink: [DriverAction] = []
        if canary.desired > canaryReplicas { shrink.append(.scale(app: c.app, track: .canary, replicas: canaryReplicas)) }
        if let stable, stable.desired > stableReplicas { shrink.append(.scale(app: c.app, track: .stable, replicas: stableReplicas)) }
        return shrink.isEmpty ? .complete : .acting(shrink)
    }

    /// All traffic to the serving track, which is rolled out, by removing `candidate`.
    static func removing(_ candidate: Track, _ c: StepContext) -> StepProgress {
        c.status[candidate] == nil ? .complete : .acting([.delete(app: c.app, track: candidate)])
    }
}
