import Foundation
import TackCore
import TackEngine

/// How the replicas a call starts become ready in `SimulatedAccounts`.
enum Readiness: Sendable, Hashable {
    /// Ready as soon as the call returns.
    case instant
    /// Ready after this many passes.
    case afterPasses(Int)
    /// Never ready (a crash-looping image); the track reports the message.
    case never(String)
    /// Never ready, and the cluster says it gave up (Kubernetes' ProgressDeadlineExceeded).
    case fails(String)
}

/// In-memory accounts that apply `DriverAction`s to workloads the way a `ClusterDriver` does, and
/// note every call and every broken rule (traffic to a track without ready replicas, a track
/// deleted while it still has traffic). An account in `splitsByReplicas` behaves like Kubernetes
/// with `traffic: replicas`: stable and canary share the traffic by their ready replicas, and
/// setting traffic between them changes nothing.
struct SimulatedAccounts {
    /// One call made, with the pass and time it was made in.
    struct Call: Sendable, Hashable, CustomStringConvertible {
        var pass: Int
        var time: Date
        var account: String
        var action: DriverAction

        var description: String { "#\(pass) \(account): \(action)" }
    }

    /// The replicas of one track.
    private struct Replicas {
        var image: ImageRef
        var desired: Int
        /// Replicas on `image` that are ready.
        var available: Int
        /// Replicas of the image before the last apply, still serving during a rolling update.
        var previousReady: Int
        /// Passes until the replicas asked for are ready; nil when nothing is pending.
        var passesLeft: Int?
        var message: String?
        var failure: String?
    }

    private struct Workload {
        var tracks: [Track: Replicas] = [:]
        var traffic = TrafficSplit([:])
    }

    let app: String
    /// Accounts whose driver fails every call and status read, with the message.
    var unreachable: [String: String] = [:]
    /// Accounts that split a canary's traffic by the ratio of ready replicas (one Service selects
    /// both tracks): stable's and canary's shares are computed, and a `setTraffic` that names
    /// either changes nothing and is noted as a broken rule. Blue-green traffic is still set.
    var splitsByReplicas: Set<String> = []
    /// The fewest ready replicas stable and canary together must have in an account after every call.
    var minimumReady: [String: Int] = [:]
    /// How the replicas of an image become ready in an account.
    var readiness: (_ account: String, _ image: ImageRef) -> Readiness = { _, _ in .instant }
    /// Every call that reached an account, in order.
    private(set) var calls: [Call] = []
    /// Broken rules, for people; a correct decider leaves this empty.
    private(set) var violations: [String] = []
    private var workloads: [String: Workload] = [:]

    init(app: String) {
        self.app = app
    }

    /// Starts `account` with `track` running `image` on `replicas` ready replicas, and all traffic on it.
    mutating func seed(_ account: String, _ track: Track, _ image: ImageRef, replicas: Int, traffic: Int = 100) {
        workloads[account, default: Workload()].tracks[track] = Replicas(
            image: image, desired: replicas, available: replicas, previousReady: 0, passesLeft: nil, message: nil)
        var weights = workloads[account]!.traffic.weights
        weights[track] = traffic
        workloads[account]!.traffic = TrafficSplit(weights)
    }

    /// What the account's driver reports.
    func observe(_ account: String) -> AccountObservation {
        if let message = unreachable[account] { return .unreachable(message) }
        return .status(status(account))
    }

    /// The account's workload now.
    func status(_ account: String) -> WorkloadStatus {
        let workload = workloads[account] ?? Workload()
        let tracks = Track.allCases.compactMap { track in
            workload.tracks[track].map {
                TrackStatus(track: track, image: $0.image, desired: $0.desired, updated: $0.desired,
                            ready: $0.available + $0.previousReady, available: $0.available, message: $0.message,
                            failure: $0.failure)
            }
        }
        return WorkloadStatus(app: app, tracks: tracks, traffic: traffic(workload, in: account))
    }

    /// The traffic in effect: as set, or for stable and canary in an account that splits by
    /// replicas, each one's rounded share of their ready replicas (none ready, no share).
    private func traffic(_ workload: Workload, in account: String) -> TrafficSplit {
        guard splitsByReplicas.contains(account) else { return workload.traffic }
        var weights = workload.traffic.weights.filter { !Self.canaryTracks.contains($0.key) }
        let ready = Self.canaryTracks.map { track in workload.tracks[track].map { $0.available + $0.previousReady } ?? 0 }
        let total = ready.reduce(0, +)
        for (track, count) in zip(Self.canaryTracks, ready) where total > 0 {
            weights[track] = Int((Double(count * 100) / Double(total)).rounded())
        }
        return TrafficSplit(weights)
    }

    private static let canaryTracks: [Track] = [.stable, .canary]

    /// The ready replicas of stable and canary together.
    private static func canaryReady(_ workload: Workload) -> Int {
        canaryTracks.compactMap { workload.tracks[$0] }.reduce(0) { $0 + $1.available + $1.previousReady }
    }

    /// Makes the calls in order; an unreachable account fails the first and so makes none.
    mutating func perform(_ calls: AccountActions, pass: Int, time: Date) {
        guard unreachable[calls.account] == nil else { return }
        for action in calls.actions {
            self.calls.append(Call(pass: pass, time: time, account: calls.account, action: action))
            perform(action, in: calls.account)
        }
    }

    /// One pass of time: pending replicas come a pass closer to ready.
    mutating func tick() {
        for account in workloads.keys {
            for track in Track.allCases {
                guard var replicas = workloads[account]?.tracks[track], let left = replicas.passesLeft else { continue }
                if left <= 1 {
                    replicas.available = replicas.desired
                    replicas.previousReady = 0
                    replicas.passesLeft = nil
                } else {
                    replicas.passesLeft = left - 1
                }
                workloads[account]?.tracks[track] = replicas
            }
        }
    }

    private mutating func perform(_ action: DriverAction, in account: String) {
        var workload = workloads[account] ?? Workload()
        let byReplicas = splitsByReplicas.contains(account)
        let readyBefore = Self.canaryReady(workload)
        defer {
            workloads[account] = workload
            let ready = Self.canaryReady(workload)
            if let minimum = minimumReady[account], ready < minimum {
                violations.append("\(account): after \(action), stable and canary have \(ready) ready replicas, fewer than \(minimum)")
            } else if byReplicas && readyBefore > 0 && ready == 0 {
                violations.append("\(account): after \(action), neither stable nor canary has a ready replica to serve")
            }
        }
        switch action {
        case .apply(let spec):
            if var replicas = workload.tracks[spec.track] {
                if replicas.image != spec.image {
                    replicas.previousReady = replicas.available + replicas.previousReady
                    replicas.available = 0
                    replicas.image = spec.image
                }
                replicas.desired = spec.replicas
                workload.tracks[spec.track] = rollOut(replicas, account)
            } else {
                let replicas = Replicas(image: spec.image, desired: spec.replicas, available: 0, previousReady: 0)
                workload.tracks[spec.track] = rollOut(replicas, account)
            }
        case .scale(_, let track, let count):
            guard var replicas = workload.tracks[track] else {
                violations.append("\(account): scaled \(track.rawValue), which does not exist")
                return
            }
            replicas.desired = count
            replicas.available = min(replicas.available, count)
            replicas.previousReady = min(replicas.previousReady, count)
            workload.tracks[track] = rollOut(replicas, account)
        case .delete(_, let track):
            // By replicas, a track's share leaves with its replicas; what stays is checked above.
            let share = traffic(workload, in: account)[track]
            if share > 0 && !(byReplicas && Self.canaryTracks.contains(track)) {
                violations.append("\(account): deleted \(track.rawValue) while it had \(share)% of traffic")
            }
            workload.tracks[track] = nil
            var weights = workload.traffic.weights
            weights[track] = nil
            workload.traffic = TrafficSplit(weights)
        case .setTraffic(_, let split):
            for track in Track.allCases where split[track] > 0 {
                let ready = workload.tracks[track].map { $0.available + $0.previousReady } ?? 0
                if ready == 0 {
                    violations.append("\(account): sent \(split[track])% of traffic to \(track.rawValue), which has no ready replica")
                }
            }
            if byReplicas && Self.canaryTracks.contains(where: { split[$0] > 0 }) {
                violations.append("\(account): set traffic \(split), which changes nothing where traffic follows the replica ratio")
                return
            }
            workload.traffic = split
        case .replace(_, let track, let source):
            guard track != source, let moved = workload.tracks[source] else { return }
            if workload.traffic[track] > 0 {
                violations.append("\(account): replaced \(track.rawValue) while it had \(workload.traffic[track])% of traffic")
            }
            var weights = workload.traffic.weights
            weights[track] = weights[source]
            weights[source] = nil
            workload.traffic = TrafficSplit(weights)
            workload.tracks[source] = nil
            workload.tracks[track] = moved
        }
    }

    /// The replicas with their readiness started afresh, unless they already are what is asked.
    private func rollOut(_ replicas: Replicas, _ account: String) -> Replicas {
        var replicas = replicas
        guard replicas.available < replicas.desired else {
            // Rolled out: the replicas of an earlier image are gone (an apply with 0 replicas).
            replicas.previousReady = 0
            replicas.passesLeft = nil
            replicas.message = nil
            return replicas
        }
        switch readiness(account, replicas.image) {
        case .instant:
            replicas.available = replicas.desired
            replicas.previousReady = 0
            replicas.passesLeft = nil
        case .afterPasses(let passes):
            replicas.passesLeft = passes
            if passes <= 0 {
                replicas.available = replicas.desired
                replicas.previousReady = 0
                replicas.passesLeft = nil
            }
        case .never(let message):
            replicas.passesLeft = nil
            replicas.message = message
        case .fails(let message):
            replicas.passesLeft = nil
            replicas.message = message
            replicas.failure = message
        }
        return replicas
    }
}
