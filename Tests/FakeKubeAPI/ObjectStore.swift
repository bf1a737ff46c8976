import KubeAPI

/// A change to one object, kept in the event history that watches replay from.
struct StoredEvent: Sendable {
    /// `ADDED`, `MODIFIED` or `DELETED`.
    var type: String
    var resourceID: String
    var key: ObjectKey
    /// The object after the change; for a deletion its last state with the deletion's resourceVersion.
    var object: JSONValue
    /// The object before the change, nil for a creation.
    var previous: JSONValue?
    var revision: Int
}

/// The result of a write: the HTTP status, the object to answer with, and the change stored (nil for a no-op).
struct WriteResult: Sendable {
    var status: Int
    var object: JSONValue
    var event: StoredEvent?
}

/// What etcd holds for the fake: objects per resource, one global revision counter that every write
/// bumps, and the history of changes back to the last compaction.
struct ObjectStore: Sendable {
    private(set) var resources: [String: ServedResource] = [:]
    private(set) var objects: [String: [ObjectKey: JSONValue]] = [:]
    /// The newest revision, the resourceVersion of the latest write (and of lists).
    private(set) var revision = 1
    /// Changes newer than `compactedRevision`, oldest first.
    private(set) var history: [StoredEvent] = []
    /// Watches and continue tokens from before this revision have expired.
    private(set) var compactedRevision = 0
    /// Changes kept before older ones are compacted away.
    var historyLimit: Int
    /// ClusterIPs handed out so far.
    var allocatedServiceIPs = 0
    /// Whether creating an object in a namespace that does not exist is refused (NamespaceLifecycle).
    var requiresNamespaces = false

    /// A store serving the built-in resources.
    init(historyLimit: Int) {
        self.historyLimit = historyLimit
        for served in ServedResource.builtIn { register(served) }
    }

    /// Serves `served` (replacing an earlier registration of the same collection).
    mutating func register(_ served: ServedResource) {
        resources[served.id] = served
    }

    /// The resource served under a group, version and plural.
    func served(group: String, version: String, plural: String) -> ServedResource? {
        resources[KubeResource(group: group, version: version, plural: plural, kind: "").collectionPath(namespace: nil)]
    }

    /// The stored object, if any.
    func object(_ served: ServedResource, _ key: ObjectKey) -> JSONValue? {
        objects[served.id]?[key]
    }

    /// The objects of a resource now.
    func objects(of served: ServedResource) -> [ObjectKey: JSONValue] {
        objects[served.id] ?? [:]
    }

    /// Stores `object` (nil deletes) as the next revision, records the change and returns it.
    mutating func commit(_ served: ServedResource, _ key: ObjectKey, _ object: JSONValue?) -> StoredEvent {
        revision += 1
        let previous = objects[served.id]?[key]
        let version = JSONValue.string(String(revision))
        let event: StoredEvent
        if var object {
            object.setValue(version, at: ["metadata", "resourceVersion"])
            objects[served.id, default: [:]][key] = object
            event = StoredEvent(type: previous == nil ? "ADDED" : "MODIFIED", resourceID: served.id, key: key, object: object,
                                previous: previous, revision: revision)
        } else {
            objects[served.id]?[key] = nil
            var last = previous ?? .object([:])
            last.setValue(version, at: ["metadata", "resourceVersion"])
            event = StoredEvent(type: "DELETED", resourceID: served.id, key: key, object: last, previous: previous, revision: revision)
        }
        history.append(event)
        if history.count > historyLimit { compact(keepingLast: historyLimit) }
        return event
    }

    /// Forgets all but the newest `count` changes, as etcd compaction does.
    mutating func compact(keepingLast count: Int) {
        let dropped = history.count - max(count, 0)
        guard dropped > 0 else { return }
        compactedRevision = history[dropped - 1].revision
        history.removeFirst(dropped)
    }

    /// Forgets every change: any resourceVersion older than the current one has expired.
    mutating func expireHistory() {
        history.removeAll()
        compactedRevision = revision
    }

    /// The oldest revision a watch can still start from, as the watch cache reports it.
    var oldestRetainedRevision: Int { compactedRevision + 1 }

    /// The changes to `served` after `revision`, or nil when some of them were compacted away.
    func events(of served: ServedResource, after revision: Int) -> [StoredEvent]? {
        guard revision >= compactedRevision else { return nil }
        return history.filter { $0.revision > revision && $0.resourceID == served.id }
    }

    /// The objects of `served` as they were at `revision` (rewound through the history), or nil
    /// when that revision was compacted away.
    func snapshot(of served: ServedResource, at revision: Int) -> [ObjectKey: JSONValue]? {
        guard revision >= compactedRevision else { return nil }
        var state = objects(of: served)
        for event in history.reversed() where event.revision > revision && event.resourceID == served.id {
            state[event.key] = event.previous
        }
        return state
    }
}
