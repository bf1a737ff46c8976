import Foundation
import TackCore

/// What the runtime saw of one replica at the start of a pass.
public enum ReplicaObservation: Sendable, Hashable {
    /// It runs; `isReady` is the result of its readiness check.
    case running(isReady: Bool)
    /// It ended; `termination` says how, such as `exit status 1`.
    case ended(termination: String)
}

/// A side effect the runtime performs for a replica after a pass is planned.
public enum ReplicaEffect: Sendable, Hashable {
    /// Start the replica's process (new, or after its restart backoff).
    case start(name: String)
    /// Ask the replica to stop (SIGTERM); it gets no traffic already.
    case stop(name: String)
    /// Kill the replica (SIGKILL): it did not stop within its grace period.
    case kill(name: String)
}

/// The decisions for one track, without I/O: from the recorded replicas, what was observed and the
/// time, the new records and the effects to perform. Rolling updates surge: new replicas start
/// first, and outdated ones are stopped once as many updated replicas are ready as are desired.
public struct ReplicaPlanner: Sendable {
    /// The restart backoff for crashed replicas.
    public var backoff: RestartBackoff
    /// How long a stopping replica gets before it is killed.
    public var terminationGrace: Duration

    /// A planner.
    public init(backoff: RestartBackoff = RestartBackoff(), terminationGrace: Duration = .seconds(10)) {
        self.backoff = backoff
        self.terminationGrace = terminationGrace
    }

    /// Plans one pass for `track`: applies the observations, creates replicas with `makeReplica`
    /// (given the generation) where some are missing, marks surplus and outdated ones terminating,
    /// drops terminated ones and returns the effects in order.
    public func plan(
        _ track: inout TrackRecord, observed: [String: ReplicaObservation], now: Date,
        makeReplica: (Int) -> ReplicaRecord
    ) -> [ReplicaEffect] {
        observe(&track, observed, now: now)
        scale(&track, now: now, makeReplica: makeReplica)
        var effects: [ReplicaEffect] = []
        for index in track.replicas.indices {
            let replica = track.replicas[index]
            if replica.isTerminating {
                guard replica.process != nil else { continue }
                if !replica.isStopRequested {
                    track.replicas[index].isStopRequested = true
                    effects.append(.stop(name: replica.name))
                } else if let killAfter = replica.killAfter, killAfter <= now {
                    effects.append(.kill(name: replica.name))
                }
            } else if replica.process == nil, replica.backoffUntil.map({ $0 <= now }) ?? true {
                effects.append(.start(name: replica.name))
            }
        }
        track.replicas.removeAll { $0.isTerminating && $0.process == nil }
        return effects
    }

    private func observe(_ track: inout TrackRecord, _ observed: [String: ReplicaObservation], now: Date) {
        for index in track.replicas.indices {
            let name = track.replicas[index].name
            switch observed[name] {
            case .running(let isReady):
                track.replicas[index].isReady = isReady && !track.replicas[index].isTerminating
            case .ended(let termination):
                var replica = track.replicas[index]
                replica.isReady = false
                replica.lastTermination = termination
                if !replica.isTerminating && replica.process != nil {
                    let ranFor = replica.startedAt.map { now.timeIntervalSince($0) } ?? 0
                    let consecutive = ranFor >= backoff.resetAfter.timeInterval ? 1 : replica.restarts + 1
                    replica.restarts += 1
                    replica.backoffUntil = now.addingTimeInterval(backoff.delay(afterConsecutiveCrashes: consecutive).timeInterval)
                }
                replica.process = nil
                replica.startedAt = nil
                track.replicas[index] = replica
            case nil:
                break
            }
        }
    }

    private func scale(_ track: inout TrackRecord, now: Date, makeReplica: (Int) -> ReplicaRecord) {
        let desired = max(track.spec.replicas, 0)
        let updated = track.replicas.indices.filter {
            track.replicas[$0].generation == track.generation && !track.replicas[$0].isTerminating
        }
        if updated.count < desired {
            for _ in updated.count..<desired { track.replicas.append(makeReplica(track.generation)) }
        } else if updated.count > desired {
            // Remove the not-ready ones first, then the newest.
            let surplus = updated.sorted { a, b in
                let (ra, rb) = (track.replicas[a], track.replicas[b])
                return ra.isReady != rb.isReady ? !ra.isReady : a > b
            }.prefix(updated.count - desired)
            for index in surplus { terminate(&track.replicas[index], now: now) }
        }
        let updatedReady = track.replicas.filter { $0.generation == track.generation && !$0.isTerminating && $0.isReady }.count
        if updatedReady >= desired {
            for index in track.replicas.indices where track.replicas[index].generation != track.generation {
                terminate(&track.replicas[index], now: now)
            }
        }
    }

    /// Marks a replica terminating: it loses its traffic now and is stopped by the next plan.
    func terminate(_ replica: inout ReplicaRecord, now: Date) {
        guard !replica.isTerminating else { return }
        replica.isTerminating = true
        replica.isReady = false
        replica.killAfter = now.addingTimeInterval(terminationGrace.timeInterval)
    }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`.
    var timeInterval: TimeInterval { seconds }
}
