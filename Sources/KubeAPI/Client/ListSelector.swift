/// Which objects a list or watch returns: label and field selectors as the API writes them.
public struct ListSelector: Sendable, Hashable {
    /// A label selector, such as `app=web,track in (stable,canary)`.
    public var labels: String?
    /// A field selector, such as `metadata.name=web`.
    public var fields: String?

    /// A selector; nil parts select everything.
    public init(labels: String? = nil, fields: String? = nil) {
        self.labels = labels
        self.fields = fields
    }

    /// Only the object named `name` (`fieldSelector=metadata.name=…`), as `kubectl rollout status` watches.
    public static func named(_ name: String) -> ListSelector {
        ListSelector(fields: "metadata.name=\(name)")
    }

    /// Objects carrying every label in `labels`.
    public static func labels(_ labels: [String: String]) -> ListSelector {
        ListSelector(labels: labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
    }

    var query: [(String, String)] {
        var query: [(String, String)] = []
        if let labels, !labels.isEmpty { query.append(("labelSelector", labels)) }
        if let fields, !fields.isEmpty { query.append(("fieldSelector", fields)) }
        return query
    }
}
