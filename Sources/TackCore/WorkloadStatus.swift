/// What an account reports about one application: each track's replicas and the traffic split.
public struct WorkloadStatus: Sendable, Hashable, Codable {
    /// The application name.
    public var app: String
    /// The tracks that exist, in `Track` order.
    public var tracks: [TrackStatus]
    /// The traffic split in effect.
    public var traffic: TrafficSplit

    /// A status.
    public init(app: String, tracks: [TrackStatus], traffic: TrafficSplit) {
        self.app = app
        self.tracks = tracks
        self.traffic = traffic
    }

    /// The status of `track`, or nil when it does not exist.
    public subscript(track: Track) -> TrackStatus? { tracks.first { $0.track == track } }
}

/// The replicas of one track, counted as `kubectl rollout status` counts them.
public struct TrackStatus: Sendable, Hashable, Codable {
    /// The track.
    public var track: Track
    /// The image the track should run, pinned by digest.
    public var image: ImageRef
    /// Replicas asked for.
    public var desired: Int
    /// Replicas running the wanted image (and settings).
    public var updated: Int
    /// Replicas passing their readiness check.
    public var ready: Int
    /// Updated replicas that are ready: they may take traffic.
    public var available: Int
    /// Restarts of the track's replicas since they were created.
    public var restarts: Int
    /// Why the track is not progressing, when it is stuck (e.g. an image that does not start).
    public var message: String?
    /// Set when the cluster itself gave the rollout up (Kubernetes' ProgressDeadlineExceeded):
    /// the track will not become ready without a new spec.
    public var failure: String?

    /// A track status.
    public init(
        track: Track, image: ImageRef, desired: Int, updated: Int, ready: Int, available: Int, restarts: Int = 0,
        message: String? = nil, failure: String? = nil
    ) {
        self.track = track
        self.image = image
        self.desired = desired
        self.updated = updated
        self.ready = ready
        self.available = available
        self.restarts = restarts
        self.message = message
        self.failure = failure
    }

    /// Whether every desired replica runs the wanted image and is available.
    public var isRolledOut: Bool { updated == desired && available == desired }
}
