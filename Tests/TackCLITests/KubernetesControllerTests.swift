import FakeKubeAPI
import Foundation
import KubeAPI
import Testing

/// `tack controller` with Kubernetes accounts: the real binary on 127.0.0.1 reconciles pipelines
/// sent with `tack apply` against the fake API server, as a controller in a cluster would. The
/// controller and the server are stopped whether the test passes or fails.
@Suite("tack controller on Kubernetes accounts")
struct KubernetesControllerTests {
    @Test("tack apply sends a pipeline to the controller, which rolls out v1 and then v2 as a canary and a blue-green switch, and tack watch exits 0")
    func appliesAndRollsOut() async throws {
        try await FakeKubeAPIServer.with { try await Self.applyAndRollOut(on: $0) }
    }

    /// Revisions 1 (v1) and 2 (v2) of the workspace's pipeline, each applied and watched until it succeeds.
    static func applyAndRollOut(on server: FakeKubeAPIServer) async throws {
        let workspace = try KubernetesWorkspace(server: server)
        defer { workspace.remove() }
        let controller = try await TackControllerProcess.start()
        defer { controller.stop() }
        try #require(controller.url != nil, "the controller did not report its address: \(controller.log)")

        for (revision, tag) in [(1, "v1"), (2, "v2")] {
            let applied = try await controller.tack(["apply", "-f", try workspace.pipeline(tag), "--accounts", workspace.accounts])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(applied.stdout == "lora-train: revision \(revision) applied, execution \(revision)\n", "\(applied.stdout)")
            let watched = try await controller.tack(["watch", "lora-train"], timeout: .seconds(90))
            #expect(watched.status == 0, "\(watched.stdout)\(watched.stderr)\n\(controller.log)")
            #expect(watched.stdout.hasSuffix("lora-train revision \(revision): succeeded (every account runs lora-train revision \(revision))\n"), "\(watched.stdout)")
            let stable = server.object(.deployments, namespace: "lora", name: "lora-train")
            #expect(stable?.annotations["tack.dev/image"]?.contains(":\(tag)@") == true)
            #expect(stable?[path: ["spec", "replicas"]]?.int == 3)
        }
        let got = try await controller.tack(["get", "lora-train", "-o", "json"])
        let view = try #require(try JSONSerialization.jsonObject(with: Data(got.stdout.utf8)) as? [String: Any], "\(got.stdout)\(got.stderr)")
        #expect(view["phase"] as? String == "succeeded")
        #expect(view["revision"] as? Int == 2)

        #expect(server.object(.deployments, namespace: "lora", name: "lora-train-canary") == nil)
        #expect(server.object(.deployments, namespace: "lora-gcp", name: "lora-train-blue") == nil)
        let green = server.object(.deployments, namespace: "lora-gcp", name: "lora-train-green")
        #expect(green?.annotations["tack.dev/track"] == "active")
        #expect(green?.annotations["tack.dev/image"]?.contains(":v2@") == true)
        #expect(server.object(.services, namespace: "lora-gcp", name: "lora-train")?[path: ["spec", "selector", "tack.dev/color"]]?.string == "green")
        #expect(server.requests.allSatisfy { $0.bearerToken == KubernetesWorkspace.token })
        #expect(!controller.log.contains(KubernetesWorkspace.token))
    }
}
