import Foundation
import KubeAPI
import Synchronization

/// The fake's state behind one lock, shared by the HTTP layer, the test hooks and the deployment
/// controller. Every write and its fan-out to watches happen under the lock, so watches see
/// changes in resourceVersion order.
final class ClusterCore: Sendable {
    let state: Mutex<ClusterState>

    init(options: FakeKubeAPIOptions) {
        state = Mutex(ClusterState(options: options))
    }

    /// The time as the API writes it (RFC 3339, seconds).
    static func now() -> String {
        Date.now.formatted(.iso8601)
    }

    /// Answers a request: logs it, checks the token, applies an injected fault, then routes it.
    func handle(_ request: IncomingRequest) -> Reply {
        let now = Self.now()
        return state.withLock { state in
            let record = request.record
            state.requests.append(record)
            guard state.tokenPolicy.admits(record.authorization) else { return .failure(.unauthorized) }
            if let index = state.faults.firstIndex(where: { $0.remaining > 0 && $0.matches(record) }) {
                state.faults[index].remaining -= 1
                switch state.faults[index].answer {
                case .status(let code, let message, let retryAfter):
                    return .failure(.injected(code: code, message: message, retryAfter: retryAfter))
                case .dropConnection:
                    return .dropConnection
                }
            }
            return state.route(request, now: now)
        }
    }

    /// Forgets a watch whose stream ended.
    func unsubscribe(_ id: Int) {
        state.withLock { _ = $0.subscriptions.removeValue(forKey: id) }
    }

    /// Queues a BOOKMARK for one watch at the current revision; false once the watch is gone.
    func sendBookmark(toWatch id: Int) -> Bool {
        state.withLock { state in
            guard let subscription = state.subscriptions[id] else { return false }
            subscription.push(subscription.filter.bookmark(at: state.store.revision))
            return true
        }
    }

    /// Ends every open watch: abruptly (the connection is cut) or cleanly.
    func closeWatches(_ ending: WatchSubscription.Ending) {
        let subscriptions = state.withLock { state in
            defer { state.subscriptions = [:] }
            return Array(state.subscriptions.values)
        }
        for subscription in subscriptions { subscription.finish(ending) }
    }

    /// Ends every open watch with an in-stream `ERROR` event carrying a 410 Expired Status, as when
    /// etcd compacts past a running watch, and forgets history up to now.
    func expireWatches() {
        let subscriptions = state.withLock { state in
            defer {
                state.subscriptions = [:]
                state.store.expireHistory()
            }
            return Array(state.subscriptions.values)
        }
        let status = APIFailure.expired("The resourceVersion for the provided watch is too old.").status
        for subscription in subscriptions {
            subscription.push(WatchFilter.frame(type: "ERROR", object: status))
            subscription.finish(.clean)
        }
    }

    /// Adds an in-process listener to stored changes; returns its id for `removeObserver`.
    func addObserver(_ observer: @escaping @Sendable (StoredEvent) -> Void) -> Int {
        state.withLock { state in
            let id = state.nextSubscriptionID
            state.nextSubscriptionID += 1
            state.observers[id] = observer
            return id
        }
    }

    func removeObserver(_ id: Int) {
        state.withLock { _ = $0.observers.removeValue(forKey: id) }
    }
}
