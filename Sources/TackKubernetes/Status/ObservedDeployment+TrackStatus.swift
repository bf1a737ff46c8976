import TackCore

extension ObservedDeployment {
    /// The track's status with `restarts` counted from its pods; `message` is kubectl's message when
    /// not done, and `failure` repeats it when the progress deadline was exceeded.
    ///
    /// `isRolledOut` (updated == desired && available == desired) holds exactly when kubectl says
    /// the rollout is done, so the counters are adjusted where the raw ones would disagree:
    /// - done: `updated` and `available` are reported as `desired` (kubectl also says done while
    ///   surplus replicas of a scale-down are still counted);
    /// - spec update not observed yet: `updated` is 0, since the counters describe the older spec;
    /// - otherwise not done although the raw counters look complete (old replicas pending
    ///   termination, or a stale deadline condition): `updated` is `min(updatedReplicas, desired - 1)`.
    /// Limitation: with `desired` 0, not done and no available replica, 0/0/0 cannot say "not done",
    /// so such a Deployment (e.g. scaled to 0 with old replicas still terminating) reads as rolled out.
    func trackStatus(restarts: Int) -> TrackStatus {
        let desired = rollout.desired
        var updated = rollout.updatedReplicas
        var available = rollout.availableReplicas
        if rollout.isDone {
            updated = desired
            available = desired
        } else {
            if !rollout.isObserved { updated = 0 }
            if updated == desired && available == desired && desired > 0 { updated = min(updated, desired - 1) }
        }
        let failure: String? = if case .failed(let message) = rollout.phase { message } else { nil }
        return TrackStatus(
            track: track, image: image, desired: desired, updated: updated, ready: rollout.readyReplicas,
            available: available, restarts: restarts, message: rollout.message, failure: failure)
    }
}
