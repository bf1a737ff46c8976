import KubeAPI

/// A resource the fake serves, with the behaviour its registry strategy has in kube-apiserver.
public struct ServedResource: Sendable, Hashable {
    /// When `metadata.generation` goes up.
    public enum GenerationPolicy: Sendable, Hashable {
        /// The object has no generation (Service, ConfigMap, Lease, Pod).
        case none
        /// Spec or annotation changes bump it (the Deployment strategy: annotations are copied to ReplicaSets).
        case specAndAnnotations
        /// Any change outside metadata and status bumps it (custom resources).
        case allButMetadataAndStatus
    }

    /// Group, version, plural and kind.
    public var resource: KubeResource
    /// A custom resource (CRD): list items keep `apiVersion`/`kind`, strategic merge patch is refused.
    public var isCustomResource: Bool
    /// Whether `.../NAME/status` exists; the main endpoint then never changes status.
    public var hasStatusSubresource: Bool
    /// When `metadata.generation` goes up.
    public var generation: GenerationPolicy
    /// Whether PUT of a missing object creates it (true for Services and Leases in kube-apiserver).
    public var createsOnUpdate: Bool

    /// A served resource.
    public init(_ resource: KubeResource, isCustomResource: Bool = true, hasStatusSubresource: Bool = true,
                generation: GenerationPolicy? = nil, createsOnUpdate: Bool = false) {
        self.resource = resource
        self.isCustomResource = isCustomResource
        self.hasStatusSubresource = hasStatusSubresource
        self.generation = generation ?? (isCustomResource ? .allButMetadataAndStatus : .none)
        self.createsOnUpdate = createsOnUpdate
    }

    /// The key resources are stored under: the cluster-wide collection path.
    var id: String { resource.collectionPath(namespace: nil) }

    /// The kind of a list of these objects, such as `DeploymentList`.
    var listKind: String { resource.kind + "List" }

    /// Deployments, whose status the deployment controller stand-in writes.
    static let deployments = ServedResource(.deployments, isCustomResource: false, generation: .specAndAnnotations)
    /// Namespaces (cluster-scoped).
    static let namespaces = ServedResource(KubeResource(group: "", version: "v1", plural: "namespaces", kind: "Namespace", isNamespaced: false),
                                           isCustomResource: false)

    /// The resources every fake serves.
    static let builtIn: [ServedResource] = [
        deployments, namespaces,
        ServedResource(.services, isCustomResource: false, createsOnUpdate: true),
        ServedResource(.configMaps, isCustomResource: false, hasStatusSubresource: false),
        ServedResource(.pods, isCustomResource: false),
        ServedResource(.httpRoutes),
        ServedResource(.leases, isCustomResource: false, hasStatusSubresource: false, createsOnUpdate: true),
    ]
}

/// Where an object is stored: its namespace (empty for cluster-scoped objects) and name, in etcd key order.
struct ObjectKey: Hashable, Comparable, Sendable {
    var namespace: String
    var name: String

    static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}
