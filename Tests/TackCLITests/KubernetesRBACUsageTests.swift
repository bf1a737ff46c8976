import FakeKubeAPI
import Foundation
import KubeAPI
import TackYAML
import Testing

/// `manifests/controller/rbac.yaml` grants exactly what Tack uses: the permissions are derived
/// from the requests the fake API server received while the end-to-end scenarios ran (canary by
/// replica ratio and blue-green, rollback after a progress deadline, canary behind an HTTPRoute,
/// and the controller applying two revisions), and compared with every Role and ClusterRole rule.
@Suite("RBAC: the controller's Roles grant exactly what the end-to-end rollouts use")
struct KubernetesRBACUsageTests {
    static let rbac = TackRun.repository.appendingPathComponent("manifests/controller/rbac.yaml")

    /// The end-to-end scenarios, each run against a fresh fake API server.
    static let scenarios: [@Sendable (FakeKubeAPIServer) async throws -> Void] = [
        { try await KubernetesRunTests.rollOut(on: $0) },
        { try await KubernetesRunTests.rollBack(on: $0) },
        { try await KubernetesGatewayRunTests.rollOut(on: $0) },
        { try await KubernetesControllerTests.applyAndRollOut(on: $0) },
    ]

    @Test("every rule of rbac.yaml is used by a rollout, and every request a rollout makes is granted")
    func grantsExactlyWhatIsUsed() async throws {
        let (used, nonResource) = try await Self.usedPermissions()
        let granted = try Self.grantedPermissions()
        #expect(!used.isEmpty)
        let unused = granted.subtracting(used).sorted(), missing = used.subtracting(granted).sorted()
        #expect(unused.isEmpty, "granted in rbac.yaml but never used: \(unused.map(\.description).joined(separator: ", "))")
        #expect(missing.isEmpty, "used but not granted in rbac.yaml: \(missing.map(\.description).joined(separator: ", "))")
        // Discovery, /version and health checks would need nonResourceURLs rules; Tack makes none.
        #expect(nonResource.isEmpty, "requests outside /api and /apis: \(nonResource.sorted())")
    }

    @Test("API paths are read as kube-apiserver reads them: group, resource or subresource, namespace, name")
    func paths() {
        #expect(APITarget(path: "/apis/apps/v1/namespaces/lora/deployments")
            == APITarget(group: "apps", resource: "deployments", namespace: "lora", name: nil))
        #expect(APITarget(path: "/api/v1/namespaces/lora/services/lora-train")
            == APITarget(group: "", resource: "services", namespace: "lora", name: "lora-train"))
        #expect(APITarget(path: "/apis/apps/v1/namespaces/lora/deployments/lora-train/status")
            == APITarget(group: "apps", resource: "deployments/status", namespace: "lora", name: "lora-train"))
        #expect(APITarget(path: "/apis/gateway.networking.k8s.io/v1/watch/namespaces/lora/httproutes")
            == APITarget(group: "gateway.networking.k8s.io", resource: "httproutes", namespace: "lora", name: nil))
        #expect(APITarget(path: "/api/v1/namespaces/lora") == APITarget(group: "", resource: "namespaces", namespace: nil, name: "lora"))
        #expect(APITarget(path: "/version") == nil)
        #expect(APITarget(path: "/apis") == nil)
    }

    @Test("a server-side apply needs create only when it creates the object")
    func applyCreates() async throws {
        try await FakeKubeAPIServer.with { server in
            let client = try KubeClient(connection: KubeConnection(server: server.baseURL, origin: "the fake API server"))
            let settings: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings"], "data": ["a": "1"]]
            _ = try await client.apply(.configMaps, settings, namespace: "lora")
            _ = try await client.apply(.configMaps, settings, namespace: "lora")
            _ = try await client.list(.configMaps, namespace: "lora")
            _ = try await client.delete(.configMaps, name: "settings", namespace: "lora")
            _ = try await client.apply(.configMaps, settings, namespace: "lora")
            let verbs = APIPermission.needed(by: server.requests).map { $0.map(\.verb) }
            #expect(verbs == [["patch", "create"], ["patch"], ["list"], ["delete"], ["patch", "create"]])
        }
    }

    /// The union of what each scenario used, each against a server of its own, run side by side.
    static func usedPermissions() async throws -> (Set<APIPermission>, Set<String>) {
        try await withThrowingTaskGroup(of: (Set<APIPermission>, Set<String>).self) { group in
            for scenario in scenarios {
                group.addTask {
                    try await FakeKubeAPIServer.with { server in
                        try await scenario(server)
                        let requests = server.requests
                        return (Set(APIPermission.needed(by: requests).joined()), Set(requests.map(\.path).filter { APITarget(path: $0) == nil }))
                    }
                }
            }
            var used: (Set<APIPermission>, Set<String>) = ([], [])
            for try await (permissions, nonResource) in group {
                used.0.formUnion(permissions)
                used.1.formUnion(nonResource)
            }
            return used
        }
    }

    /// Every (group, resource, verb) the rules of the Roles and ClusterRoles in rbac.yaml grant.
    static func grantedPermissions() throws -> Set<APIPermission> {
        let text = try String(contentsOf: rbac, encoding: .utf8)
        var granted: Set<APIPermission> = []
        for document in ("\n" + text).components(separatedBy: "\n---\n") {
            guard let root = try YAMLParser.parse(document).root, ["Role", "ClusterRole"].contains(root["kind"]?.scalar?.value) else { continue }
            for rule in root["rules"]?.sequence ?? [] {
                for group in rule["apiGroups"]?.strings ?? [] {
                    for resource in rule["resources"]?.strings ?? [] {
                        for verb in rule["verbs"]?.strings ?? [] { granted.insert(APIPermission(group: group, resource: resource, verb: verb)) }
                    }
                }
            }
        }
        return granted
    }
}

extension YAMLNode {
    /// The value of `key` in a mapping.
    fileprivate subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.value == key }?.value
    }

    /// The scalars of a sequence.
    fileprivate var strings: [String] {
        sequence?.compactMap { $0.scalar?.value } ?? []
    }
}
