extension KubernetesWorkloadOptions {
    /// How a canary's share of traffic is set.
    public enum Routing: Sendable, Hashable {
        /// By the ratio of stable to canary replicas behind one Service.
        case replicas
        /// By the weights of a Gateway API HTTPRoute attached to `parent`.
        case gatewayAPI(parent: GatewayRef)
    }
}
