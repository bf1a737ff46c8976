import FakeKubeAPI
import Foundation
import KubeAPI
import Testing

/// `tack run` on Kubernetes accounts, as a user runs it: a kubeconfig file with a bearer token,
/// an accounts file, a pipeline. The fake API server stands in for kube-apiserver (no cluster
/// runs here) and its deployment controller for kube-controller-manager.
@Suite("tack run on Kubernetes accounts")
struct KubernetesRunTests {
    static let token = "kube-t0ken-never-printed"

    /// A folder with a kubeconfig for `server`, an accounts file and a pipeline writer.
    struct Workspace {
        let directory: URL

        init(server: FakeKubeAPIServer) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-kube-run-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster: {server: "\(server.baseURL)"}
                users:
                  - name: deployer
                    user: {token: \(KubernetesRunTests.token)}
                contexts:
                  - name: fake
                    context: {cluster: fake, user: deployer, namespace: ignored}
                current-context: fake
                """.write(to: directory.appendingPathComponent("kubeconfig"), atomically: true, encoding: .utf8)
            try """
                accounts:
                  - name: eks-test
                    kind: kubernetes
                    scope: aws
                    kubeconfig: \(directory.path)/kubeconfig
                    namespace: lora
                  - name: gke-test
                    kind: kubernetes
                    scope: gcp
                    kubeconfig: \(directory.path)/kubeconfig
                    namespace: lora-gcp
                """.write(to: directory.appendingPathComponent("tack.yaml"), atomically: true, encoding: .utf8)
        }

        /// Writes the pipeline rolling out `tag` and gives its path.
        func pipeline(_ tag: String) throws -> String {
            let digest = String(repeating: tag == "v1" ? "1" : "2", count: 64)
            let path = directory.appendingPathComponent("pipeline.yaml").path
            try """
                application: lora-train
                pipeline:
                  stages:
                    - type: deploy
                      clusters:
                        - account: eks-test
                          container: registry.example.com/lora-train:\(tag)@sha256:\(digest)
                          targetSize: 3
                          strategy: canary
                          canary:
                            steps:
                              - setWeight: 33
                              - setWeight: 66
                        - account: gke-test
                          container: registry.example.com/lora-train:\(tag)@sha256:\(digest)
                          targetSize: 2
                          strategy: bluegreen
                          bluegreen:
                            scaleDownDelay: 1s
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// Runs `tack run` off the concurrency pool (the fake server shares it).
        func run(_ pipeline: String) async throws -> TackRun {
            let arguments = ["run", "-f", pipeline, "--accounts", directory.appendingPathComponent("tack.yaml").path,
                             "--home", directory.appendingPathComponent("home").path]
            return try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try TackRun(arguments, environment: ["KUBECONFIG": ""]) })
                }
            }
        }
    }

    @Test("a first version and then a canary by replica ratio and a blue-green switch roll out on Kubernetes")
    func rollsOut() async throws {
        try await FakeKubeAPIServer.with { server in
            server.requireToken(Self.token)
            server.deploymentController.mode = .rollsOut
            let workspace = try Workspace(server: server)
            defer { try? FileManager.default.removeItem(at: workspace.directory) }

            let first = try await workspace.run(try workspace.pipeline("v1"))
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(server.object(.deployments, namespace: "lora", name: "lora-train")?[path: ["spec", "replicas"]]?.int == 3)
            #expect(server.object(.deployments, namespace: "lora-gcp", name: "lora-train-blue") != nil)

            server.clearRequests()
            let second = try await workspace.run(try workspace.pipeline("v2"))
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            let stable = try #require(server.object(.deployments, namespace: "lora", name: "lora-train"))
            #expect(stable[path: ["spec", "replicas"]]?.int == 3)
            #expect(stable.annotations["tack.dev/image"]?.contains(":v2@") == true)
            #expect(server.object(.deployments, namespace: "lora", name: "lora-train-canary") == nil)
            // The canary took its share of the replicas, growing before stable shrank: 33% is canary 1
            // and stable 2, 66% canary 2 and stable 1.
            let scales = server.requests.filter { $0.method == "PATCH" && $0.contentType == "application/merge-patch+json" }
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
            #expect(server.requests.allSatisfy { $0.bearerToken == Self.token })
            #expect(!(first.stdout + first.stderr + second.stdout + second.stderr).contains(Self.token))
        }
    }

    @Test("a canary whose Deployment exceeds its progress deadline is rolled back at once, leaving stable as it was")
    func progressDeadlineRollsBack() async throws {
        try await FakeKubeAPIServer.with { server in
            server.requireToken(Self.token)
            server.deploymentController.mode = .rollsOut
            let workspace = try Workspace(server: server)
            defer { try? FileManager.default.removeItem(at: workspace.directory) }
            let first = try await workspace.run(try workspace.pipeline("v1"))
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

            server.deploymentController.mode = .getsStuck
            let second = try await workspace.run(try workspace.pipeline("v2"))
            #expect(second.status == 2, "\(second.stdout)\(second.stderr)")
            #expect(second.stdout.contains("exceeded its progress deadline"), "\(second.stdout)")
            let stable = try #require(server.object(.deployments, namespace: "lora", name: "lora-train"))
            #expect(stable.annotations["tack.dev/image"]?.contains(":v1@") == true)
            #expect(stable[path: ["spec", "replicas"]]?.int == 3)
            #expect(server.object(.deployments, namespace: "lora", name: "lora-train-canary") == nil)
            #expect(server.object(.services, namespace: "lora-gcp", name: "lora-train")?[path: ["spec", "selector", "tack.dev/color"]]?.string == "blue")
            #expect(server.object(.deployments, namespace: "lora-gcp", name: "lora-train-green") == nil)
        }
    }
}
