import Foundation
import TackCore

/// One replica the runtime started or will start, as the state file records it.
public struct ReplicaRecord: Sendable, Hashable, Codable {
    /// A name unique in the runtime, such as `tack-aws-eu-central-1-lora-demo-canary-7`; also the
    /// container id and the `replica` label of its metrics.
    public var name: String
    /// The image it runs, pinned by digest.
    public var image: ImageRef
    /// The track settings generation it was created for; an older one means it is outdated.
    public var generation: Int
    /// The port it listens on (host network, 127.0.0.1).
    public var port: Int
    /// The process while it runs: the container's init or the plain process.
    public var process: ProcessHandle?
    /// Whether its last readiness check passed.
    public var isReady: Bool
    /// Times it was restarted after it ended.
    public var restarts: Int
    /// How it ended last, such as `exit status 1`, or nil.
    public var lastTermination: String?
    /// When it may be started again after a crash (restart backoff), or nil.
    public var backoffUntil: Date?
    /// When its current process started, or nil.
    public var startedAt: Date?
    /// Whether it is being removed (outdated or scaled away): it gets no traffic.
    public var isTerminating: Bool
    /// Whether a terminating replica was asked to stop (SIGTERM sent).
    public var isStopRequested: Bool
    /// When a terminating replica that still runs is killed (SIGKILL), or nil.
    public var killAfter: Date?

    /// A replica that has not been started yet.
    public init(name: String, image: ImageRef, generation: Int, port: Int) {
        self.name = name
        self.image = image
        self.generation = generation
        self.port = port
        self.process = nil
        self.isReady = false
        self.restarts = 0
        self.lastTermination = nil
        self.backoffUntil = nil
        self.startedAt = nil
        self.isTerminating = false
        self.isStopRequested = false
        self.killAfter = nil
    }
}

/// One track of an application in an account: what it should run and its replicas.
public struct TrackRecord: Sendable, Hashable, Codable {
    /// What the track should run (image pinned by digest).
    public var spec: TrackSpec
    /// Bumped whenever the image, environment or resources change; replicas of an older
    /// generation are replaced.
    public var generation: Int
    /// The replicas, oldest first.
    public var replicas: [ReplicaRecord]
    /// Whether the track was deleted: it goes once its replicas are gone.
    public var isDeleted: Bool = false
}

/// One application in one account: its listener, traffic split and tracks.
public struct WorkloadRecord: Sendable, Hashable, Codable {
    /// The account.
    public var account: String
    /// The application.
    public var app: String
    /// The port of the application's listener on 127.0.0.1 (the nginx router).
    public var listenPort: Int
    /// The port of the application's preview listener on 127.0.0.1, which routes to track
    /// `preview` alone; nil in a state file from before preview listeners, until the next pass.
    public var previewPort: Int?
    /// The traffic split the driver last set.
    public var traffic: TrafficSplit
    /// The tracks that exist.
    public var tracks: [TrackRecord]

    /// The record of `track`, when it exists.
    public subscript(track: Track) -> TrackRecord? {
        get { tracks.first { $0.spec.track == track } }
        set {
            if let index = tracks.firstIndex(where: { $0.spec.track == track }) {
                if let newValue { tracks[index] = newValue } else { tracks.remove(at: index) }
            } else if let newValue {
                tracks.append(newValue)
                tracks.sort { Track.allCases.firstIndex(of: $0.spec.track)! < Track.allCases.firstIndex(of: $1.spec.track)! }
            }
        }
    }
}
