import TackCore
/// How an account splits traffic between the old and the new version.
enum TrafficRouting: String {
    /// The local runtime's nginx, by upstream weights.
    case nginx
    /// Kubernetes, by the ratio of ready replicas behind one Service.
    case replicas
    /// Kubernetes, by a Gateway API HTTPRoute's backend weights.
    case gatewayAPI

    init(_ kind: Account.Kind) {
        switch kind {
        case .local: self = .nginx
        case .kubernetes(let k): self = k.traffic == .gatewayAPI ? .gatewayAPI : .replicas
        }
    }

    /// Whether traffic follows a weight exactly rather than replica counts.
    var isWeighted: Bool { self != .replicas }

    /// The objects Tack manages for `app` under `strategy`.
    func objects(app: String, strategy: Strategy) -> [String] {
        switch (self, strategy) {
        case (.nginx, .canary):
            ["track \(app)/stable", "track \(app)/canary", "nginx upstream \(app)"]
        case (.nginx, .blueGreen):
            ["track \(app)/blue", "track \(app)/green", "nginx upstream \(app)", "nginx upstream \(app)-preview"]
        case (_, .canary):
            ["Deployment \(app)", "Deployment \(app)-canary", "Service \(app)-stable", "Service \(app)-canary", "Service \(app)"]
                + (self == .gatewayAPI ? ["HTTPRoute \(app)"] : [])
        case (_, .blueGreen):
            ["Deployment \(app)-blue", "Deployment \(app)-green", "Service \(app)", "Service \(app)-preview"]
        }
    }
}
