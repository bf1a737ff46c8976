import TackYAML

/// A decoded kubeconfig context: which cluster, which user, which namespace.
struct KubeconfigContext: Sendable {
    /// The cluster's name, and its node for messages.
    var cluster: String
    var clusterNode: YAMLNode
    /// The user's name (nil: anonymous), and its node for messages.
    var user: String?
    var userNode: YAMLNode?
    /// The context's namespace, when set.
    var namespace: String?

    static let keys = ["cluster", "user", "namespace", "extensions"]

    /// Decodes `entry`; every problem is thrown with its place.
    static func decode(_ entry: KubeconfigEntry) throws(KubeError) -> KubeconfigContext {
        let reader = KubeconfigReader(path: entry.file)
        let decoded = decode(entry, reader: reader)
        try reader.check()
        guard let decoded else { throw .configuration("\(entry.file): \(entry.what) could not be read") }
        return decoded
    }

    private static func decode(_ entry: KubeconfigEntry, reader: KubeconfigReader) -> KubeconfigContext? {
        guard let body = reader.mapping(entry.body, what: entry.what, keys: keys) else { return nil }
        let namespace = reader.string(body, "namespace", what: entry.what)
        if let namespace, let node = body["namespace"], !namespace.isDNSLabel {
            reader.error("namespace of \(entry.what) must be a DNS label (lowercase letters, digits and '-', at most 63); got \(namespace.quoted)", at: node)
        }
        guard let clusterNode = body.required("cluster"),
              let cluster = reader.yaml.string(clusterNode, what: "cluster of \(entry.what)") else { return nil }
        // No user (or an empty one) means anonymous requests, as in kubectl.
        let userNode = body["user"]
        var user: String?
        if let userNode, userNode.scalar?.isNull != true, userNode.scalar?.value.isEmpty != true {
            user = reader.yaml.string(userNode, what: "user of \(entry.what)")
        }
        return KubeconfigContext(cluster: cluster, clusterNode: clusterNode, user: user, userNode: userNode, namespace: namespace)
    }
}
