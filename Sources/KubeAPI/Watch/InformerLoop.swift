/// An informer's list-then-watch loop, as client-go's Reflector runs it: it resumes a dropped or
/// ended watch from the last resourceVersion (bookmarks included), re-lists after 410, and backs
/// off from 1 s to 30 s while the server cannot be reached. It holds the client and the cache, not
/// the informer, so an informer that is let go stops it.
struct InformerLoop: Sendable {
    static let initialBackoff = Duration.seconds(1)
    static let maxBackoff = Duration.seconds(30)

    let client: KubeClient
    let resource: KubeResource
    let namespace: String?
    let selector: ListSelector
    /// Server-side watch timeout range in seconds.
    let watchTimeout: ClosedRange<Int>
    let cache: InformerCache
    /// Waits out a back-off; tests pass one that records the durations.
    var pause: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    /// Lists, then watches until cancelled.
    func run() async {
        var backoff = Self.initialBackoff
        var needsList = true
        while !Task.isCancelled {
            let listed = needsList
            let failure: KubeError
            do {
                if needsList {
                    cache.replace(with: try await client.list(resource, namespace: namespace, selector: selector))
                    needsList = false
                }
                let stream = try await client.watch(resource, namespace: namespace, selector: selector,
                                                    resourceVersion: cache.state.withLock(\.resourceVersion),
                                                    timeoutSeconds: Int.random(in: watchTimeout))
                // The server took the watch: whatever ends it, the next attempt starts from the shortest wait.
                backoff = Self.initialBackoff
                try await follow(stream)
                continue
            } catch {
                failure = error
            }
            if case .cancelled = failure { return }
            // A resourceVersion too old for the server: list again, at once unless this attempt
            // listed already (then the server is in trouble and gets the back-off).
            if failure.reason == .expired {
                needsList = true
                if !listed { continue }
            }
            cache.noteFailure(failure)
            do { try await pause(backoff) } catch { return }
            backoff = min(backoff * 2, Self.maxBackoff)
        }
    }

    /// Applies the events of one watch until the server ends it; an ERROR event throws its Status.
    private func follow(_ stream: WatchStream) async throws(KubeError) {
        defer { stream.cancel() }
        for try await event in stream {
            if event.kind == .error { throw KubeError.status(event.status) }
            cache.apply(event)
        }
    }
}
