extension JSONValue {
    /// `metadata.name`.
    public var name: String? { self[path: ["metadata", "name"]]?.string }
    /// `metadata.namespace`.
    public var namespace: String? { self[path: ["metadata", "namespace"]]?.string }
    /// `metadata.resourceVersion`: opaque, compared for equality only.
    public var resourceVersion: String? { self[path: ["metadata", "resourceVersion"]]?.string }
    /// `metadata.generation`.
    public var generation: Int? { self[path: ["metadata", "generation"]]?.int }
    /// `metadata.labels`.
    public var labels: [String: String] { (self[path: ["metadata", "labels"]]?.object ?? [:]).compactMapValues(\.string) }
    /// `metadata.annotations`.
    public var annotations: [String: String] { (self[path: ["metadata", "annotations"]]?.object ?? [:]).compactMapValues(\.string) }
}
