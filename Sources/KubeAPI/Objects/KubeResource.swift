/// A kind of object the API serves: its group, version, plural resource name and kind.
public struct KubeResource: Sendable, Hashable, CustomStringConvertible {
    /// The API group; empty for the core group.
    public var group: String
    /// The version, such as `v1`.
    public var version: String
    /// The plural resource name in URLs, such as `deployments`.
    public var plural: String
    /// The kind in objects, such as `Deployment`.
    public var kind: String
    /// Whether objects live in a namespace.
    public var isNamespaced: Bool

    /// A resource.
    public init(group: String, version: String, plural: String, kind: String, isNamespaced: Bool = true) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.isNamespaced = isNamespaced
    }

    /// `apps/v1`, or `v1` for the core group: the objects' `apiVersion`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `deployments.apps` (or `services` in the core group), as the API server's messages name it.
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The URL path of the collection in `namespace` (ignored for cluster-scoped resources).
    public func collectionPath(namespace: String?) -> String {
        let root = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        guard isNamespaced, let namespace else { return "\(root)/\(plural)" }
        return "\(root)/namespaces/\(namespace)/\(plural)"
    }

    /// The URL path of the object `name` in `namespace`.
    public func objectPath(namespace: String?, name: String) -> String {
        "\(collectionPath(namespace: namespace))/\(name)"
    }

    public static let deployments = KubeResource(group: "apps", version: "v1", plural: "deployments", kind: "Deployment")
    public static let services = KubeResource(group: "", version: "v1", plural: "services", kind: "Service")
    public static let configMaps = KubeResource(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap")
    public static let pods = KubeResource(group: "", version: "v1", plural: "pods", kind: "Pod")
    public static let httpRoutes = KubeResource(group: "gateway.networking.k8s.io", version: "v1", plural: "httproutes", kind: "HTTPRoute")
    public static let leases = KubeResource(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease")
}
