import FakeKubeAPI
import KubeAPI
import TackHTTP
import TestSupport
import Testing

/// client-go's retry rules in `KubeClient`, against the fake API server standing in for
/// kube-apiserver with injected 429/5xx answers and dropped connections.
@Suite("Kubernetes client: retries against the fake API server")
struct KubeClientRetryTests {
    @Test("429 with Retry-After: 1 twice, then success: three requests and the call succeeds", arguments: ["GET", "PATCH"])
    func tooManyRequestsTwice(method: String) async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("settings"))
            kube.server.failNext(2, status: 429, retryAfter: "1") { $0.method == method }
            let started = ContinuousClock.now
            let answer = method == "GET"
                ? try await kube.client.get(.configMaps, name: "settings")
                : try await kube.client.mergePatch(.configMaps, name: "settings", ["data": ["k": "patched"]])
            #expect(answer.name == "settings")
            #expect(kube.calls.map(\.method) == [method, method, method])
            // Each retry waited for Retry-After (loosely: the two waits of a second happened).
            #expect(ContinuousClock.now - started >= .milliseconds(1900))
            if method == "PATCH" {
                #expect(kube.server.object(.configMaps, namespace: "prod", name: "settings")?[path: ["data", "k"]] == "patched")
            }
        }
    }

    @Test("a 5xx with an integer Retry-After is retried for a create, which then happens once")
    func serverErrorWithRetryAfter() async throws {
        try await KubeClientHarness.with { kube in
            kube.server.failNext(1, status: 503, retryAfter: "0") { $0.method == "POST" }
            let created = try await kube.client.create(.configMaps, KubeClientHarness.configMap("settings"))
            #expect(created.name == "settings")
            #expect(kube.calls.map(\.method) == ["POST", "POST"])
            #expect(kube.server.objects(.configMaps).count == 1)
        }
    }

    @Test("503 without Retry-After fails at once with a typed ServiceUnavailable")
    func serviceUnavailableWithoutRetryAfter() async throws {
        try await KubeClientHarness.with { kube in
            kube.server.failNext(1, status: 503)
            let error = await kubeErrorAsync { try await kube.client.get(.configMaps, name: "settings") }
            #expect(error?.reason == .serviceUnavailable)
            if case .status(let status) = error {
                #expect(status.code == 503)
                #expect(status.retryAfterSeconds == nil)
                #expect(status.message == "The server is currently unable to handle the request")
            }
            #expect(kube.calls.count == 1)
        }
    }

    @Test("a Retry-After that is an HTTP date, or longer than maxRetryAfter, is not waited for")
    func unusableRetryAfter() async throws {
        try await KubeClientHarness.with(client: KubeClientOptions(maxRetryAfter: .seconds(5))) { kube in
            kube.server.failNext(1, status: 429, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT")
            let dated = await kubeErrorAsync { try await kube.client.get(.configMaps, name: "settings") }
            #expect(dated?.reason == .tooManyRequests)
            kube.server.failNext(1, status: 429, retryAfter: "120")
            let long = await kubeErrorAsync { try await kube.client.get(.configMaps, name: "settings") }
            #expect(long?.reason == .tooManyRequests)
            if case .status(let status) = long { #expect(status.retryAfterSeconds == 120) }
            #expect(kube.calls.count == 2)
        }
    }

    @Test("a dropped connection on GET is retried and the GET succeeds")
    func droppedGetIsRetried() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("settings"))
            kube.server.dropNext(1) { $0.method == "GET" }
            #expect(try await kube.client.get(.configMaps, name: "settings").name == "settings")
            #expect(kube.calls.map(\.method) == ["GET", "GET"])
        }
    }

    @Test("a dropped connection on PATCH is not retried: the write may have happened, and the error is a transport error")
    func droppedPatchIsNotRetried() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("settings"))
            kube.server.dropNext(1) { $0.method == "PATCH" }
            let error = await kubeErrorAsync { try await kube.client.mergePatch(.configMaps, name: "settings", ["data": ["k": "patched"]]) }
            guard case .transport(let transport) = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(transport.method == .patch)
            #expect(transport.path == "/api/v1/namespaces/prod/configmaps/settings")
            #expect(kube.calls.map(\.method) == ["PATCH"])
        }
    }

    @Test("a refused connection is not retried, as in client-go: the GET fails at once with a connection error")
    func refusedConnection() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let address = "http://127.0.0.1:\(refusing.port)"
        let client = try KubeClient(connection: KubeConnection(server: address, origin: "a port nothing listens on"),
                                    options: KubeClientOptions(maxRetries: 3))
        defer { client.shutdown() }
        let started = ContinuousClock.now
        let error = await kubeErrorAsync { try await client.get(.configMaps, name: "settings") }
        guard case .transport(let transport) = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(transport.kind == .connection)
        #expect(client.retries == 0)
        // Three retries would have waited a second each; the bound is loose for loaded CI machines.
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("maxRetries bounds the retries of 429 answers: 1 + 2 requests, then the typed TooManyRequests")
    func maxRetriesOfStatus() async throws {
        try await KubeClientHarness.with(client: KubeClientOptions(maxRetries: 2)) { kube in
            kube.server.failNext(5, status: 429, retryAfter: "0")
            let error = await kubeErrorAsync { try await kube.client.get(.configMaps, name: "settings") }
            #expect(error?.reason == .tooManyRequests)
            if case .status(let status) = error { #expect(status.retryAfterSeconds == 0) }
            #expect(kube.calls.count == 3 && kube.client.retries == 2)
        }
    }

    @Test("maxRetries bounds the retries of dropped GETs too")
    func maxRetriesOfConnectionErrors() async throws {
        try await KubeClientHarness.with(client: KubeClientOptions(maxRetries: 1)) { kube in
            kube.server.dropNext(5)
            let error = await kubeErrorAsync { try await kube.client.get(.configMaps, name: "settings") }
            guard case .transport = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(kube.calls.count == 2)
        }
    }
}
