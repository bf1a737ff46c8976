import KubeAPI

/// Starting a watch: synthetic ADDED events for the objects that exist (no resourceVersion, or "0"),
/// or the history after the given resourceVersion, then every change as it is stored.
extension ClusterState {
    mutating func startWatch(_ target: Target, _ query: QueryParameters, pinnedName: String?) throws(APIFailure) -> Reply {
        let served = target.served
        var fields = try FieldSelector(parsing: query["fieldSelector"] ?? "", for: served)
        if let pinnedName { fields.terms.append(.init(path: ["metadata", "name"], value: pinnedName, isNegated: false)) }
        let filter = WatchFilter(served: served, namespace: target.namespace, labels: try LabelSelector(parsing: query["labelSelector"] ?? ""),
                                 fields: fields, allowsBookmarks: query.bool("allowWatchBookmarks") == true)
        let seconds = query["timeoutSeconds"].flatMap { Int($0) } ?? 0
        let timeout = seconds > 0 ? .seconds(seconds) : options.defaultWatchTimeout
        let subscription = WatchSubscription(id: nextSubscriptionID, filter: filter)
        nextSubscriptionID += 1
        let session = WatchSession(subscription: subscription, timeout: timeout, bookmarkInterval: options.bookmarkInterval, chunking: options.watchChunking)

        let version = query["resourceVersion"] ?? ""
        if version.isEmpty || version == "0" {
            for (key, object) in store.objects(of: served).sorted(by: { $0.key < $1.key }) where filter.covers(key) && filter.matches(object) {
                subscription.push(WatchFilter.frame(type: "ADDED", object: object))
            }
        } else {
            guard let start = Int(version) else { throw .badRequest("invalid resource version \"\(version)\"") }
            guard let events = store.events(of: served, after: start) else {
                let expired = APIFailure.expired("too old resource version: \(start) (\(store.oldestRetainedRevision))")
                guard options.expiredWatch == .errorEvent else { throw expired }
                subscription.push(WatchFilter.frame(type: "ERROR", object: expired.status))
                subscription.finish(.clean)
                return .watch(session)
            }
            for event in events {
                if let (type, object) = filter.event(for: event) { subscription.push(WatchFilter.frame(type: type, object: object)) }
            }
        }
        subscriptions[subscription.id] = subscription
        return .watch(session)
    }
}
