import KubeAPI

/// What one watch sees: a resource, maybe one namespace, label and field selectors.
struct WatchFilter: Sendable {
    var served: ServedResource
    var namespace: String?
    var labels: LabelSelector
    var fields: FieldSelector
    var allowsBookmarks: Bool

    /// Whether `object` passes the selectors.
    func matches(_ object: JSONValue) -> Bool {
        labels.matches(object.labels) && fields.matches(object)
    }

    /// Whether `key` is in the watched namespace.
    func covers(_ key: ObjectKey) -> Bool {
        namespace == nil || key.namespace == namespace
    }

    /// The event this watch gets for a stored change, as the watch cache computes it: an object that
    /// starts matching the selectors is ADDED, one that stops matching is DELETED.
    func event(for change: StoredEvent) -> (type: String, object: JSONValue)? {
        guard change.resourceID == served.id, covers(change.key) else { return nil }
        let wasIn = change.previous.map(matches) ?? false
        if change.type == "DELETED" { return wasIn ? ("DELETED", change.object) : nil }
        switch (wasIn, matches(change.object)) {
        case (true, true):
            return ("MODIFIED", change.object)
        case (false, true):
            return ("ADDED", change.object)
        case (true, false):
            var last = change.previous!
            last.setValue(.string(String(change.revision)), at: ["metadata", "resourceVersion"])
            return ("DELETED", last)
        case (false, false):
            return nil
        }
    }

    /// One watch event as a line of JSON.
    static func frame(type: String, object: JSONValue) -> [UInt8] {
        JSONValue.object(["type": .string(type), "object": object]).jsonBytes + [UInt8(ascii: "\n")]
    }

    /// A BOOKMARK event at `revision`: an object of the watched kind with only its resourceVersion.
    func bookmark(at revision: Int) -> [UInt8] {
        Self.frame(type: "BOOKMARK", object: [
            "kind": .string(served.resource.kind), "apiVersion": .string(served.resource.apiVersion),
            "metadata": ["resourceVersion": .string(String(revision))],
        ])
    }
}
