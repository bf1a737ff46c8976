import FakeKubeAPI
import KubeAPI
import TackCore
import Testing

@testable import TackKubernetes

/// The Kubernetes driver against the fake API server (standing in for kube-apiserver and the
/// deployment controller), for canary applications.
@Suite("Kubernetes driver: canary")
struct KubernetesDriverCanaryTests {
    @Test("a first deployment creates the stable Deployment and the three Services, and reports stable rolled out with all traffic")
    func firstDeployment() async throws {
        try await DriverHarness.with { harness in
            try await harness.driver.apply(DriverHarness.spec(.stable, "v1", replicas: 3))
            let deployment = try #require(harness.deployment("lora-train"))
            #expect(deployment[path: ["spec", "replicas"]]?.int == 3)
            let container = deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first
            #expect(container?["image"]?.string == DriverHarness.image("v1").description)
            for name in ["lora-train", "lora-train-stable", "lora-train-canary"] { #expect(harness.service(name) != nil) }
            let managers = deployment[path: ["metadata", "managedFields"]]?.array?.compactMap { $0["manager"]?.string } ?? []
            #expect(managers.contains("tack"))

            let status = try await harness.status { $0[.stable]?.isRolledOut == true }
            #expect(status[.stable]?.isRolledOut == true)
            #expect(status[.stable]?.desired == 3)
            #expect(status[.stable]?.image == DriverHarness.image("v1"))
            #expect(status.traffic == .all(to: .stable))
            #expect(status[.canary] == nil)
        }
    }

    @Test("with replica routing the split is the ratio of available replicas, and setTraffic writes nothing")
    func replicaRatio() async throws {
        try await DriverHarness.with { harness in
            try await harness.driver.apply(DriverHarness.spec(.stable, "v1", replicas: 4))
            try await harness.driver.apply(DriverHarness.spec(.canary, "v2", replicas: 0))
            try await harness.driver.scale(app: "lora-train", track: .canary, replicas: 1)
            try await harness.driver.scale(app: "lora-train", track: .stable, replicas: 3)
            let status = try await harness.status { $0[.canary]?.isRolledOut == true && $0[.stable]?.available == 3 }
            #expect(status.traffic == TrafficSplit([.stable: 75, .canary: 25]))

            harness.server.clearRequests()
            try await harness.driver.setTraffic(app: "lora-train", .canary(50))
            #expect(harness.server.requests.filter { !$0.isWatch }.isEmpty)

            try await harness.driver.delete(app: "lora-train", track: .canary)
            #expect(harness.deployment("lora-train-canary") == nil)
            #expect(harness.service("lora-train-canary") != nil)
            let after = try await harness.status { $0[.canary] == nil }
            #expect(after[.canary] == nil)
            #expect(after.traffic == .all(to: .stable))
        }
    }

    @Test("with Gateway API routing the HTTPRoute carries the weights, and a route already there keeps them on apply")
    func gatewayWeights() async throws {
        let gateway = GatewayRef(namespace: "gateway-system", name: "public")
        try await DriverHarness.with(routing: .gatewayAPI(parent: gateway)) { harness in
            try await harness.driver.apply(DriverHarness.spec(.stable, "v1", replicas: 2))
            try await harness.driver.apply(DriverHarness.spec(.canary, "v2", replicas: 1))
            let route = try #require(harness.server.object(.httpRoutes, namespace: DriverHarness.namespace, name: "lora-train"))
            #expect(route[path: ["spec", "parentRefs"]]?.array?.first?["name"]?.string == "public")
            try await harness.driver.setTraffic(app: "lora-train", .canary(25))
            let weights = harness.server.object(.httpRoutes, namespace: DriverHarness.namespace, name: "lora-train")?[path: ["spec", "rules"]]?
                .array?.first?["backendRefs"]?.array?.compactMap { $0["weight"]?.int }
            #expect(weights == [75, 25])
            // Re-applying the canary (a new image) must not reset the weights.
            try await harness.driver.apply(DriverHarness.spec(.canary, "v3", replicas: 1))
            let status = try await harness.status { $0[.canary]?.isRolledOut == true && $0[.stable]?.isRolledOut == true }
            #expect(status.traffic == TrafficSplit([.stable: 75, .canary: 25]))
        }
    }

    @Test("applying the same spec twice changes nothing: no new generation, the same resourceVersion path")
    func idempotentApply() async throws {
        try await DriverHarness.with { harness in
            let spec = DriverHarness.spec(.stable, "v1", replicas: 2)
            try await harness.driver.apply(spec)
            let generation = harness.deployment("lora-train")?.generation
            try await harness.driver.apply(spec)
            #expect(harness.deployment("lora-train")?.generation == generation)
            try await harness.driver.apply(DriverHarness.spec(.stable, "v2", replicas: 2))
            #expect(harness.deployment("lora-train")?.generation == (generation ?? 0) + 1)
        }
    }

    @Test("a 128-character tag that starts with _ deploys: the API server, which refuses invalid labels, accepts its pods' version label")
    func longTag() async throws {
        try await DriverHarness.with { harness in
            let tag = "_" + String(repeating: "nightly.", count: 15) + "1234567"
            let spec = DriverHarness.spec(.stable, tag, replicas: 1)
            try await harness.driver.apply(spec)
            let labels = harness.deployment("lora-train")?[path: ["spec", "template", "metadata", "labels"]]
            #expect(labels?["version"]?.string == spec.image.version)
            #expect(spec.image.version.count == 63 && spec.image.version.hasPrefix("nightly."))
            let status = try await harness.status { $0[.stable]?.isRolledOut == true }
            #expect(status[.stable]?.image == spec.image)
        }
    }

    @Test("a rollout past its progress deadline is reported as kubectl reports it, and never as rolled out")
    func progressDeadline() async throws {
        try await DriverHarness.with(rollout: .getsStuck) { harness in
            try await harness.driver.apply(DriverHarness.spec(.stable, "v1", replicas: 2))
            let status = try await harness.status { $0[.stable]?.message?.contains("progress deadline") == true }
            #expect(status[.stable]?.message == #"deployment "lora-train" exceeded its progress deadline"#)
            #expect(status[.stable]?.isRolledOut == false)
        }
    }

    @Test("scaling a track that does not exist is an error naming the account and the track")
    func scaleMissing() async throws {
        try await DriverHarness.with { harness in
            await #expect {
                try await harness.driver.scale(app: "lora-train", track: .canary, replicas: 2)
            } throws: { error in
                "\(error)" == "account eks-test: lora-train has no canary Deployment to scale"
            }
            try await harness.driver.delete(app: "lora-train", track: .canary)  // absent: fine
        }
    }
}
