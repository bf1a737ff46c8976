import FakeKubeAPI
import KubeAPI
import Testing

extension WatchStream {
    /// Up to `count` events, fewer when the stream ends first; the watch is cancelled after
    /// `timeout`, which then throws `.cancelled`.
    func firstEvents(_ count: Int = .max, within timeout: Duration = .seconds(10)) async throws(KubeError) -> [WatchEvent] {
        let watchdog = Task { [self] in
            try await Task.sleep(for: timeout)
            cancel()
        }
        defer { watchdog.cancel() }
        var events: [WatchEvent] = []
        var iterator = makeAsyncIterator()
        while events.count < count, let event = try await iterator.next() {
            events.append(event)
        }
        return events
    }
}

/// `KubeClient.watch` and `WatchStream` against the fake API server, which stands in for
/// kube-apiserver's chunked watches with bookmarks, timeouts and 410 expiry.
@Suite("Kubernetes client: watch streams against the fake API server")
struct WatchStreamTests {
    @Test("events decode however the server cuts them into chunks: split, scattered or several to a chunk", arguments: [
        WatchChunking.splitEvents(pieces: 3, pause: .milliseconds(5)), .scattered(pieceSize: 7, pause: .milliseconds(1)),
        .scattered(pieceSize: 1, pause: .zero), .coalesced(window: .milliseconds(50)),
    ])
    func chunking(_ chunking: WatchChunking) async throws {
        try await KubeClientHarness.with(options: FakeKubeAPIOptions(watchChunking: chunking)) { kube in
            let stream = try await kube.client.watch(.configMaps, resourceVersion: kube.server.resourceVersion)
            defer { stream.cancel() }
            var stored: [JSONValue] = []
            for index in 0..<4 {
                stored.append(try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("c\(index)", ["text": "a \"quoted\"\nline"])))
            }
            stored.append(try kube.server.update(.configMaps, namespace: "prod", name: "c1") { $0["data"]?["text"] = "changed" })
            try kube.server.delete(.configMaps, namespace: "prod", name: "c2")
            let events = try await stream.firstEvents(6)
            #expect(events.map(\.kind) == [.added, .added, .added, .added, .modified, .deleted])
            #expect(Array(events.prefix(5).map(\.object)) == stored)
            #expect(events.last?.object.name == "c2")
            #expect(events.last?.object.resourceVersion == kube.server.resourceVersion)
        }
    }

    @Test("a watch from a resourceVersion sees only later changes; without one it starts with ADDED for what exists")
    func fromResourceVersion() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("old"))
            let version = kube.server.resourceVersion
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("new"))
            try kube.server.update(.configMaps, namespace: "prod", name: "old") { $0["data"]?["k"] = "changed" }
            try kube.server.create(.configMaps, namespace: "staging", KubeClientHarness.configMap("elsewhere"))

            let resumed = try await kube.client.watch(.configMaps, resourceVersion: version)
            defer { resumed.cancel() }
            let later = try await resumed.firstEvents(2)
            #expect(later.map(\.kind) == [.added, .modified])
            #expect(later.map(\.object.name) == ["new", "old"])
            #expect(later.last?.object[path: ["data", "k"]] == "changed")

            let fresh = try await kube.client.watch(.configMaps, resourceVersion: nil, timeoutSeconds: 1)
            let all = try await fresh.firstEvents()
            #expect(all.map(\.kind) == [.added, .added])
            #expect(all.map(\.object.name) == ["new", "old"])

            let requests = kube.watches
            #expect(requests.count == 2)
            #expect(requests.allSatisfy { $0.path == "/api/v1/namespaces/prod/configmaps" })
            #expect(requests[0].query == ["watch": "1", "allowWatchBookmarks": "true", "timeoutSeconds": "300", "resourceVersion": version])
            #expect(requests[1].query == ["watch": "1", "allowWatchBookmarks": "true", "timeoutSeconds": "1"])
        }
    }

    @Test("BOOKMARK events arrive when the server sends them, carrying only the resourceVersion to resume from")
    func bookmarks() async throws {
        try await KubeClientHarness.with { kube in
            let stream = try await kube.client.watch(.configMaps, resourceVersion: kube.server.resourceVersion)
            defer { stream.cancel() }
            // A change this watch does not see moves the resourceVersion on.
            try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment("web"))
            kube.server.sendBookmark()
            let events = try await stream.firstEvents(1)
            #expect(events.map(\.kind) == [.bookmark])
            #expect(events.first?.object.resourceVersion == kube.server.resourceVersion)
            #expect(events.first?.object.name == nil)
            #expect(events.first?.object["kind"] == "ConfigMap")
        }
    }

    @Test("timeoutSeconds ends the stream cleanly: the sequence finishes without an error")
    func timeoutEndsCleanly() async throws {
        try await KubeClientHarness.with { kube in
            let stream = try await kube.client.watch(.configMaps, resourceVersion: kube.server.resourceVersion, timeoutSeconds: 1)
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("during"))
            let events = try await stream.firstEvents(within: .seconds(10))
            #expect(events.map(\.kind) == [.added])
            #expect(kube.watches.last?.query["timeoutSeconds"] == "1")
        }
    }

    @Test("a cut watch connection ends the sequence with a transport error; a clean end finishes it")
    func droppedAndEnded() async throws {
        try await KubeClientHarness.with { kube in
            let dropped = try await kube.client.watch(.configMaps, resourceVersion: kube.server.resourceVersion)
            kube.server.closeWatches()
            let error = await kubeErrorAsync { try await dropped.firstEvents() }
            guard case .transport = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            let ended = try await kube.client.watch(.configMaps, resourceVersion: kube.server.resourceVersion)
            kube.server.endWatches()
            #expect(try await ended.firstEvents().isEmpty)
        }
    }

    @Test("a resourceVersion older than the history is a typed Expired when the watch opens (HTTP 410)")
    func expiredOnOpen() async throws {
        try await KubeClientHarness.with(options: FakeKubeAPIOptions(expiredWatch: .httpStatus)) { kube in
            for name in ["p1", "p2", "p3"] {
                try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap(name))
            }
            kube.server.compact(keepingLast: 1)
            let error = await kubeErrorAsync { try await kube.client.watch(.configMaps, resourceVersion: "2") }
            #expect(error?.reason == .expired)
            guard case .status(let status) = error else { return }
            #expect(status.code == 410)
            #expect(status.message == "too old resource version: 2 (4)")
            #expect(status.request == "GET /api/v1/namespaces/prod/configmaps (watch)")
        }
    }

    @Test("a resourceVersion older than the history may instead come as an in-stream ERROR event carrying the 410 Status")
    func expiredInStream() async throws {
        try await KubeClientHarness.with(options: FakeKubeAPIOptions(expiredWatch: .errorEvent)) { kube in
            for name in ["p1", "p2", "p3"] {
                try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap(name))
            }
            kube.server.compact(keepingLast: 1)
            let stream = try await kube.client.watch(.configMaps, resourceVersion: "2")
            let events = try await stream.firstEvents()
            #expect(events.map(\.kind) == [.error])
            #expect(events.first?.object["code"] == 410)
            #expect(events.first?.object["reason"] == "Expired")
        }
    }

    @Test("requests still go through while many watches are open, each holding its own connection")
    func manyWatches() async throws {
        try await KubeClientHarness.with(client: KubeClientOptions(requestTimeout: .seconds(5))) { kube in
            var streams: [WatchStream] = []
            defer { for stream in streams { stream.cancel() } }
            for _ in 0..<12 {
                // A short timeout, so that a watch left waiting for a connection fails the test soon.
                streams.append(try await kube.client.watch(.configMaps, resourceVersion: kube.server.resourceVersion, timeoutSeconds: 10))
            }
            #expect(kube.server.openWatchCount == 12)
            let created = try await kube.client.create(.configMaps, KubeClientHarness.configMap("during"))
            #expect(try await kube.client.get(.configMaps, name: "during") == created)
            for stream in streams {
                #expect(try await stream.firstEvents(1).map(\.object) == [created])
            }
        }
    }

    @Test("a watch with a name selector sees only that object")
    func namedObject() async throws {
        try await KubeClientHarness.with { kube in
            let stream = try await kube.client.watch(.deployments, selector: .named("web"), resourceVersion: kube.server.resourceVersion)
            defer { stream.cancel() }
            try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment("api"))
            try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment("web"))
            let events = try await stream.firstEvents(1)
            #expect(events.map(\.object.name) == ["web"])
            #expect(kube.watches.last?.query["fieldSelector"] == "metadata.name=web")
        }
    }
}
