import FakeKubeAPI
import KubeAPI
import Synchronization
import Testing

/// Everything an informer's `changes()` stream yields, collected in the background.
final class InformerChangeLog: Sendable {
    private let log = Mutex<[WatchEvent]>([])
    private let reader = Mutex<Task<Void, Never>?>(nil)

    init(_ informer: Informer) {
        let stream = informer.changes()
        let task = Task { [weak self] in
            for await event in stream { self?.log.withLock { $0.append(event) } }
        }
        reader.withLock { $0 = task }
    }

    deinit {
        reader.withLock { $0?.cancel() }
    }

    /// The changes so far.
    var events: [WatchEvent] { log.withLock { $0 } }

    /// The changes so far as `KIND name`, such as `DELETED web`.
    var summary: [String] { events.map { "\($0.kind.rawValue) \($0.object.name ?? "?")" } }
}

extension KubeClientHarness {
    /// The server's ConfigMaps in `prod`, by name, as an informer caches them.
    var configMapsByName: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: server.objects(.configMaps, namespace: "prod").map { ($0.name ?? "", $0) })
    }

    /// A started informer of the ConfigMaps in `prod`, once it has synced and its watch is open.
    func syncedInformer(watchTimeoutSeconds: ClosedRange<Int> = 300...600) async throws -> Informer {
        let informer = Informer(client: client, resource: .configMaps, watchTimeoutSeconds: watchTimeoutSeconds)
        informer.start()
        try await informer.waitUntilSynced(timeout: .seconds(10))
        try #require(await KubeClientHarness.eventually { server.openWatchCount == 1 }, "the informer's watch never opened")
        return informer
    }
}

/// `Informer` against the fake API server, which stands in for kube-apiserver: list then watch,
/// resuming from the last resourceVersion (bookmarks included) after a dropped watch, re-listing
/// after 410 in both of the server's flavours, and the caller's own writes.
@Suite("Kubernetes client: informers against the fake API server")
struct InformerTests {
    @Test("an informer syncs from a list, then follows ADDED, MODIFIED and DELETED")
    func syncAndFollow() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("a"))
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("b"))
            try kube.server.create(.configMaps, namespace: "staging", KubeClientHarness.configMap("elsewhere"))
            let informer = try await kube.syncedInformer()
            defer { informer.stop() }
            #expect(informer.isSynced)
            #expect(informer.objects == kube.configMapsByName)
            #expect(informer.listCount == 1)
            let listed = try #require(informer.resourceVersion)
            #expect(listed == kube.server.resourceVersion)

            let changes = InformerChangeLog(informer)
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("c"))
            try kube.server.update(.configMaps, namespace: "prod", name: "a") { $0["data"]?["k"] = "changed" }
            try kube.server.delete(.configMaps, namespace: "prod", name: "b")
            #expect(await KubeClientHarness.eventually { changes.events.count == 3 })
            #expect(changes.summary == ["ADDED c", "MODIFIED a", "DELETED b"])
            #expect(informer.objects == kube.configMapsByName)
            #expect(informer.object(named: "a")?[path: ["data", "k"]] == "changed")
            #expect(informer.resourceVersion == kube.server.resourceVersion)
            #expect(informer.listCount == 1)
            #expect(kube.watches.first?.query["resourceVersion"] == listed)
        }
    }

    @Test("after a dropped watch the informer resumes from its last resourceVersion without re-listing, and loses no change")
    func resumeAfterDrop() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("a"))
            let informer = try await kube.syncedInformer()
            defer { informer.stop() }
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("b"))
            #expect(await KubeClientHarness.eventually { informer.object(named: "b") != nil })
            let lastSeen = try #require(informer.resourceVersion)
            #expect(lastSeen == kube.server.resourceVersion)
            let changes = InformerChangeLog(informer)

            kube.server.closeWatches()
            // Made while the informer is disconnected (it backs off for a second first).
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("c"))
            try kube.server.delete(.configMaps, namespace: "prod", name: "a")
            #expect(await KubeClientHarness.eventually { changes.events.count >= 2 })
            #expect(changes.summary == ["ADDED c", "DELETED a"])
            #expect(informer.objects == kube.configMapsByName)
            #expect(informer.listCount == 1)
            #expect(kube.calls.count == 1)
            let watches = kube.watches
            #expect(watches.count == 2)
            #expect(watches.last?.query["resourceVersion"] == lastSeen)
            #expect(watches.last?.query["allowWatchBookmarks"] == "true")
        }
    }

    @Test("a watch that times out is reopened at once from the last resourceVersion, without re-listing")
    func reopenAfterTimeout() async throws {
        try await KubeClientHarness.with { kube in
            let informer = try await kube.syncedInformer(watchTimeoutSeconds: 1...1)
            defer { informer.stop() }
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("a"))
            #expect(await KubeClientHarness.eventually { kube.watches.count >= 2 && kube.server.openWatchCount == 1 })
            #expect(kube.watches[1].query["resourceVersion"] == kube.server.resourceVersion)
            #expect(kube.watches.allSatisfy { $0.query["timeoutSeconds"] == "1" })
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("b"))
            #expect(await KubeClientHarness.eventually { informer.object(named: "b") != nil })
            #expect(informer.listCount == 1)
        }
    }

    @Test("bookmarks advance the informer's resourceVersion, and a resumed watch starts from the bookmark")
    func bookmarksAdvance() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("a"))
            let informer = try await kube.syncedInformer()
            defer { informer.stop() }
            let changes = InformerChangeLog(informer)
            let listed = informer.resourceVersion
            // Changes the informer does not watch move the resourceVersion on; a bookmark says so.
            try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment("web"))
            try kube.server.create(.configMaps, namespace: "staging", KubeClientHarness.configMap("elsewhere"))
            let bookmarked = kube.server.resourceVersion
            #expect(listed != bookmarked)
            kube.server.sendBookmark()
            #expect(await KubeClientHarness.eventually { informer.resourceVersion == bookmarked })
            #expect(informer.objects == kube.configMapsByName)

            kube.server.closeWatches()
            #expect(await KubeClientHarness.eventually { kube.watches.count == 2 && kube.server.openWatchCount == 1 })
            #expect(kube.watches.last?.query["resourceVersion"] == bookmarked)
            #expect(informer.listCount == 1)
            #expect(changes.events.isEmpty)
        }
    }

    @Test("an in-stream 410 ERROR on a running watch makes the informer re-list; an object deleted meanwhile is a DELETED change")
    func relistAfterExpiredWatch() async throws {
        try await KubeClientHarness.with { kube in
            for name in ["a", "b"] { try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap(name)) }
            let informer = try await kube.syncedInformer()
            defer { informer.stop() }
            let changes = InformerChangeLog(informer)
            // The re-list first meets a 503 with Retry-After: 1, so the changes below happen while
            // the informer has neither a watch nor a list.
            kube.server.failNext(1, status: 503, retryAfter: "1") { $0.method == "GET" && !$0.isWatch }
            kube.server.expireWatches()
            try kube.server.delete(.configMaps, namespace: "prod", name: "a")
            try kube.server.update(.configMaps, namespace: "prod", name: "b") { $0["data"]?["k"] = "changed" }
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("c"))

            #expect(await KubeClientHarness.eventually { informer.listCount == 2 && changes.events.count >= 3 })
            #expect(informer.objects == kube.configMapsByName)
            #expect(Set(changes.summary) == ["DELETED a", "MODIFIED b", "ADDED c"])
            #expect(changes.events.count == 3)
            #expect(changes.events.first { $0.kind == .deleted }?.object.name == "a")
            #expect(kube.calls.count == 3)

            // It then watches from the new list's resourceVersion.
            #expect(await KubeClientHarness.eventually { kube.server.openWatchCount == 1 })
            #expect(kube.watches.last?.query["resourceVersion"] == informer.resourceVersion)
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("d"))
            #expect(await KubeClientHarness.eventually { informer.object(named: "d") != nil })
            #expect(informer.listCount == 2)
        }
    }

    @Test("a 410 when the informer re-opens its watch (as HTTP status or in-stream ERROR) makes it re-list and catch up", arguments: [
        ExpiredWatchResponse.httpStatus, .errorEvent,
    ])
    func relistAfterExpiredResume(_ flavour: ExpiredWatchResponse) async throws {
        try await KubeClientHarness.with(options: FakeKubeAPIOptions(expiredWatch: flavour)) { kube in
            for name in ["a", "b"] { try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap(name)) }
            let informer = try await kube.syncedInformer()
            defer { informer.stop() }
            let changes = InformerChangeLog(informer)
            let lastSeen = informer.resourceVersion

            kube.server.closeWatches()
            try kube.server.delete(.configMaps, namespace: "prod", name: "a")
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("c"))
            kube.server.expireHistory()

            #expect(await KubeClientHarness.eventually { informer.listCount == 2 && changes.events.count >= 2 })
            #expect(informer.objects == kube.configMapsByName)
            #expect(Set(changes.summary) == ["DELETED a", "ADDED c"])
            #expect(changes.events.count == 2)
            #expect(await KubeClientHarness.eventually { kube.server.openWatchCount == 1 })
            let watches = kube.watches
            #expect(watches.count == 3)
            #expect(watches[1].query["resourceVersion"] == lastSeen)
            #expect(watches[2].query["resourceVersion"] == informer.resourceVersion)
        }
    }

    @Test("record and forget make the caller's own writes visible at once, before the watch delivers them")
    func ownWrites() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("old"))
            let informer = try await kube.syncedInformer()
            defer { informer.stop() }
            // With the watch down for a second, only record and forget can show the writes.
            kube.server.closeWatches()
            let created = try await kube.client.create(.configMaps, KubeClientHarness.configMap("new"))
            informer.record(created)
            #expect(informer.object(named: "new") == created)
            #expect(try await kube.client.delete(.configMaps, name: "old"))
            informer.forget(name: "old")
            #expect(informer.object(named: "old") == nil)
            #expect(informer.objects == kube.configMapsByName)

            #expect(await KubeClientHarness.eventually { kube.watches.count == 2 && kube.server.openWatchCount == 1 })
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("later"))
            #expect(await KubeClientHarness.eventually { informer.object(named: "later") != nil })
            #expect(informer.objects == kube.configMapsByName)
            #expect(informer.listCount == 1)
        }
    }

    @Test("record keeps a newer version the watch already delivered")
    func recordKeepsNewer() async throws {
        try await KubeClientHarness.with { kube in
            let written = try await kube.client.create(.configMaps, KubeClientHarness.configMap("a"))
            let informer = try await kube.syncedInformer()
            defer { informer.stop() }
            let newer = try kube.server.update(.configMaps, namespace: "prod", name: "a") { $0["data"]?["k"] = "newer" }
            #expect(await KubeClientHarness.eventually { informer.object(named: "a") == newer })
            // The caller records its own, older write late.
            informer.record(written)
            #expect(informer.object(named: "a") == newer)
        }
    }

    /// Whether the fake's watches all closed, making changes a watch would carry until then: the
    /// fake notices a watch connection the client closed only when a write to it fails.
    private static func watchesClosed(_ kube: KubeClientHarness) async throws -> Bool {
        var pokes = 0
        return try await KubeClientHarness.eventually {
            pokes += 1
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("poke-\(pokes)"))
            return kube.server.openWatchCount == 0
        }
    }

    @Test("stop ends the watch and the changes streams; the cache keeps its contents")
    func stop() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("a"))
            let informer = try await kube.syncedInformer()
            let stream = informer.changes()
            informer.stop()
            #expect(try await Self.watchesClosed(kube))
            var iterator = stream.makeAsyncIterator()
            #expect(await iterator.next() == nil)
            #expect(informer.object(named: "a") != nil)
            #expect(informer.object(named: "poke-1") == nil)
            #expect(kube.watches.count == 1)
        }
    }

    @Test("an informer let go without stop is freed and stops watching")
    func releasedInformerStops() async throws {
        try await KubeClientHarness.with { kube in
            weak var released: Informer?
            do {
                let informer = try await kube.syncedInformer()
                released = informer
                #expect(informer.isSynced)
            }
            #expect(await KubeClientHarness.eventually { released == nil })
            #expect(try await Self.watchesClosed(kube))
            #expect(kube.watches.count == 1)
        }
    }
}
