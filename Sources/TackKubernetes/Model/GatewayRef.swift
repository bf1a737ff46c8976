/// The Gateway (and optionally its listener) an HTTPRoute attaches to.
public struct GatewayRef: Sendable, Hashable {
    /// The Gateway's namespace.
    public var namespace: String
    /// The Gateway's name.
    public var name: String
    /// The listener's name, or nil for every listener that accepts the route.
    public var sectionName: String?

    /// A reference to a Gateway.
    public init(namespace: String, name: String, sectionName: String? = nil) {
        self.namespace = namespace
        self.name = name
        self.sectionName = sectionName
    }
}
