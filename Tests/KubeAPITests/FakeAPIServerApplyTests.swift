import FakeKubeAPI
import KubeAPI
import TackHTTP
import Testing

/// Server-side apply in the fake: creation, managedFields, removal of dropped fields, conflicts and force.
@Suite("Fake API server: server-side apply")
struct FakeAPIServerApplyTests {
    static let apply = "application/apply-patch+yaml"

    @Test("apply creates (201), records the manager's fields, updates (200) and removes the fields the manager dropped")
    func applyLifecycle() async throws {
        try await FakeAPIServerHarness.with { kube in
            let path = prodPath(.deployments, "web") + "?fieldManager=deployer"
            let created = try await kube.send(.patch, path, FakeAPIServerHarness.deployment("web", labels: ["track": "stable"]), contentType: Self.apply)
            #expect(created.status == 201)
            #expect(created.json.generation == 1)
            let entries = created.json[path: ["metadata", "managedFields"]]?.array ?? []
            #expect(entries.count == 1)
            #expect(entries.first?["manager"] == "deployer")
            #expect(entries.first?["operation"] == "Apply")
            #expect(entries.first?["apiVersion"] == "apps/v1")
            #expect(entries.first?["fieldsType"] == "FieldsV1")
            #expect(entries.first?["time"]?.string?.hasSuffix("Z") == true)
            #expect(entries.first?[path: ["fieldsV1", "f:spec", "f:replicas"]] == [:])
            #expect(entries.first?[path: ["fieldsV1", "f:metadata", "f:labels", "f:track"]] == [:])

            let unchanged = try await kube.send(.patch, path, FakeAPIServerHarness.deployment("web", labels: ["track": "stable"]), contentType: Self.apply)
            #expect(unchanged.status == 200)
            #expect(unchanged.json.resourceVersion == created.json.resourceVersion)

            let updated = try await kube.send(.patch, path, FakeAPIServerHarness.deployment("web", replicas: 5), contentType: Self.apply)
            #expect(updated.status == 200)
            #expect(updated.json[path: ["spec", "replicas"]] == 5)
            #expect(updated.json.labels["track"] == nil)
            #expect(updated.json.generation == 2)

            let noManager = try await kube.send(.patch, prodPath(.deployments, "web"), FakeAPIServerHarness.deployment("web"), contentType: Self.apply)
            #expect(noManager.status == 422)
            #expect(noManager.message == "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
            let yaml = try await kube.send(.patch, path, contentType: Self.apply, body: Array("apiVersion: apps/v1\nkind: Deployment\n".utf8))
            #expect(yaml.status == 415)
            #expect(yaml.message?.contains("only JSON apply bodies") == true)
        }
    }

    @Test("a field another manager set to another value is a 409 FieldManagerConflict; force takes it over")
    func conflictsAndForce() async throws {
        try await FakeAPIServerHarness.with { kube in
            let deployer = prodPath(.deployments, "web") + "?fieldManager=deployer"
            _ = try await kube.send(.patch, deployer, FakeAPIServerHarness.deployment("web", replicas: 2), contentType: Self.apply)
            let scaler = prodPath(.deployments, "web") + "?fieldManager=autoscaler"
            let intent: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"], "spec": ["replicas": 8]]

            let conflict = try await kube.send(.patch, scaler, intent, contentType: Self.apply)
            #expect(conflict.status == 409)
            #expect(conflict.reason == "Conflict")
            #expect(conflict.message == "Apply failed with 1 conflict: conflict with \"deployer\": .spec.replicas")
            #expect(conflict.json[path: ["details", "causes"]] == [
                ["reason": "FieldManagerConflict", "message": "conflict with \"deployer\"", "field": ".spec.replicas"],
            ])
            let same: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"], "spec": ["replicas": 2]]
            #expect(try await kube.send(.patch, scaler, same, contentType: Self.apply).status == 200)

            let forced = try await kube.send(.patch, scaler + "&force=true", intent, contentType: Self.apply)
            #expect(forced.status == 200)
            #expect(forced.json[path: ["spec", "replicas"]] == 8)
            let owners = ManagedFields(forced.json)
            #expect(owners.owns("autoscaler", ["f:spec", "f:replicas"]))
            #expect(!owners.owns("deployer", ["f:spec", "f:replicas"]))
            #expect(owners.owns("deployer", ["f:spec", "f:template"]) || owners.owns("deployer", ["f:spec", "f:selector"]))

            // An Update (PUT) takes ownership without conflict; the applier then conflicts with it, named with its API version.
            var edited = forced.json
            edited["spec"]?["replicas"] = 3
            _ = try await kube.send(.put, prodPath(.deployments, "web") + "?fieldManager=kubectl-edit", edited)
            let afterEdit = try await kube.send(.patch, scaler, intent, contentType: Self.apply)
            #expect(afterEdit.status == 409)
            #expect(afterEdit.message?.hasPrefix("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1 at ") == true)
            #expect(afterEdit.message?.hasSuffix(": .spec.replicas") == true)
        }
    }
}

/// The managedFields of an object, by manager.
struct ManagedFields {
    let entries: [JSONValue]

    init(_ object: JSONValue) {
        entries = object[path: ["metadata", "managedFields"]]?.array ?? []
    }

    /// Whether `manager` owns the fieldsV1 path `path`.
    func owns(_ manager: String, _ path: [String]) -> Bool {
        entries.contains { $0["manager"]?.string == manager && $0["fieldsV1"]?[path: path] != nil }
    }
}
