import KubeAPI
import TackCore

/// The traffic split in effect, read from what exists; a track without available replicas gets none.
enum TrafficReader {
    /// Canary strategy behind one Service: stable's and canary's shares of the available replicas.
    static func byReplicas(available: [Track: Int]) -> TrafficSplit {
        percentages([.stable: available[.stable] ?? 0, .canary: available[.canary] ?? 0])
    }

    /// Canary strategy behind an HTTPRoute: each backend's share is weight / sum of the weights of
    /// the rule that routes to `<app>-stable` or `<app>-canary` (weight 1 when unset), leaving out
    /// tracks without available replicas; other backends keep their share of the sum.
    static func byRoute(_ route: JSONValue?, app: String, available: [Track: Int]) -> TrafficSplit {
        let names = ObjectNames(app: app)
        let tracks = [names.service(.stable): Track.stable, names.service(.canary): .canary]
        let rules = route?[path: ["spec", "rules"]]?.array ?? []
        func track(_ backend: JSONValue) -> Track? {
            let isService = (backend["kind"]?.string ?? "Service") == "Service" && (backend["group"]?.string ?? "").isEmpty
            return isService ? backend["name"]?.string.flatMap { tracks[$0] } : nil
        }
        guard let backends = rules.lazy.compactMap({ $0["backendRefs"]?.array }).first(where: { $0.contains { track($0) != nil } })
        else { return TrafficSplit([:]) }
        var weights: [Track: Int] = [:]
        var others = 0
        for backend in backends {
            let weight = max(backend["weight"]?.int ?? 1, 0)
            if let track = track(backend) {
                if (available[track] ?? 0) > 0 { weights[track, default: 0] += weight }
            } else {
                others += weight
            }
        }
        return percentages(weights, others: others)
    }

    /// Blue-green: all traffic to the track whose Deployment has the color the `<app>` Service
    /// selects, when it has available replicas.
    static func blueGreen(activeService: JSONValue?, deployments: [ObservedDeployment]) -> TrafficSplit {
        guard let selected = activeService?[path: ["spec", "selector", ObjectLabels.color]]?.string,
              let serving = deployments.first(where: { $0.color?.rawValue == selected && !$0.isDeleting }),
              serving.rollout.availableReplicas > 0
        else { return TrafficSplit([:]) }
        return .all(to: serving.track)
    }

    /// Whole percentages of `weights` out of their sum plus `others` (largest remainders, ties to
    /// the new version's track first, as the plan rounds a canary's share); empty when all are 0.
    static func percentages(_ weights: [Track: Int], others: Int = 0) -> TrafficSplit {
        let total = weights.values.reduce(others, +)
        guard total > 0 else { return TrafficSplit([:]) }
        let order: [Track?] = [.canary, .preview, .stable, .active, nil]
        var shares = order.map { track in
            let weight = track.map { weights[$0] ?? 0 } ?? others
            return (track: track, percent: weight * 100 / total, remainder: weight * 100 % total)
        }
        let left = 100 - shares.reduce(0) { $0 + $1.percent }
        let byRemainder = shares.indices.sorted { (shares[$0].remainder, -$0) > (shares[$1].remainder, -$1) }
        for index in byRemainder.prefix(left) { shares[index].percent += 1 }
        return TrafficSplit(Dictionary(uniqueKeysWithValues: shares.compactMap { share in share.track.map { ($0, share.percent) } }))
    }
}
