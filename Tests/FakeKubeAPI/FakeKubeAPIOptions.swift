/// How a `FakeKubeAPIServer` behaves where kube-apiserver's behaviour varies or tests need control.
public struct FakeKubeAPIOptions: Sendable {
    /// How a watch from a resourceVersion older than the retained history fails.
    public var expiredWatch: ExpiredWatchResponse
    /// How often watches that asked for bookmarks (`allowWatchBookmarks=true`) get one; nil sends
    /// them only when a test calls `sendBookmark()`.
    public var bookmarkInterval: Duration?
    /// How watch events are cut into HTTP chunks.
    public var watchChunking: WatchChunking
    /// Changes kept for watches and list continuations before older ones are compacted away.
    public var historyLimit: Int
    /// How long a watch without `timeoutSeconds` lasts; nil keeps it open until the server stops.
    public var defaultWatchTimeout: Duration?
    /// The bearer token every request must carry; nil admits requests without one.
    public var requiredToken: String?
    /// Refuse creates in a namespace that does not exist (404 `namespaces "x" not found`), as
    /// kube-apiserver's NamespaceLifecycle admission does; the `default` namespace then exists.
    public var requiresNamespaces: Bool

    /// Options; the defaults answer expired watches in-stream, send no periodic bookmarks, write one
    /// event per chunk, keep 10,000 changes, require no token and let objects into any namespace.
    public init(expiredWatch: ExpiredWatchResponse = .errorEvent, bookmarkInterval: Duration? = nil,
                watchChunking: WatchChunking = .eventPerChunk, historyLimit: Int = 10_000, defaultWatchTimeout: Duration? = nil,
                requiredToken: String? = nil, requiresNamespaces: Bool = false) {
        self.expiredWatch = expiredWatch
        self.bookmarkInterval = bookmarkInterval
        self.watchChunking = watchChunking
        self.historyLimit = historyLimit
        self.defaultWatchTimeout = defaultWatchTimeout
        self.requiredToken = requiredToken
        self.requiresNamespaces = requiresNamespaces
    }
}

/// How a watch from a compacted resourceVersion fails; kube-apiserver does both, depending on
/// whether the watch cache or etcd notices.
public enum ExpiredWatchResponse: Sendable, Hashable {
    /// HTTP 410 with an `Expired` Status body, before any stream starts.
    case httpStatus
    /// HTTP 200 whose only event is `ERROR` carrying the 410 `Expired` Status, then a clean end.
    case errorEvent
}

/// How watch events are cut into HTTP chunks; clients must cope with every one of these.
public enum WatchChunking: Sendable, Hashable {
    /// Each event (one JSON line) in its own chunk.
    case eventPerChunk
    /// Each event cut into `pieces` chunks, written `pause` apart.
    case splitEvents(pieces: Int, pause: Duration)
    /// Events that arrive within `window` of the first written together in one chunk.
    case coalesced(window: Duration)
    /// Pending events concatenated and cut every `pieceSize` bytes, regardless of event boundaries,
    /// the pieces written `pause` apart.
    case scattered(pieceSize: Int, pause: Duration)
}
