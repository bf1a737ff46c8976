import FakeKubeAPI
import KubeAPI
import TackCore
import Testing

@testable import TackKubernetes

/// The Kubernetes driver against the fake API server (standing in for kube-apiserver and the
/// deployment controller), for blue-green applications.
@Suite("Kubernetes driver: blue-green")
struct KubernetesDriverBlueGreenTests {
    private func selectedColor(_ harness: DriverHarness, _ service: String) -> String? {
        harness.service(service)?[path: ["spec", "selector", "tack.dev/color"]]?.string
    }

    @Test("a promotion switches the Service selector, removes the old color and keeps the new color's pods")
    func promotion() async throws {
        try await DriverHarness.with { harness in
            try await harness.driver.apply(DriverHarness.spec(.active, "v1", replicas: 2))
            #expect(harness.deployment("lora-train-blue") != nil)
            #expect(selectedColor(harness, "lora-train") == "blue")
            try await harness.status { $0.traffic == .all(to: .active) }

            try await harness.driver.apply(DriverHarness.spec(.preview, "v2", replicas: 2))
            #expect(harness.deployment("lora-train-green") != nil)
            #expect(selectedColor(harness, "lora-train-preview") == "green")
            let previewReady = try await harness.status { $0[.preview]?.isRolledOut == true }
            #expect(previewReady.traffic == .all(to: .active))

            try await harness.driver.setTraffic(app: "lora-train", .all(to: .preview))
            #expect(selectedColor(harness, "lora-train") == "green")
            let switched = try await harness.status { $0.traffic == .all(to: .preview) }
            #expect(switched.traffic == .all(to: .preview))

            let template = harness.deployment("lora-train-green")?[path: ["spec", "template"]]
            try await harness.driver.replace(app: "lora-train", .active, with: .preview)
            #expect(harness.deployment("lora-train-blue") == nil)
            #expect(harness.deployment("lora-train-green")?.annotations["tack.dev/track"] == "active")
            #expect(harness.deployment("lora-train-green")?[path: ["spec", "template"]] == template)
            let promoted = try await harness.status { $0[.preview] == nil && $0.traffic == .all(to: .active) }
            #expect(promoted[.active]?.image == DriverHarness.image("v2"))
            #expect(promoted.traffic == .all(to: .active))

            // The next preview goes to the free color.
            try await harness.driver.apply(DriverHarness.spec(.preview, "v3", replicas: 2))
            #expect(harness.deployment("lora-train-blue")?.annotations["tack.dev/track"] == "preview")
            #expect(selectedColor(harness, "lora-train-preview") == "blue")
            #expect(selectedColor(harness, "lora-train") == "green")
        }
    }

    @Test("a replace repeated after a crash half-way finishes the promotion without touching the new color")
    func replaceRepeated() async throws {
        try await DriverHarness.with { harness in
            try await harness.driver.apply(DriverHarness.spec(.active, "v1", replicas: 1))
            try await harness.driver.apply(DriverHarness.spec(.preview, "v2", replicas: 1))
            try await harness.driver.setTraffic(app: "lora-train", .all(to: .preview))
            // As if the previous controller died after deleting the old color.
            try harness.server.delete(.deployments, namespace: DriverHarness.namespace, name: "lora-train-blue")
            try await harness.status { $0[.active] == nil }
            try await harness.driver.replace(app: "lora-train", .active, with: .preview)
            try await harness.driver.replace(app: "lora-train", .active, with: .preview)
            let status = try await harness.status { $0[.active]?.isRolledOut == true && $0[.preview] == nil }
            #expect(status[.active]?.image == DriverHarness.image("v2"))
            #expect(status.traffic == .all(to: .active))
        }
    }
}
