import TackCore

/// Returns one account to the version it ran before: the serving track back on the previous
/// image with the target size, all traffic to it, then the new version's track removed. Traffic is
/// always restored before anything is removed; where a canary's traffic follows the replica ratio,
/// the serving track is rolled out at the target size before the canary is removed, which is what
/// gives it all traffic.
enum RollbackDriver {
    /// The progress of rolling back `rollout`, whose serving track is `serving` and new track
    /// `candidate`, in an account that splits a canary's traffic by replicas or not.
    static func drive(_ rollout: AccountRollout, app: String, size: Int, serving: Track, candidate: Track,
                      splitsByReplicas: Bool, status: WorkloadStatus) -> StepProgress {
        guard let previous = rollout.previousImage else { return .complete }
        guard let observed = status[serving], ImageRef.sameImage(observed.image, previous) else {
            return .acting([.apply(TrackSpec(app: app, track: serving, image: previous, replicas: size))])
        }
        if observed.desired < size { return .acting([.scale(app: app, track: serving, replicas: size)]) }
        guard observed.isRolledOut else {
            return .waitingForReplicas("\(serving.rawValue) \(observed.available)/\(observed.desired) ready")
        }
        if splitsByReplicas && serving.isCanaryTrack {
            return status[candidate] == nil ? .complete : .acting([.delete(app: app, track: candidate)])
        }
        var calls: [DriverAction] = []
        if status.traffic[serving] != 100 { calls.append(.setTraffic(app: app, .all(to: serving))) }
        if status[candidate] != nil { calls.append(.delete(app: app, track: candidate)) }
        return calls.isEmpty ? .complete : .acting(calls)
    }
}
