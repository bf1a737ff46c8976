import KubeAPI

/// One stored change as a test reads it back: which object changed, how, and what it became.
public struct ObjectChange: Sendable {
    /// `ADDED`, `MODIFIED` or `DELETED`.
    public var type: String
    /// The resource of the object.
    public var resource: KubeResource
    /// The namespace, empty for a cluster-scoped object.
    public var namespace: String
    /// The object's name.
    public var name: String
    /// The object after the change; for a deletion, its last state.
    public var object: JSONValue
    /// The resourceVersion the change was stored at.
    public var revision: Int
}
