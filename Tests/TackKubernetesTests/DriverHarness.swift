import FakeKubeAPI
import Foundation
import KubeAPI
import TackCore
import TackHTTP

@testable import TackKubernetes

/// A Kubernetes driver against the in-process fake API server, which stands in for kube-apiserver
/// (no cluster runs here) and, through its deployment controller, for kube-controller-manager.
/// `with` stops the driver's watches and the server whatever the test does.
struct DriverHarness {
    let server: FakeKubeAPIServer
    let client: KubeClient
    let driver: KubernetesDriver
    static let namespace = "lora"

    static func with(routing: KubernetesWorkloadOptions.Routing = .replicas, rollout: DeploymentController.Mode = .rollsOut,
                     _ body: (DriverHarness) async throws -> Void) async throws {
        try await FakeKubeAPIServer.with { server in
            server.deploymentController.mode = rollout
            let client = try KubeClient(connection: KubeConnection(server: server.baseURL, namespace: namespace, origin: "the fake API server"))
            let driver = KubernetesDriver(account: "eks-test", client: client, options: KubernetesWorkloadOptions(namespace: namespace, routing: routing),
                                          resolver: nil)
            defer {
                driver.shutdown()
                client.shutdown()
            }
            try await body(DriverHarness(server: server, client: client, driver: driver))
        }
    }

    /// A pinned image of the test app.
    static func image(_ tag: String) -> ImageRef {
        let digest = "sha256:" + SHA256.hex(SHA256.hash(Array(tag.utf8)))
        return try! ImageRef(parsing: "registry.example.com/lora-train:\(tag)@\(digest)")
    }

    /// A spec of app `lora-train`.
    static func spec(_ track: Track, _ tag: String, replicas: Int) -> TrackSpec {
        TrackSpec(app: "lora-train", track: track, image: image(tag), replicas: replicas)
    }

    /// The Deployment `name` as the server holds it.
    func deployment(_ name: String) -> JSONValue? {
        server.object(.deployments, namespace: Self.namespace, name: name)
    }

    /// The Service `name` as the server holds it.
    func service(_ name: String) -> JSONValue? {
        server.object(.services, namespace: Self.namespace, name: name)
    }

    /// Polls the driver's status until `condition` holds (the watches deliver the controller's
    /// status writes shortly after); gives the last status either way.
    @discardableResult
    func status(until condition: (WorkloadStatus) -> Bool, timeout: Duration = .seconds(10)) async throws -> WorkloadStatus {
        let deadline = ContinuousClock.now + timeout
        var status = try await driver.status(app: "lora-train")
        while !condition(status), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            status = try await driver.status(app: "lora-train")
        }
        return status
    }
}
