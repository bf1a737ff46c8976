import FakeKubeAPI
import KubeAPI
import TackHTTP
import Testing

/// The fake's object verbs, checked against kube-apiserver's answers as the reference notes give them.
@Suite("Fake API server: objects")
struct FakeAPIServerObjectTests {
    @Test("create answers 201 with server fields; a second create is 409 AlreadyExists and a missing object 404 NotFound")
    func createGetAndErrors() async throws {
        try await FakeAPIServerHarness.with { kube in
            let created = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("web"))
            #expect(created.status == 201)
            #expect(created.json.namespace == "prod")
            #expect(created.json.generation == 1)
            #expect(created.json[path: ["metadata", "uid"]]?.string?.count == 36)
            #expect(created.json[path: ["metadata", "creationTimestamp"]]?.string?.hasSuffix("Z") == true)
            #expect(created.json.resourceVersion == kube.server.resourceVersion)
            #expect(created.json[path: ["spec", "strategy", "type"]] == "RollingUpdate")

            let fetched = try await kube.send(.get, prodPath(.deployments, "web"))
            #expect(fetched.status == 200)
            #expect(fetched.json == created.json)

            let again = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("web"))
            #expect(again.status == 409)
            #expect(again.json == [
                "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "code": 409, "reason": "AlreadyExists",
                "message": "deployments.apps \"web\" already exists", "details": ["name": "web", "group": "apps", "kind": "deployments"],
            ])

            let missing = try await kube.send(.get, prodPath(.deployments, "api"))
            #expect(missing.status == 404)
            #expect(missing.reason == "NotFound")
            #expect(missing.message == "deployments.apps \"api\" not found")
            let service = try await kube.send(.delete, prodPath(.services, "api"))
            #expect(service.message == "services \"api\" not found")
            #expect(service.json[path: ["details", "group"]] == nil)
            let unknown = try await kube.send(.get, "/apis/example.com/v1/namespaces/prod/widgets")
            #expect(unknown.status == 404)
            #expect(unknown.message == "the server could not find the requested resource")
        }
    }

    @Test("a bad name is 422 Invalid with causes, a body in another namespace is 400, and a missing namespace can be 404")
    func validation() async throws {
        try await FakeAPIServerHarness.with { kube in
            let unnamed = try await kube.send(.post, prodPath(.configMaps), ["apiVersion": "v1", "kind": "ConfigMap", "metadata": [:]])
            #expect(unnamed.status == 422)
            #expect(unnamed.message == "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required")
            #expect(unnamed.json[path: ["details", "causes"]] == [
                ["reason": "FieldValueRequired", "message": "Required value: name or generateName is required", "field": "metadata.name"],
            ])
            let badName = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("Web_1"))
            #expect(badName.status == 422)
            #expect(badName.message?.hasPrefix("Deployment.apps \"Web_1\" is invalid: metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain") == true)
            var elsewhere = FakeAPIServerHarness.deployment("web")
            elsewhere["metadata"]?["namespace"] = "staging"
            let mismatch = try await kube.send(.post, prodPath(.deployments), elsewhere)
            #expect(mismatch.status == 400)
            #expect(mismatch.message == "the namespace of the provided object does not match the namespace sent on the request")
        }
        try await FakeAPIServerHarness.with(options: FakeKubeAPIOptions(requiresNamespaces: true)) { kube in
            let noNamespace = try await kube.send(.post, prodPath(.configMaps), ["metadata": ["name": "settings"]])
            #expect(noNamespace.status == 404)
            #expect(noNamespace.message == "namespaces \"prod\" not found")
            let namespace = try await kube.send(.post, "/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "prod"]])
            #expect(namespace.status == 201)
            #expect(namespace.json[path: ["status", "phase"]] == "Active")
            #expect(try await kube.send(.post, prodPath(.configMaps), ["metadata": ["name": "settings"]]).status == 201)
            #expect(try await kube.send(.get, "/api/v1/namespaces/default").status == 200)
        }
    }

    @Test("a PUT with a stale resourceVersion is 409 with the optimistic-lock message; PUT of a missing Deployment is 404")
    func optimisticConcurrency() async throws {
        try await FakeAPIServerHarness.with { kube in
            let created = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("web")).json
            var first = created
            first["spec"]?["replicas"] = 3
            let updated = try await kube.send(.put, prodPath(.deployments, "web"), first)
            #expect(updated.status == 200)
            #expect(updated.json.resourceVersion != created.resourceVersion)

            var stale = created
            stale["spec"]?["replicas"] = 5
            let conflict = try await kube.send(.put, prodPath(.deployments, "web"), stale)
            #expect(conflict.status == 409)
            #expect(conflict.reason == "Conflict")
            #expect(conflict.message == "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again")
            #expect(conflict.json["details"] == ["name": "web", "group": "apps", "kind": "deployments"])

            let missing = try await kube.send(.put, prodPath(.deployments, "api"), FakeAPIServerHarness.deployment("api"))
            #expect(missing.status == 404)
        }
    }

    @Test("generation goes up on spec (and Deployment annotation) changes only; the status subresource changes only status")
    func generationAndStatus() async throws {
        try await FakeAPIServerHarness.with { kube in
            _ = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("web"))
            let merge = "application/merge-patch+json"
            let labelled = try await kube.send(.patch, prodPath(.deployments, "web"), ["metadata": ["labels": ["tier": "front"]]], contentType: merge)
            #expect(labelled.json.generation == 1)
            #expect(labelled.json.labels["tier"] == "front")
            let statusThroughMain = try await kube.send(.patch, prodPath(.deployments, "web"), ["status": ["replicas": 9]], contentType: merge)
            #expect(statusThroughMain.json[path: ["status", "replicas"]] == nil)
            let scaled = try await kube.send(.patch, prodPath(.deployments, "web"), ["spec": ["replicas": 4]], contentType: merge)
            #expect(scaled.json.generation == 2)
            let annotated = try await kube.send(.patch, prodPath(.deployments, "web"), ["metadata": ["annotations": ["note": "x"]]], contentType: merge)
            #expect(annotated.json.generation == 3)

            var status = annotated.json
            status["status"] = ["observedGeneration": 3, "replicas": 4]
            status["spec"]?["replicas"] = 7
            let written = try await kube.send(.put, prodPath(.deployments, "web") + "/status", status)
            #expect(written.status == 200)
            #expect(written.json[path: ["status", "observedGeneration"]] == 3)
            #expect(written.json[path: ["spec", "replicas"]] == 4)
            #expect(written.json.generation == 3)

            let configMap = try await kube.send(.post, prodPath(.configMaps), ["metadata": ["name": "settings"], "data": ["a": "1"]])
            #expect(configMap.json.generation == nil)
            #expect(configMap.json["kind"] == "ConfigMap")
        }
    }

    @Test("merge patch and JSON patch apply; force without apply is 422; strategic merge on an HTTPRoute is 415")
    func patches() async throws {
        try await FakeAPIServerHarness.with { kube in
            _ = try await kube.send(.post, prodPath(.deployments), FakeAPIServerHarness.deployment("web", labels: ["old": "yes"]))
            let merged = try await kube.send(.patch, prodPath(.deployments, "web"), ["metadata": ["labels": ["old": nil, "new": "yes"]]],
                                             contentType: "application/merge-patch+json")
            #expect(merged.json.labels == ["app": "web", "new": "yes"])
            let jsonPatch: JSONValue = [
                ["op": "test", "path": "/spec/replicas", "value": 2],
                ["op": "replace", "path": "/spec/replicas", "value": 6],
                ["op": "add", "path": "/spec/template/spec/containers/-", "value": ["name": "sidecar", "image": "envoy:1"]],
            ]
            let patched = try await kube.send(.patch, prodPath(.deployments, "web"), jsonPatch, contentType: "application/json-patch+json")
            #expect(patched.json[path: ["spec", "replicas"]] == 6)
            #expect(patched.json[path: ["spec", "template", "spec", "containers"]]?.array?.count == 2)
            let failedTest = try await kube.send(.patch, prodPath(.deployments, "web"), [["op": "test", "path": "/spec/replicas", "value": 2]],
                                                 contentType: "application/json-patch+json")
            #expect(failedTest.status == 422)

            let forced = try await kube.send(.patch, prodPath(.deployments, "web") + "?force=true", ["spec": ["replicas": 1]],
                                             contentType: "application/merge-patch+json")
            #expect(forced.status == 422)
            #expect(forced.message == "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch")

            let route: JSONValue = ["apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": ["name": "web"], "spec": ["rules": []]]
            _ = try await kube.send(.post, prodPath(.httpRoutes), route)
            let strategic = try await kube.send(.patch, prodPath(.httpRoutes, "web"), ["spec": ["hostnames": ["a"]]],
                                                contentType: "application/strategic-merge-patch+json")
            #expect(strategic.status == 415)
            #expect(strategic.reason == "UnsupportedMediaType")
            #expect(strategic.message == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        }
    }
}
