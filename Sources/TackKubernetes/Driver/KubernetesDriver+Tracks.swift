import KubeAPI
import TackCore

extension KubernetesDriver {
    /// Makes the track's Deployment run `spec`, creating the application's Services (and its
    /// HTTPRoute with Gateway API routing) the first time.
    public func apply(_ spec: TrackSpec) async throws {
        let observed = try await observe(spec.app)
        switch RolloutStrategy(spec.track) {
        case .canary:
            try await ensure(.services, services.canaryServices(app: spec.app))
            if case .gatewayAPI(let parent) = options.routing, observed.route == nil {
                // A new route sends everything to stable; setTraffic moves the weights from there.
                try await apply(.httpRoutes, routes.route(app: spec.app, parent: parent, split: .all(to: .stable)))
            }
            try await apply(.deployments, deployments.deployment(spec))
        case .blueGreen:
            let all = observed.deployments.compactMap(ObservedDeployment.init)
            guard let color = BlueGreenColor.choose(for: spec.track, deployments: all) else {
                throw KubernetesDriverError(account: account, message: "both colors of \(spec.app) are in use; cannot place \(spec.track.rawValue)")
            }
            let existing = all.first { $0.color == color && !$0.isDeleting }
            let keepsPods = existing.map { ImageRef.sameImage($0.image, spec.image) } ?? false
            try await apply(.deployments, deployments.deployment(spec, color: color, podTrack: keepsPods ? existing?.podTrack : nil))
            if spec.track == .preview {
                try await ensure(.services, [services.previewService(app: spec.app, color: color)])
            } else if observed.service == nil {
                try await ensure(.services, services.blueGreenServices(app: spec.app, active: color))
            }
        }
    }

    /// Sets the replicas of the track's Deployment.
    public func scale(app: String, track: Track, replicas: Int) async throws {
        guard let deployment = try await observe(app).tracks.first(where: { $0.track == track }) else {
            throw KubernetesDriverError(account: account, message: "\(app) has no \(track.rawValue) Deployment to scale")
        }
        try await patch(.deployments, name: deployment.name, ["spec": ["replicas": .count(max(replicas, 0))]])
    }

    /// Deletes the track's Deployment; the Services stay, selecting nothing until the track returns.
    public func delete(app: String, track: Track) async throws {
        for deployment in try await observe(app).tracks where deployment.track == track {
            try await remove(.deployments, name: deployment.name)
        }
    }

    /// Blue-green promotion: the `<app>` Service selects `source`'s color, `track`'s old color is
    /// deleted, and `source`'s Deployment takes the role `track` (an annotation: no pod restarts).
    public func replace(app: String, _ track: Track, with source: Track) async throws {
        let observed = try await observe(app)
        guard let incoming = observed.tracks.first(where: { $0.track == source }) else { return }
        guard RolloutStrategy(track) == .blueGreen, let color = incoming.color else {
            throw KubernetesDriverError(account: account, message: "only blue-green tracks can take over another track's role")
        }
        try await selectActive(app: app, color: color, observed)
        for outgoing in observed.tracks where outgoing.track == track && outgoing.name != incoming.name {
            try await remove(.deployments, name: outgoing.name)
        }
        try await patch(.deployments, name: incoming.name, deployments.rolePatch(track))
    }

    /// Routes traffic: a blue-green switch moves the `<app>` Service's selector; a canary split
    /// sets the HTTPRoute's weights, and is the replica ratio itself with `traffic: replicas`.
    public func setTraffic(app: String, _ split: TrafficSplit) async throws {
        let blueGreen = split[.active] > 0 || split[.preview] > 0
        if blueGreen {
            let target: Track = split[.preview] > split[.active] ? .preview : .active
            let observed = try await observe(app)
            guard let serving = observed.tracks.first(where: { $0.track == target }), let color = serving.color else {
                throw KubernetesDriverError(account: account, message: "\(app) has no \(target.rawValue) Deployment to send traffic to")
            }
            try await selectActive(app: app, color: color, observed)
            return
        }
        guard case .gatewayAPI(let parent) = options.routing else { return }
        try await apply(.httpRoutes, routes.route(app: app, parent: parent, split: split))
    }

    /// Points the `<app>` Service at `color`'s pods, unless it already selects them.
    private func selectActive(app: String, color: BlueGreenColor, _ observed: ObservedWorkload) async throws {
        guard observed.service?[path: ["spec", "selector", ObjectLabels.color]]?.string != color.rawValue else { return }
        try await apply(.services, services.activeService(app: app, color: color))
    }
}
