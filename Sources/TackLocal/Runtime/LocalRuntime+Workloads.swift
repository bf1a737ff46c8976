import Foundation
import TackCore

extension LocalRuntime {
    /// The image pinned to the digest of its content in the local image store.
    public func resolve(_ image: ImageRef) throws -> ImageRef {
        try images.resolve(image).reference
    }

    /// Makes a track of an application in an account run `spec` (see `ClusterDriver.apply`). A new
    /// image, environment or limits start a surge rollout of the track; a new replica count scales it.
    public func apply(account: String, _ spec: TrackSpec) async throws {
        var pinned = spec
        pinned.image = try resolve(spec.image)
        try await store.withLockedState { state in
            state.isUp = true
            let w = try workloadIndex(account: account, app: spec.app, creating: true, in: &state)
            if var track = state.workloads[w][spec.track] {
                var compared = track.spec
                compared.replicas = pinned.replicas
                if compared != pinned { track.generation += 1 }
                track.spec = pinned
                track.isDeleted = false
                state.workloads[w][spec.track] = track
            } else {
                state.workloads[w][spec.track] = TrackRecord(spec: pinned, generation: 1, replicas: [])
            }
            if state.workloads[w].traffic.weights.isEmpty && state.workloads[w].tracks.count == 1 {
                state.workloads[w].traffic = .all(to: spec.track)
            }
            try await pass(&state)
        }
    }

    /// Sets the replica count of a track that exists.
    public func scale(account: String, app: String, track: Track, replicas: Int) async throws {
        try await store.withLockedState { state in
            let w = try workloadIndex(account: account, app: app, creating: false, in: &state)
            guard var record = state.workloads[w][track], !record.isDeleted else {
                throw LocalRuntimeError.notFound(what: "track \(track.rawValue) of \(app) in account \(account)")
            }
            record.spec.replicas = max(replicas, 0)
            state.workloads[w][track] = record
            try await pass(&state)
        }
    }

    /// Removes a track (its traffic first, then its replicas); an absent track is fine.
    public func delete(account: String, app: String, track: Track) async throws {
        try await store.withLockedState { state in
            guard let w = state.workloadIndex(account: account, app: app), var record = state.workloads[w][track] else {
                return
            }
            record.spec.replicas = 0
            record.isDeleted = true
            state.workloads[w][track] = record
            var weights = state.workloads[w].traffic.weights
            weights[track] = nil
            state.workloads[w].traffic = TrafficSplit(weights)
            try await pass(&state)
        }
    }

    /// Makes the replicas of `source` serve as `track` (see `ClusterDriver.replace`): they keep
    /// running, `track`'s former replicas stop after the routes change, and `source` is gone.
    public func replace(account: String, app: String, _ track: Track, with source: Track) async throws {
        try await store.withLockedState { state in
            guard let w = state.workloadIndex(account: account, app: app),
                planner.replace(track, with: source, in: &state.workloads[w], now: Date())
            else { return }
            try await pass(&state)
        }
    }

    /// Routes an application's traffic in an account by `split`.
    public func setTraffic(account: String, app: String, _ split: TrafficSplit) async throws {
        try await store.withLockedState { state in
            let w = try workloadIndex(account: account, app: app, creating: false, in: &state)
            state.workloads[w].traffic = split
            try await publish(state)
        }
    }

    /// What runs for an application in an account (an empty status when nothing does).
    public func status(account: String, app: String) throws -> WorkloadStatus {
        let state = try store.load()
        guard let w = state.workloadIndex(account: account, app: app) else {
            return WorkloadStatus(app: app, tracks: [], traffic: TrafficSplit([:]))
        }
        return Self.status(of: state.workloads[w])
    }

    /// The status of a recorded application, as `status(account:app:)` reports it.
    public static func status(of workload: WorkloadRecord) -> WorkloadStatus {
        WorkloadStatus(
            app: workload.app, tracks: workload.tracks.filter { !$0.isDeleted }.map(status(of:)), traffic: workload.traffic)
    }

    static func status(of track: TrackRecord) -> TrackStatus {
        let live = track.replicas.filter { !$0.isTerminating }
        let updated = live.filter { $0.generation == track.generation }
        let crashing = live.filter { $0.process == nil && $0.restarts > 0 }
        let message = crashing.first.map { replica in
            "replica \(replica.name) \(replica.lastTermination ?? "ended") and restarted \(replica.restarts) times (back-off)"
        }
        return TrackStatus(
            track: track.spec.track, image: track.spec.image, desired: track.spec.replicas, updated: updated.count,
            ready: live.filter(\.isReady).count, available: updated.filter(\.isReady).count,
            restarts: track.replicas.reduce(0) { $0 + $1.restarts }, message: message)
    }

    func workloadIndex(account: String, app: String, creating: Bool, in state: inout RuntimeState) throws -> Int {
        if let w = state.workloadIndex(account: account, app: app) { return w }
        guard creating else { throw LocalRuntimeError.notFound(what: "application \(app) in account \(account)") }
        var taken = state.usedPorts
        state.workloads.append(
            WorkloadRecord(
                account: account, app: app, listenPort: Self.freePort(avoiding: &taken),
                previewPort: Self.freePort(avoiding: &taken), traffic: TrafficSplit([:]), tracks: []))
        return state.workloads.count - 1
    }
}
