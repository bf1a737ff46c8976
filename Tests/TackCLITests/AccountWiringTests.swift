import Foundation
import KubeAPI
import TackLocal
import TackPipeline
import Testing

@testable import tack

/// How `tack` wires Kubernetes accounts to clients: the accounts file's `qps` and `burst` reach the
/// client, a client whose account changed is shut down, and so is one that no rollout used for a
/// while. No request is sent, so no server runs.
@Suite("account wiring")
struct AccountWiringTests {
    /// A wiring and a kubeconfig with a bearer token, in a folder of their own (removed by the caller).
    private static func wiring() throws -> (AccountWiring, kubeconfig: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-wiring-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try """
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
            users: [{name: u, user: {token: wiring-token}}]
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            current-context: dev
            """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let runtime = try LocalRuntime(home: RuntimeHome(path: directory.appendingPathComponent("home").path))
        return (AccountWiring(runtime: runtime, runsLocalRuntime: false), kubeconfig, directory)
    }

    @Test("an account's qps and burst reach its client; without them the client's defaults apply")
    func qpsAndBurst() async throws {
        let (wiring, kubeconfig, directory) = try Self.wiring()
        defer { try? FileManager.default.removeItem(at: directory) }
        let paced = KubernetesAccount(kubeconfig: kubeconfig, qps: 0.5, burst: 1)
        _ = try await wiring.driver(for: Account(name: "eks-prod", scope: "aws", kind: .kubernetes(paced)))
        let client = try #require(await wiring.kubernetesClient("eks-prod"))
        #expect(client.options.qps == 0.5)
        #expect(client.options.burst == 1)
        _ = try await wiring.driver(for: Account(name: "gke-prod", scope: "gcp", kind: .kubernetes(KubernetesAccount(kubeconfig: kubeconfig))))
        let defaults = try #require(await wiring.kubernetesClient("gke-prod"))
        #expect(defaults.options.qps == KubeClientOptions().qps)
        #expect(defaults.options.burst == KubeClientOptions().burst)
        client.shutdown()
        defaults.shutdown()
    }

    @Test("when an account's settings change, the old client is shut down and the same settings keep the same client")
    func replacedClientIsShutDown() async throws {
        let (wiring, kubeconfig, directory) = try Self.wiring()
        defer { try? FileManager.default.removeItem(at: directory) }
        let account = { (namespace: String) in
            Account(name: "eks-prod", scope: "aws", kind: .kubernetes(KubernetesAccount(kubeconfig: kubeconfig, namespace: namespace)))
        }
        _ = try await wiring.driver(for: account("lora"))
        let first = try #require(await wiring.kubernetesClient("eks-prod"))
        _ = try await wiring.driver(for: account("lora"))
        #expect(await wiring.kubernetesClient("eks-prod") === first)
        #expect(!first.isShutDown)
        _ = try await wiring.driver(for: account("lora-next"))
        let second = try #require(await wiring.kubernetesClient("eks-prod"))
        #expect(second !== first)
        #expect(first.isShutDown)
        #expect(!second.isShutDown)
        second.shutdown()
    }

    @Test("drivers that no rollout asked for during the idle time are shut down; the ones in use stay")
    func idleDriversAreReleased() async throws {
        let (wiring, kubeconfig, directory) = try Self.wiring()
        defer { try? FileManager.default.removeItem(at: directory) }
        let account = { (name: String) in
            Account(name: name, scope: "aws", kind: .kubernetes(KubernetesAccount(kubeconfig: kubeconfig)))
        }
        _ = try await wiring.driver(for: account("eks-old"))
        let old = try #require(await wiring.kubernetesClient("eks-old"))
        let start = ContinuousClock.now
        _ = try await wiring.driver(for: account("eks-prod"))
        let inUse = try #require(await wiring.kubernetesClient("eks-prod"))

        // Nothing is idle long enough yet.
        #expect(await wiring.releaseIdleDrivers(idle: .seconds(600), now: start + .seconds(300)) == [])
        #expect(!old.isShutDown)

        // A rollout pass asks for eks-prod again; eks-old was last asked for before `start`. An idle
        // time as long as that request took keeps eks-prod and lets eks-old go, however slow the machine.
        try await Task.sleep(for: .milliseconds(20))
        let beforeRequest = ContinuousClock.now
        _ = try await wiring.driver(for: account("eks-prod"))
        let afterRequest = ContinuousClock.now
        let released = await wiring.releaseIdleDrivers(idle: afterRequest - beforeRequest, now: afterRequest)
        #expect(released == ["eks-old"])
        #expect(old.isShutDown)
        #expect(await wiring.kubernetesClient("eks-old") == nil)
        #expect(await wiring.kubernetesClient("eks-prod") === inUse)
        #expect(!inUse.isShutDown)

        // A rollout that needs the released account again gets a new client.
        _ = try await wiring.driver(for: account("eks-old"))
        let renewed = try #require(await wiring.kubernetesClient("eks-old"))
        #expect(renewed !== old && !renewed.isShutDown)
        renewed.shutdown()
        inUse.shutdown()
    }
}
