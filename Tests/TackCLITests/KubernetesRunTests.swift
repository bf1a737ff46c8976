import FakeKubeAPI
import Foundation
import KubeAPI
import Testing

/// `tack run` on Kubernetes accounts, as a user runs it: a kubeconfig file with a bearer token,
/// an accounts file, a pipeline. The fake API server stands in for kube-apiserver (no cluster
/// runs here) and its deployment controller for kube-controller-manager. Each scenario is a
/// function of the server, so the RBAC test can replay it and read the requests it made.
@Suite("tack run on Kubernetes accounts")
struct KubernetesRunTests {
    @Test("a first version and then a canary by replica ratio and a blue-green switch roll out on Kubernetes")
    func rollsOut() async throws {
        try await FakeKubeAPIServer.with { try await Self.rollOut(on: $0) }
    }

    @Test("a canary whose Deployment exceeds its progress deadline is rolled back at once, leaving stable as it was")
    func progressDeadlineRollsBack() async throws {
        try await FakeKubeAPIServer.with { try await Self.rollBack(on: $0) }
    }

    /// v1, then v2 as a canary by replica ratio in `eks-test` and a blue-green switch in `gke-test`.
    static func rollOut(on server: FakeKubeAPIServer) async throws {
        let workspace = try KubernetesWorkspace(server: server)
        defer { workspace.remove() }

        let first = try await workspace.run(try workspace.pipeline("v1"))
        #expect(server.object(.deployments, namespace: "lora", name: "lora-train")?[path: ["spec", "replicas"]]?.int == 3)
        #expect(server.object(.deployments, namespace: "lora-gcp", name: "lora-train-blue") != nil)

        let secondStart = server.requests.count
        let second = try await workspace.run(try workspace.pipeline("v2"))
        let stable = try #require(server.object(.deployments, namespace: "lora", name: "lora-train"))
        #expect(stable[path: ["spec", "replicas"]]?.int == 3)
        #expect(stable.annotations["tack.dev/image"]?.contains(":v2@") == true)
        #expect(server.object(.deployments, namespace: "lora", name: "lora-train-canary") == nil)
        // The canary took its share of the replicas, growing before stable shrank: 33% is canary 1
        // and stable 2, 66% canary 2 and stable 1.
        let scales = server.requests[secondStart...].filter { $0.method == "PATCH" && $0.contentType == "application/merge-patch+json" }
            .compactMap { request -> String? in
                guard let replicas = request.json?[path: ["spec", "replicas"]]?.int else { return nil }
                return "\(request.path.split(separator: "/").last ?? ""):\(replicas)"
            }
        #expect(scales == ["lora-train-canary:1", "lora-train:2", "lora-train-canary:2", "lora-train:1"], "\(scales)")
        // Blue-green: green is active with v2, blue is gone, the Service selects green.
        #expect(server.object(.deployments, namespace: "lora-gcp", name: "lora-train-blue") == nil)
        #expect(server.object(.deployments, namespace: "lora-gcp", name: "lora-train-green")?.annotations["tack.dev/track"] == "active")
        #expect(server.object(.services, namespace: "lora-gcp", name: "lora-train")?[path: ["spec", "selector", "tack.dev/color"]]?.string == "green")
        // Every request carried the kubeconfig's token, and no output shows it.
        #expect(server.requests.allSatisfy { $0.bearerToken == KubernetesWorkspace.token })
        #expect(!(first.stdout + first.stderr + second.stdout + second.stderr).contains(KubernetesWorkspace.token))
    }

    /// v1, then v2 whose Deployments never become available: the progress deadline rolls both accounts back.
    static func rollBack(on server: FakeKubeAPIServer) async throws {
        let workspace = try KubernetesWorkspace(server: server)
        defer { workspace.remove() }
        try await workspace.run(try workspace.pipeline("v1"))

        server.deploymentController.mode = .getsStuck
        let second = try await workspace.run(try workspace.pipeline("v2"), expecting: 2)
        #expect(second.stdout.contains("exceeded its progress deadline"), "\(second.stdout)")
        let stable = try #require(server.object(.deployments, namespace: "lora", name: "lora-train"))
        #expect(stable.annotations["tack.dev/image"]?.contains(":v1@") == true)
        #expect(stable[path: ["spec", "replicas"]]?.int == 3)
        #expect(server.object(.deployments, namespace: "lora", name: "lora-train-canary") == nil)
        #expect(server.object(.services, namespace: "lora-gcp", name: "lora-train")?[path: ["spec", "selector", "tack.dev/color"]]?.string == "blue")
        #expect(server.object(.deployments, namespace: "lora-gcp", name: "lora-train-green") == nil)
    }
}
