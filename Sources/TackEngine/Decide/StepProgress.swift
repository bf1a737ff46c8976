import TackCore
import TackPipeline

/// Where one step of one account stands after looking at the observed workload.
enum StepProgress: Sendable, Hashable {
    /// The observed state is the step's target: go to the next step.
    case complete
    /// Make these calls, then look again.
    case acting([DriverAction])
    /// Nothing to call; wait for time to pass (a pause, an analysis round).
    case waiting(String)
    /// Wait for replicas to become ready; bounded by the progress deadline.
    case waitingForReplicas(String)
    /// Wait for a person's `promote`.
    case needsPromote(String)
    /// The step's analysis ended without passing.
    case analysisEnded(AnalysisOutcome, RollbackCause?)
}

/// What a step needs to know about its account.
struct StepContext: Sendable {
    /// The application.
    let app: String
    /// The account's rollout.
    let rollout: AccountRollout
    /// The new version, pinned.
    let image: ImageRef
    /// The account's cluster in the pipeline.
    let cluster: ClusterDeployment
    /// Replicas serving once rolled out.
    var size: Int { cluster.targetSize }
    /// The account's workload now.
    let status: WorkloadStatus
    /// The current step's analysis, for analysis steps.
    let analysis: AnalysisState?
    /// The background monitor, when the account is watched.
    let monitor: AnalysisState?
    /// Whether promotion waits for the monitor to have measured the new version healthy.
    let needsHealthyMonitor: Bool
    /// Whether the account splits a canary's traffic by the ratio of ready replicas: a weight is
    /// then a replica count per track, and traffic between stable and canary is never set.
    let splitsByReplicas: Bool

    /// A spec for `track` with the new image.
    func spec(_ track: Track, replicas: Int) -> TrackSpec {
        TrackSpec(app: app, track: track, image: image, replicas: replicas)
    }

    /// Whether `track`'s share of traffic is its share of ready replicas: stable and canary in
    /// an account that splits by replicas (blue-green still switches traffic there).
    func followsReplicaRatio(_ track: Track) -> Bool {
        splitsByReplicas && track.isCanaryTrack
    }

    /// Whether `track` exists and runs the new image.
    func runsNewImage(_ track: Track) -> Bool {
        status[track].map { ImageRef.sameImage($0.image, image) } ?? false
    }

    /// `canary 1/2 ready`.
    func readiness(_ track: Track) -> String {
        let observed = status[track]
        return "\(track.rawValue) \(observed?.available ?? 0)/\(observed?.desired ?? 0) ready"
            + (observed?.message.map { ": \($0)" } ?? "")
    }
}

extension Track {
    /// Whether the track is one of a canary rollout's two (stable, canary).
    var isCanaryTrack: Bool { self == .stable || self == .canary }
}

