import Synchronization

/// What an informer holds: the objects by name, the resourceVersion seen up to, its subscribers.
/// Shared by the `Informer` and its list-and-watch loop, so the loop never keeps the informer alive.
final class InformerCache: Sendable {
    struct State {
        var objects: [String: JSONValue] = [:]
        var resourceVersion: String?
        var isSynced = false
        var lists = 0
        var lastError: String?
        var subscribers: [Int: AsyncStream<WatchEvent>.Continuation] = [:]
        var nextSubscriber = 0
    }

    let state = Mutex(State())

    /// Replaces the objects with a fresh list, telling subscribers what changed (ADDED, MODIFIED,
    /// DELETED for what is gone), and moves to the list's resourceVersion.
    func replace(with list: KubeList) {
        let fresh = Dictionary(list.items.compactMap { item in item.name.map { ($0, item) } }, uniquingKeysWith: { _, last in last })
        let (events, subscribers) = state.withLock { state -> ([WatchEvent], [AsyncStream<WatchEvent>.Continuation]) in
            var events: [WatchEvent] = []
            for (name, object) in state.objects.sorted(by: { $0.key < $1.key }) where fresh[name] == nil {
                events.append(WatchEvent(kind: .deleted, object: object))
            }
            for (name, object) in fresh.sorted(by: { $0.key < $1.key }) where state.objects[name] != object {
                events.append(WatchEvent(kind: state.objects[name] == nil ? .added : .modified, object: object))
            }
            state.objects = fresh
            state.resourceVersion = list.resourceVersion
            state.isSynced = true
            state.lists += 1
            state.lastError = nil
            return (events, Array(state.subscribers.values))
        }
        for event in events { for subscriber in subscribers { subscriber.yield(event) } }
    }

    /// Applies one watch event and passes ADDED, MODIFIED and DELETED on; a BOOKMARK only moves
    /// the resourceVersion.
    func apply(_ event: WatchEvent) {
        let subscribers = state.withLock { state -> [AsyncStream<WatchEvent>.Continuation] in
            if let version = event.object.resourceVersion, !version.isEmpty { state.resourceVersion = version }
            guard let name = event.object.name else { return [] }
            switch event.kind {
            case .added, .modified: state.objects[name] = event.object
            case .deleted: state.objects.removeValue(forKey: name)
            case .bookmark, .error: return []
            }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.yield(event) }
    }

    /// Puts an object the caller wrote into the cache, unless the cache already holds a newer
    /// version of it (the watch may deliver later writes before the caller records its own).
    func record(_ object: JSONValue) {
        guard let name = object.name else { return }
        state.withLock { state in
            if let cached = state.objects[name], Self.isNewer(cached, than: object) { return }
            state.objects[name] = object
        }
    }

    /// Removes an object the caller deleted.
    func forget(name: String) {
        _ = state.withLock { $0.objects.removeValue(forKey: name) }
    }

    /// Notes why the loop is waiting, for `waitUntilSynced`.
    func noteFailure(_ error: KubeError) {
        state.withLock { $0.lastError = error.description }
    }

    /// A new subscriber's stream of changes.
    func subscribe() -> AsyncStream<WatchEvent> {
        let (stream, continuation) = AsyncStream<WatchEvent>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let id = state.withLock { state in
            state.nextSubscriber += 1
            state.subscribers[state.nextSubscriber] = continuation
            return state.nextSubscriber
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Ends every subscriber's stream.
    func finishSubscribers() {
        let subscribers = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// Whether `cached` is a later version of the same object than `written`. resourceVersions are
    /// opaque, but etcd's are integers; like client-go's `MutationCache` this compares them as such,
    /// and otherwise treats the written object as the newer.
    static func isNewer(_ cached: JSONValue, than written: JSONValue) -> Bool {
        guard let cachedVersion = cached.resourceVersion.flatMap(UInt64.init),
              let writtenVersion = written.resourceVersion.flatMap(UInt64.init)
        else { return false }
        return cachedVersion > writtenVersion
    }
}
