import FakeKubeAPI
import Foundation
import KubeAPI
import Testing

/// `tack run` of a canary in a Kubernetes account with `traffic: gatewayAPI`: the HTTPRoute's
/// backendRefs weights carry the split, and stable keeps its full size beside the canary.
@Suite("tack run on a Kubernetes account with Gateway API routing")
struct KubernetesGatewayRunTests {
    @Test("a canary behind an HTTPRoute moves the weights 75/25, 50/50, then 100 to the promoted stable, without shrinking stable")
    func rollsOut() async throws {
        try await FakeKubeAPIServer.with { try await Self.rollOut(on: $0) }
    }

    /// v1, then v2 as a canary of 4 replicas through 25% and 50% in `eks-test` behind the Gateway
    /// `gateway-system/public`.
    static func rollOut(on server: FakeKubeAPIServer) async throws {
        let workspace = try KubernetesWorkspace(server: server, gateway: "gateway-system/public")
        defer { workspace.remove() }
        let first = try await workspace.run(try workspace.pipeline("v1", canarySize: 4, weights: [25, 50], blueGreen: false))
        let secondStart = server.requests.count
        let second = try await workspace.run(try workspace.pipeline("v2", canarySize: 4, weights: [25, 50], blueGreen: false))

        // Each weight is set only once its canary replicas are available, while stable serves at
        // full size; promotion updates stable in place, sends it everything, then removes the canary.
        #expect(Self.timeline(server.changes) == [
            "weights lora-train-stable=100 lora-train-canary=0; no Deployments",
            "weights lora-train-stable=75 lora-train-canary=25; lora-train v1 4/4, lora-train-canary v2 1/1",
            "weights lora-train-stable=50 lora-train-canary=50; lora-train v1 4/4, lora-train-canary v2 2/2",
            "weights lora-train-stable=100 lora-train-canary=0; lora-train v2 4/4, lora-train-canary v2 2/2",
            "deleted lora-train-canary",
        ])
        // Weighted routing needs no replica split: stable is never scaled, only the canary is.
        let stableSizes = server.changes.filter { $0.resource == .deployments && $0.name == "lora-train" && $0.type != "DELETED" }
            .compactMap { $0.object[path: ["spec", "replicas"]]?.int }
        #expect(Set(stableSizes) == [4], "\(stableSizes)")
        let scales = server.requests[secondStart...].filter { $0.method == "PATCH" && $0.contentType == "application/merge-patch+json" }
            .map { "\($0.path.split(separator: "/").last ?? ""):\($0.json?[path: ["spec", "replicas"]]?.int ?? -1)" }
        #expect(scales == ["lora-train-canary:1", "lora-train-canary:2"], "\(scales)")

        let route = try #require(server.object(.httpRoutes, namespace: "lora", name: "lora-train"))
        #expect(route[path: ["spec", "parentRefs"]] == [["namespace": "gateway-system", "name": "public"]])
        #expect(route.labels["app.kubernetes.io/managed-by"] == "tack")
        #expect(server.object(.deployments, namespace: "lora", name: "lora-train")?.annotations["tack.dev/image"]?.contains(":v2@") == true)
        #expect(server.object(.deployments, namespace: "lora", name: "lora-train-canary") == nil)
        #expect(!(first.stdout + first.stderr + second.stdout + second.stderr).contains(KubernetesWorkspace.token))
    }

    /// The states the namespace `lora` went through, one line per change of the HTTPRoute's
    /// weights (with each Deployment's version and available/desired replicas then) and per
    /// Deployment deleted.
    static func timeline(_ changes: [ObjectChange]) -> [String] {
        var deployments: [String: JSONValue] = [:]
        var weights = ""
        var lines: [String] = []
        for change in changes where change.namespace == "lora" {
            switch (change.resource, change.type) {
            case (.deployments, "DELETED"):
                deployments[change.name] = nil
                lines.append("deleted \(change.name)")
            case (.deployments, _):
                deployments[change.name] = change.object
            case (.httpRoutes, _):
                let backends = change.object[path: ["spec", "rules"]]?.array?.first?["backendRefs"]?.array ?? []
                let now = backends.map { "\($0["name"]?.string ?? "?")=\($0["weight"]?.int ?? 1)" }.joined(separator: " ")
                guard now != weights else { continue }
                weights = now
                let tracks = deployments.keys.sorted().map { name in
                    let deployment = deployments[name]!
                    let version = deployment[path: ["spec", "template", "metadata", "labels", "version"]]?.string ?? "?"
                    let available = deployment[path: ["status", "availableReplicas"]]?.int ?? 0
                    return "\(name) \(version) \(available)/\(deployment[path: ["spec", "replicas"]]?.int ?? 0)"
                }
                lines.append("weights \(weights); " + (tracks.isEmpty ? "no Deployments" : tracks.joined(separator: ", ")))
            default:
                break
            }
        }
        return lines
    }
}
