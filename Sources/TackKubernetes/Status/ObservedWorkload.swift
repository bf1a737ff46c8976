import KubeAPI
import TackCore

/// What the cluster holds for one application: the objects its status is read from.
struct ObservedWorkload: Sendable {
    /// The application.
    var app: String
    /// Its Deployments (any others are ignored).
    var deployments: [JSONValue]
    /// Its pods, for restart counts.
    var pods: [JSONValue]
    /// The Service `<app>`, for a blue-green application's active color.
    var service: JSONValue?
    /// The HTTPRoute `<app>`, for gateway routing.
    var route: JSONValue?

    /// Tack's Deployments, not being deleted, one per track: when two claim a track (a promotion
    /// caught half-way), the one the `<app>` Service selects serves as active, else the first by name.
    var tracks: [ObservedDeployment] {
        let selected = service?[path: ["spec", "selector", ObjectLabels.color]]?.string
        let candidates = deployments.compactMap(ObservedDeployment.init).filter { !$0.isDeleting }
            .sorted { $0.name < $1.name }
        var byTrack: [Track: ObservedDeployment] = [:]
        for deployment in candidates {
            guard let held = byTrack[deployment.track] else {
                byTrack[deployment.track] = deployment
                continue
            }
            if deployment.track == .active, held.color?.rawValue != selected, deployment.color?.rawValue == selected {
                byTrack[deployment.track] = deployment
            }
        }
        return Track.allCases.compactMap { byTrack[$0] }
    }

    /// The application's status: each track's counters (see `ObservedDeployment.trackStatus`) and
    /// the traffic split `routing` puts in effect.
    func status(routing: KubernetesWorkloadOptions.Routing) -> WorkloadStatus {
        let tracks = tracks
        let statuses = tracks.map { $0.trackStatus(restarts: PodRestarts.total(pods, selector: $0.selector)) }
        return WorkloadStatus(app: app, tracks: statuses, traffic: traffic(tracks, routing: routing))
    }

    /// The split for the strategy the tracks belong to.
    private func traffic(_ tracks: [ObservedDeployment], routing: KubernetesWorkloadOptions.Routing) -> TrafficSplit {
        guard let first = tracks.first else { return TrafficSplit([:]) }
        if RolloutStrategy(first.track) == .blueGreen {
            return TrafficReader.blueGreen(activeService: service, deployments: tracks)
        }
        let available = Dictionary(uniqueKeysWithValues: tracks.map { ($0.track, $0.rollout.availableReplicas) })
        switch routing {
        case .replicas: return TrafficReader.byReplicas(available: available)
        case .gatewayAPI: return TrafficReader.byRoute(route, app: app, available: available)
        }
    }
}
