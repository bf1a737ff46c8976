import FakeKubeAPI
import KubeAPI
import Testing

/// Paged lists (`limit`/`continue`) against the fake API server, which stands in for kube-apiserver
/// with consistent snapshots and continue tokens that expire with the history.
@Suite("Kubernetes client: paged lists against the fake API server")
struct KubeClientListTests {
    /// Seven ConfigMaps `c0`…`c6` in `prod` and one elsewhere.
    static func seed(_ server: FakeKubeAPIServer) throws {
        for index in 0..<7 {
            try server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("c\(index)"))
        }
        try server.create(.configMaps, namespace: "staging", KubeClientHarness.configMap("other"))
    }

    @Test("seven objects with page size 3 take three requests with limit and continue, and give all seven at one resourceVersion")
    func pages() async throws {
        try await KubeClientHarness.with { kube in
            try Self.seed(kube.server)
            let version = kube.server.resourceVersion
            let list = try await kube.client.list(.configMaps, pageSize: 3)
            #expect(list.items.compactMap(\.name) == (0..<7).map { "c\($0)" })
            #expect(list.resourceVersion == version)
            #expect(list.continueToken == nil)
            // Items come back typed, although the server leaves apiVersion and kind out of list items.
            #expect(list.items.allSatisfy { $0["apiVersion"] == "v1" && $0["kind"] == "ConfigMap" })
            #expect(list.items == kube.server.objects(.configMaps, namespace: "prod"))

            let requests = kube.calls
            #expect(requests.count == 3)
            #expect(requests.allSatisfy { $0.method == "GET" && $0.path == "/api/v1/namespaces/prod/configmaps" && $0.query["limit"] == "3" })
            #expect(requests[0].query["continue"] == nil)
            #expect(requests[1].query["continue"] != nil)
            #expect(requests[2].query["continue"] != nil)
            #expect(requests[1].query["continue"] != requests[2].query["continue"])
        }
    }

    @Test("later pages come from the first page's snapshot, even when objects change between pages")
    func consistentSnapshot() async throws {
        try await KubeClientHarness.with { kube in
            try Self.seed(kube.server)
            let first = try await kube.client.listPage(.configMaps, limit: 3)
            try kube.server.delete(.configMaps, namespace: "prod", name: "c5")
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("c9"))
            let token = try #require(first.continueToken)
            let second = try await kube.client.listPage(.configMaps, limit: 10, continueToken: token)
            #expect(second.items.compactMap(\.name) == ["c3", "c4", "c5", "c6"])
            #expect(second.resourceVersion == first.resourceVersion)
            #expect(second.continueToken == nil)
        }
    }

    @Test("a continue token older than the history is a typed Expired")
    func expiredToken() async throws {
        try await KubeClientHarness.with { kube in
            try Self.seed(kube.server)
            let token = try #require(try await kube.client.listPage(.configMaps, limit: 3).continueToken)
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("c7"))
            kube.server.expireHistory()
            let error = await kubeErrorAsync { try await kube.client.listPage(.configMaps, limit: 3, continueToken: token) }
            #expect(error?.reason == .expired)
            if case .status(let status) = error {
                #expect(status.code == 410)
                #expect(status.message.hasPrefix("The provided continue parameter is too old to display a consistent list result."))
            }
        }
    }

    @Test("an expired continue token restarts the list once from the beginning, giving a whole list")
    func restartAfterExpiredToken() async throws {
        try await KubeClientHarness.with { kube in
            try Self.seed(kube.server)
            // The second page's continue token has expired, as the fake answers after compaction
            // (see expiredToken): 410 Expired with the server's message.
            kube.server.failNext(1, status: 410, message: "The provided continue parameter is too old to display a consistent list result.") {
                $0.query["continue"] != nil
            }
            let list = try await kube.client.list(.configMaps, pageSize: 3)
            #expect(list.items.compactMap(\.name) == (0..<7).map { "c\($0)" })
            #expect(list.resourceVersion == kube.server.resourceVersion)
            let requests = kube.calls
            #expect(requests.map { $0.query["continue"] == nil } == [true, false, true, false, false])
        }
    }

    @Test("a second expired continue token after the restart fails the list with Expired")
    func restartOnlyOnce() async throws {
        try await KubeClientHarness.with { kube in
            try Self.seed(kube.server)
            kube.server.failNext(2, status: 410, message: "The provided continue parameter is too old to display a consistent list result.") {
                $0.query["continue"] != nil
            }
            let error = await kubeErrorAsync { try await kube.client.list(.configMaps, pageSize: 3) }
            #expect(error?.reason == .expired)
            #expect(kube.calls.count == 4)
        }
    }

    @Test("label and field selectors reach the server and pick the objects")
    func selectors() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment("web", labels: ["track": "canary"]))
            try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment("api", labels: ["track": "stable"]))
            let canaries = try await kube.client.list(.deployments, selector: .labels(["track": "canary"]))
            #expect(canaries.items.compactMap(\.name) == ["web"])
            let named = try await kube.client.list(.deployments, selector: .named("api"))
            #expect(named.items.compactMap(\.name) == ["api"])
            #expect(kube.calls.map { $0.query["labelSelector"] ?? $0.query["fieldSelector"] } == ["track=canary", "metadata.name=api"])
        }
    }
}
