import FakeKubeAPI
import KubeAPI
import TackHTTP
import Testing

/// Injected faults, the bearer token check, the request log and the deployment controller stand-in.
@Suite("Fake API server: faults, auth and the deployment controller")
struct FakeAPIServerFaultTests {
    @Test("an injected 429 carries Retry-After, retryAfterSeconds and the APF headers, and only the matching requests fail")
    func tooManyRequests() async throws {
        try await FakeAPIServerHarness.with { kube in
            kube.server.failNext(1, status: 429, retryAfter: "1") { $0.method == "GET" && $0.path.hasSuffix("/deployments") }
            let created = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("web"))
            #expect(created.status == 201)
            let limited = try await kube.send(.get, prodPath(.deployments))
            #expect(limited.status == 429)
            #expect(limited.headers["Retry-After"] == "1")
            #expect(limited.headers["X-Kubernetes-PF-FlowSchema-UID"]?.isEmpty == false)
            #expect(limited.headers["X-Kubernetes-PF-PriorityLevel-UID"]?.isEmpty == false)
            #expect(limited.json == [
                "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "code": 429, "reason": "TooManyRequests",
                "message": "Too many requests, please try again later.", "details": ["retryAfterSeconds": 1],
            ])
            #expect(try await kube.send(.get, prodPath(.deployments)).status == 200)

            kube.server.failNext(2, status: 503)
            #expect(try await kube.send(.get, prodPath(.deployments)).reason == "ServiceUnavailable")
            #expect(try await kube.send(.get, prodPath(.deployments)).status == 503)
            #expect(try await kube.send(.get, prodPath(.deployments)).status == 200)
        }
    }

    @Test("without the required bearer token requests are 401 Unauthorized; the log keeps what was sent")
    func bearerToken() async throws {
        try await FakeAPIServerHarness.with(options: FakeKubeAPIOptions(requiredToken: "first")) { kube in
            let anonymous = try await kube.send(.get, prodPath(.pods))
            #expect(anonymous.status == 401)
            #expect(anonymous.json == ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "code": 401,
                                       "reason": "Unauthorized", "message": "Unauthorized"])
            #expect(try await kube.send(.get, prodPath(.pods), headers: ["Authorization": "Bearer first"]).status == 200)
            kube.server.requireToken("second")
            #expect(try await kube.send(.get, prodPath(.pods), headers: ["Authorization": "Bearer first"]).status == 401)
            #expect(try await kube.send(.get, prodPath(.pods) + "?limit=1", headers: ["Authorization": "Bearer second"]).status == 200)

            let log = kube.server.requests
            #expect(log.map(\.hasAuthorization) == [false, true, true, true])
            #expect(log.last?.bearerToken == "second")
            #expect(log.last?.query["limit"] == "1")
            #expect(log.allSatisfy { !$0.description.contains("first") && !$0.description.contains("second") })
        }
    }

    @Test("the deployment controller stand-in completes rollouts after spec changes, or reports a progress deadline")
    func deploymentController() async throws {
        try await FakeAPIServerHarness.with { kube in
            kube.server.deploymentController.mode = .rollsOut
            _ = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("web", replicas: 3))
            let rolled = try await Self.waitForObservedGeneration(1, kube)
            #expect(rolled[path: ["status", "updatedReplicas"]] == 3)
            #expect(rolled[path: ["status", "availableReplicas"]] == 3)
            let progressing = rolled[path: ["status", "conditions"]]?.array?.first { $0["type"] == "Progressing" }
            #expect(progressing?["reason"] == "NewReplicaSetAvailable")
            #expect(ManagedFields(rolled).owns("kube-controller-manager", ["f:status"]) || rolled[path: ["metadata", "managedFields"]]?.array?.contains { $0["subresource"] == "status" } == true)

            kube.server.deploymentController.mode = .getsStuck
            _ = try await kube.send(.patch, prodPath(.deployments, "web"), ["spec": ["replicas": 4]], contentType: "application/merge-patch+json")
            let stuck = try await Self.waitForObservedGeneration(2, kube)
            let deadline = stuck[path: ["status", "conditions"]]?.array?.first { $0["type"] == "Progressing" }
            #expect(deadline?["status"] == "False")
            #expect(deadline?["reason"] == "ProgressDeadlineExceeded")

            try kube.server.deploymentController.setStatus(namespace: "prod", name: "web", ["observedGeneration": 2, "replicas": 1])
            #expect(kube.server.object(.deployments, namespace: "prod", name: "web")?[path: ["status", "replicas"]] == 1)
        }
    }

    private static func waitForObservedGeneration(_ generation: Int, _ kube: FakeAPIServerHarness) async throws -> JSONValue {
        for _ in 0..<200 {
            let object = try await kube.send(.get, prodPath(.deployments, "web")).json
            if object[path: ["status", "observedGeneration"]]?.int == generation { return object }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the controller never observed generation \(generation)")
        return .null
    }
}
