import FakeKubeAPI
import Foundation
import KubeAPI
import Testing

/// A started fake API server, which stands in for kube-apiserver, and a `KubeClient` on it whose
/// connection's namespace is `prod`; `with` shuts the client down and stops the server whatever
/// the test does.
struct KubeClientHarness {
    let server: FakeKubeAPIServer
    let client: KubeClient

    static func with(options: FakeKubeAPIOptions = FakeKubeAPIOptions(), client clientOptions: KubeClientOptions = KubeClientOptions(),
                     credentials: any CredentialSource = FixedCredential(.none),
                     _ body: (KubeClientHarness) async throws -> Void) async throws {
        try await FakeKubeAPIServer.with(options: options) { server in
            let connection = KubeConnection(server: server.baseURL, namespace: "prod", credentials: credentials,
                                            origin: "the fake API server")
            let client = try KubeClient(connection: connection, options: clientOptions)
            defer { client.shutdown() }
            try await body(KubeClientHarness(server: server, client: client))
        }
    }

    /// The requests the fake received that are not watches, oldest first.
    var calls: [RecordedRequest] { server.requests.filter { !$0.isWatch } }

    /// The watch requests the fake received, oldest first.
    var watches: [RecordedRequest] { server.requests.filter(\.isWatch) }

    /// Polls `condition` every 10 ms until it holds; false when `timeout` passes first.
    static func eventually(within timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }

    /// A ConfigMap manifest named `name` with `data`.
    static func configMap(_ name: String, _ data: [String: String] = ["k": "v"]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": .object(data.mapValues { .string($0) })]
    }
}


/// The REST verbs of `KubeClient` against the fake API server, which stands in for kube-apiserver:
/// typed Status errors with the server's reasons and messages, server-side apply as field manager
/// `tack`, merge patches, optimistic concurrency and delete.
@Suite("Kubernetes client: REST verbs against the fake API server")
struct KubeClientTests {
    @Test("create then get return the stored object; creating it again is a typed AlreadyExists naming the object")
    func createGetAlreadyExists() async throws {
        try await KubeClientHarness.with { kube in
            let created = try await kube.client.create(.deployments, FakeAPIServerHarness.deployment("web"))
            #expect(created.name == "web")
            #expect(created.namespace == "prod")
            #expect(created.resourceVersion == kube.server.resourceVersion)
            let read = try await kube.client.get(.deployments, name: "web")
            #expect(read == created)
            #expect(read == kube.server.object(.deployments, namespace: "prod", name: "web"))

            let error = await kubeErrorAsync { try await kube.client.create(.deployments, FakeAPIServerHarness.deployment("web")) }
            guard case .status(let status) = error else {
                Issue.record("expected a Status error, got \(String(describing: error))")
                return
            }
            #expect(status.reason == .alreadyExists)
            #expect(status.code == 409)
            #expect(status.message == "deployments.apps \"web\" already exists")
            #expect(status.request == "POST /apis/apps/v1/namespaces/prod/deployments")
            #expect(error?.description == "POST /apis/apps/v1/namespaces/prod/deployments answered 409 AlreadyExists: deployments.apps \"web\" already exists")
            #expect(kube.calls.map(\.method) == ["POST", "GET", "POST"])
            #expect(kube.calls.first?.contentType == "application/json")
        }
    }

    @Test("get of a missing object is a typed NotFound; getIfPresent gives nil")
    func missingObject() async throws {
        try await KubeClientHarness.with { kube in
            let error = await kubeErrorAsync { try await kube.client.get(.deployments, name: "absent") }
            #expect(error?.reason == .notFound)
            if case .status(let status) = error {
                #expect(status.code == 404)
                #expect(status.message == "deployments.apps \"absent\" not found")
            }
            #expect(try await kube.client.getIfPresent(.deployments, name: "absent") == nil)
            try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment("present"))
            #expect(try await kube.client.getIfPresent(.deployments, name: "present")?.name == "present")
            #expect(kube.calls.count == 3)
        }
    }

    @Test("server-side apply creates, then updates, as field manager tack with force, sending application/apply-patch+yaml")
    func applyCreatesThenUpdates() async throws {
        try await KubeClientHarness.with { kube in
            let created = try await kube.client.apply(.deployments, FakeAPIServerHarness.deployment("web", replicas: 2))
            #expect(created[path: ["spec", "replicas"]] == 2)
            #expect(ManagedFields(created).owns("tack", ["f:spec", "f:replicas"]))
            let updated = try await kube.client.apply(.deployments, FakeAPIServerHarness.deployment("web", replicas: 4))
            #expect(updated[path: ["spec", "replicas"]] == 4)
            #expect(updated.generation == 2)
            #expect(kube.server.object(.deployments, namespace: "prod", name: "web")?[path: ["spec", "replicas"]] == 4)

            let requests = kube.calls
            #expect(requests.count == 2)
            for request in requests {
                #expect(request.method == "PATCH")
                #expect(request.path == "/apis/apps/v1/namespaces/prod/deployments/web")
                #expect(request.contentType == "application/apply-patch+yaml")
                #expect(request.query == ["fieldManager": "tack", "force": "true"])
                #expect(request.json?[path: ["metadata", "managedFields"]] == nil)
            }
            #expect(requests.last?.json == FakeAPIServerHarness.deployment("web", replicas: 4))
        }
    }

    @Test("apply without force against another manager's field is a typed Conflict with a FieldManagerConflict cause naming the field")
    func applyConflict() async throws {
        try await KubeClientHarness.with { kube in
            // Another manager (an autoscaler writing through PUT) owns spec.replicas.
            try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment("web", replicas: 2), manager: "autoscaler")
            let error = await kubeErrorAsync {
                try await kube.client.apply(.deployments, FakeAPIServerHarness.deployment("web", replicas: 5), force: false)
            }
            guard case .status(let status) = error else {
                Issue.record("expected a Status error, got \(String(describing: error))")
                return
            }
            #expect(status.reason == .conflict)
            #expect(status.code == 409)
            #expect(status.message.hasPrefix("Apply failed with 1 conflict: conflict with \"autoscaler\" using apps/v1"))
            #expect(status.causes.count == 1)
            #expect(status.causes.first?.reason == "FieldManagerConflict")
            #expect(status.causes.first?.field == ".spec.replicas")
            #expect(status.causes.first?.message?.hasPrefix("conflict with \"autoscaler\"") == true)
            #expect(status.description.contains(".spec.replicas: conflict with \"autoscaler\""))
            #expect(kube.calls.last?.query == ["fieldManager": "tack"])
            #expect(kube.server.object(.deployments, namespace: "prod", name: "web")?[path: ["spec", "replicas"]] == 2)

            // With force (the default) tack takes the field over.
            let forced = try await kube.client.apply(.deployments, FakeAPIServerHarness.deployment("web", replicas: 5))
            #expect(forced[path: ["spec", "replicas"]] == 5)
            #expect(ManagedFields(forced).owns("tack", ["f:spec", "f:replicas"]))
            #expect(!ManagedFields(forced).owns("autoscaler", ["f:spec", "f:replicas"]))
        }
    }

    @Test("a merge patch changes only the fields it names and is sent as application/merge-patch+json without force")
    func mergePatch() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.deployments, namespace: "prod", FakeAPIServerHarness.deployment("web", replicas: 2, labels: ["team": "a"]))
            let patched = try await kube.client.mergePatch(.deployments, name: "web", ["spec": ["replicas": 6], "metadata": ["labels": ["team": nil]]])
            #expect(patched[path: ["spec", "replicas"]] == 6)
            #expect(patched.labels == ["app": "web"])
            #expect(patched[path: ["spec", "template", "spec", "containers"]]?.array?.count == 1)
            let request = try #require(kube.calls.last)
            #expect(request.method == "PATCH")
            #expect(request.contentType == "application/merge-patch+json")
            #expect(request.query["force"] == nil)

            let missing = await kubeErrorAsync { try await kube.client.mergePatch(.deployments, name: "absent", ["spec": ["replicas": 1]]) }
            #expect(missing?.reason == .notFound)
        }
    }

    @Test("a stale resourceVersion on PUT is a typed Conflict and nothing is written")
    func staleReplace() async throws {
        try await KubeClientHarness.with { kube in
            var mine = try await kube.client.create(.deployments, FakeAPIServerHarness.deployment("web", replicas: 2))
            let theirs = try kube.server.update(.deployments, namespace: "prod", name: "web") { $0["spec"]?["replicas"] = 3 }
            let versionBefore = kube.server.resourceVersion
            mine["spec"]?["replicas"] = 9
            let error = await kubeErrorAsync { try await kube.client.replace(.deployments, mine) }
            #expect(error?.reason == .conflict)
            if case .status(let status) = error {
                #expect(status.code == 409)
                #expect(status.message == "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again")
                #expect(status.request == "PUT /apis/apps/v1/namespaces/prod/deployments/web")
            }
            #expect(kube.server.object(.deployments, namespace: "prod", name: "web") == theirs)
            #expect(kube.server.resourceVersion == versionBefore)

            // With the current resourceVersion the same PUT goes through.
            var current = try await kube.client.get(.deployments, name: "web")
            current["spec"]?["replicas"] = 9
            let replaced = try await kube.client.replace(.deployments, current)
            #expect(replaced[path: ["spec", "replicas"]] == 9)
            #expect(kube.calls.last?.method == "PUT")
        }
    }

    @Test("delete answers true when the object existed and false the second time")
    func deleteTwice() async throws {
        try await KubeClientHarness.with { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("settings"))
            #expect(try await kube.client.delete(.configMaps, name: "settings"))
            #expect(kube.server.object(.configMaps, namespace: "prod", name: "settings") == nil)
            #expect(try await kube.client.delete(.configMaps, name: "settings") == false)
            #expect(kube.calls.map(\.method) == ["DELETE", "DELETE"])
            #expect(kube.calls.first?.query["propagationPolicy"] == "Background")
        }
    }

    @Test("a bad name is a typed Invalid whose causes name metadata.name")
    func invalidName() async throws {
        try await KubeClientHarness.with { kube in
            let error = await kubeErrorAsync { try await kube.client.create(.configMaps, KubeClientHarness.configMap("Bad_Name")) }
            guard case .status(let status) = error else {
                Issue.record("expected a Status error, got \(String(describing: error))")
                return
            }
            #expect(status.reason == .invalid)
            #expect(status.code == 422)
            #expect(status.message.hasPrefix("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\""))
            #expect(status.causes.map(\.field) == ["metadata.name"])
            #expect(status.causes.map(\.reason) == ["FieldValueInvalid"])
            #expect(status.description.contains("(metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"))
            #expect(kube.server.objects(.configMaps).isEmpty)
        }
    }

    @Test("an object's namespace wins over the connection's, and cluster-scoped resources get none")
    func namespaces() async throws {
        try await KubeClientHarness.with { kube in
            var elsewhere = KubeClientHarness.configMap("elsewhere")
            elsewhere["metadata"]?["namespace"] = "staging"
            _ = try await kube.client.create(.configMaps, elsewhere)
            #expect(kube.server.object(.configMaps, namespace: "staging", name: "elsewhere") != nil)
            #expect(try await kube.client.get(.configMaps, name: "elsewhere", namespace: "staging").namespace == "staging")
            let namespaces = KubeResource(group: "", version: "v1", plural: "namespaces", kind: "Namespace", isNamespaced: false)
            _ = try await kube.client.create(namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-a"]])
            #expect(kube.calls.map(\.path) == [
                "/api/v1/namespaces/staging/configmaps", "/api/v1/namespaces/staging/configmaps/elsewhere", "/api/v1/namespaces",
            ])
        }
    }
}
