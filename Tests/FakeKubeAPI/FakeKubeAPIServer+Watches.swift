/// Watch and history controls: bookmarks on demand, dropped or ended watches, compaction.
extension FakeKubeAPIServer {
    /// Sends a BOOKMARK at the current resourceVersion to every watch that allowed bookmarks.
    public func sendBookmark() {
        core.state.withLock { $0.sendBookmarks() }
    }

    /// Cuts every open watch's connection without finishing the chunked body.
    public func closeWatches() {
        core.closeWatches(.abrupt)
    }

    /// Ends every open watch cleanly, as a `timeoutSeconds` expiry does.
    public func endWatches() {
        core.closeWatches(.clean)
    }

    /// Sends every open watch an `ERROR` event with a 410 Expired Status and ends it cleanly, and
    /// forgets the history, so that resuming from any earlier resourceVersion also gets 410.
    public func expireWatches() {
        core.expireWatches()
    }

    /// The number of watches open now.
    public var openWatchCount: Int {
        core.state.withLock { $0.subscriptions.count }
    }

    /// Forgets all but the newest `count` changes: older resourceVersions expire (410) for watches
    /// and list continuations.
    public func compact(keepingLast count: Int) {
        core.state.withLock { $0.store.compact(keepingLast: count) }
    }

    /// Forgets every change: any resourceVersion older than the current one has expired.
    public func expireHistory() {
        core.state.withLock { $0.store.expireHistory() }
    }

    /// The current resourceVersion (that of the latest write).
    public var resourceVersion: String {
        core.state.withLock { String($0.store.revision) }
    }
}
