import Synchronization

/// A cache of one kind of object kept current by list-then-watch, as client-go's Reflector does:
/// it resumes a dropped watch from the last resourceVersion (bookmarks included), and re-lists
/// when the server says that version is too old (410, as a status or an in-stream ERROR).
public final class Informer: Sendable {
    /// The resource watched.
    public let resource: KubeResource
    /// The namespace watched (nil: the connection's).
    public let namespace: String?
    /// Which objects.
    public let selector: ListSelector
    let client: KubeClient
    let cache = InformerCache()
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// Server-side watch timeout range, as the Reflector randomises it (5 to 10 minutes).
    let watchTimeout: ClosedRange<Int>

    /// An informer; call `start()` to fill it.
    public init(client: KubeClient, resource: KubeResource, namespace: String? = nil, selector: ListSelector = ListSelector(),
                watchTimeoutSeconds: ClosedRange<Int> = 300...600) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.selector = selector
        watchTimeout = watchTimeoutSeconds
    }

    deinit {
        stop()
    }

    /// Starts listing and watching in the background; idempotent.
    public func start() {
        let loop = InformerLoop(client: client, resource: resource, namespace: namespace, selector: selector,
                                watchTimeout: watchTimeout, cache: cache)
        task.withLock { task in
            guard task == nil else { return }
            task = Task { await loop.run() }
        }
    }

    /// Stops watching and ends the `changes()` streams; the cache keeps its last contents.
    public func stop() {
        task.withLock { $0?.cancel() }
        cache.finishSubscribers()
    }

    /// Whether the first list has arrived.
    public var isSynced: Bool { cache.state.withLock(\.isSynced) }

    /// The objects now, by name.
    public var objects: [String: JSONValue] { cache.state.withLock(\.objects) }

    /// The object `name`, when cached.
    public func object(named name: String) -> JSONValue? {
        cache.state.withLock { $0.objects[name] }
    }

    /// The resourceVersion the cache has seen up to.
    public var resourceVersion: String? { cache.state.withLock(\.resourceVersion) }

    /// How many times the informer has listed (1 plus its re-lists after 410).
    public var listCount: Int { cache.state.withLock(\.lists) }

    /// Waits until the first list arrived, or throws the last error after `timeout`.
    public func waitUntilSynced(timeout: Duration = .seconds(30)) async throws(KubeError) {
        let deadline = ContinuousClock.now + timeout
        while !isSynced {
            if ContinuousClock.now >= deadline {
                let last = cache.state.withLock(\.lastError) ?? "no answer"
                throw .unavailable("could not list \(resource) within \(timeout): \(last)")
            }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { throw .cancelled }
        }
    }

    /// The changes from now on (ADDED, MODIFIED, DELETED, and a synthetic ADDED/DELETED after a re-list).
    public func changes() -> AsyncStream<WatchEvent> {
        cache.subscribe()
    }

    /// Puts an object this process just wrote into the cache, so reads see its own writes before
    /// the watch delivers them; a newer version the watch already delivered is kept.
    public func record(_ object: JSONValue) {
        cache.record(object)
    }

    /// Removes an object this process just deleted from the cache.
    public func forget(name: String) {
        cache.forget(name: name)
    }
}
