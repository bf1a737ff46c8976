import KubeAPI

/// Everything the fake holds, guarded by one lock in `ClusterCore`: the store, open watches, the
/// request log and what tests injected (faults, token policy, options).
struct ClusterState: Sendable {
    var store: ObjectStore
    var options: FakeKubeAPIOptions
    var tokenPolicy: TokenPolicy
    var faults: [InjectedFault] = []
    var requests: [RecordedRequest] = []
    var subscriptions: [Int: WatchSubscription] = [:]
    var nextSubscriptionID = 1
    /// In-process listeners to every stored change (the deployment controller).
    var observers: [Int: @Sendable (StoredEvent) -> Void] = [:]

    init(options: FakeKubeAPIOptions) {
        self.options = options
        store = ObjectStore(historyLimit: options.historyLimit)
        store.requiresNamespaces = options.requiresNamespaces
        if options.requiresNamespaces {
            _ = try? store.create(.namespaces, namespace: nil, body: ["metadata": ["name": "default"]], manager: "kube-apiserver", now: ClusterCore.now())
        }
        tokenPolicy = options.requiredToken.map(TokenPolicy.token) ?? .anyRequest
    }

    /// Delivers a stored change to every open watch that sees it and to the observers.
    func publish(_ event: StoredEvent?) {
        guard let event else { return }
        for subscription in subscriptions.values {
            if let (type, object) = subscription.filter.event(for: event) {
                subscription.push(WatchFilter.frame(type: type, object: object))
            }
        }
        for observer in observers.values { observer(event) }
    }

    /// Sends a BOOKMARK at the current revision to every watch that asked for bookmarks.
    func sendBookmarks() {
        for subscription in subscriptions.values where subscription.filter.allowsBookmarks {
            subscription.push(subscription.filter.bookmark(at: store.revision))
        }
    }

    /// Runs a test's write and publishes its change.
    mutating func write(_ body: (inout ObjectStore) throws(APIFailure) -> WriteResult) throws(APIFailure) -> WriteResult {
        let result = try body(&store)
        publish(result.event)
        return result
    }
}

/// What the HTTP layer sends for a request.
enum Reply: Sendable {
    /// A JSON body.
    case json(status: Int, body: JSONValue, headers: [(name: String, value: String)])
    /// A plain text body (health endpoints).
    case text(status: Int, String)
    /// A chunked watch stream.
    case watch(WatchSession)
    /// The response head, then a dropped connection.
    case dropConnection

    /// The Status answer of a failure.
    static func failure(_ failure: APIFailure) -> Reply {
        .json(status: failure.code, body: failure.status, headers: failure.headers)
    }
}

/// An open watch as the HTTP layer serves it.
struct WatchSession: Sendable {
    var subscription: WatchSubscription
    var timeout: Duration?
    var bookmarkInterval: Duration?
    var chunking: WatchChunking
}
