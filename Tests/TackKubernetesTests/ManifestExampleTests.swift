import Foundation
import TackCore
import Testing

@testable import KubeAPI
@testable import TackKubernetes

/// `manifests/examples/lora-train` shows what Tack renders; these tests render the same objects and
/// compare them with the files, field by field, so the two cannot drift apart.
@Suite("Manifests: the lora-train example is exactly what Tack renders")
struct ManifestExampleTests {
    /// The version the example's stable track ran before the pipeline's v1.3.0: the snapshot's premise.
    static let stableImage = "ghcr.io/tack-dev/lora-train:v1.2.0@sha256:a2fe800e17f179961124677cbcb18bffe85f3b2edd632fb609d613ad9591e940"
    /// The canary step the snapshot shows.
    static let weight = 25

    /// The objects Tack renders for `pipeline.yaml`'s gatewayAPI account at `setWeight: 25`, by `Kind/name`.
    static func rendered() throws -> [String: JSONValue] {
        let catalog = ManifestCatalog.shared
        let pipeline = try #require(catalog.tackFiles.first { $0["application"] != nil })
        let accounts = try #require(catalog.tackFiles.first { $0["accounts"] != nil })
        let app = try #require(pipeline["application"]?.string)
        let account = try #require(accounts["accounts"]?.items.first { $0["traffic"]?.string == "gatewayAPI" })
        let gateway = try #require(account["gateway"]?.string?.split(separator: "/").map(String.init))
        let clusters = (pipeline["pipeline", "stages"]?.items ?? []).flatMap { $0["clusters"]?.items ?? [] }
        let cluster = try #require(clusters.first { $0["account"]?.string == account["name"]?.string })
        #expect(cluster["canary", "steps"]?.items.contains { $0["setWeight"]?.int == weight } == true)
        let size = try #require(cluster["targetSize"]?.int)
        let canaryImage = try ImageRef(parsing: try #require(cluster["container"]?.string))

        let parent = GatewayRef(namespace: gateway[0], name: gateway[1])
        let options = KubernetesWorkloadOptions(namespace: account["namespace"]?.string ?? "default", routing: .gatewayAPI(parent: parent))
        let deployments = DeploymentRenderer(options: options)
        let objects = [
            deployments.deployment(TrackSpec(app: app, track: .stable, image: try ImageRef(parsing: stableImage), replicas: size)),
            deployments.deployment(TrackSpec(app: app, track: .canary, image: canaryImage, replicas: (size * weight + 99) / 100)),
            HTTPRouteRenderer(options: options).route(app: app, parent: parent, split: .canary(weight)),
        ] + ServiceRenderer(options: options).canaryServices(app: app)
        return Dictionary(uniqueKeysWithValues: objects.map { (key($0), $0) })
    }

    /// The example's Kubernetes objects as JSON (YAML typed as the API server reads it), by `Kind/name`.
    static func written() -> [String: JSONValue] {
        let objects = ManifestCatalog.shared.objects.filter { $0.file.hasPrefix("manifests/examples/lora-train/") }
        return Dictionary(uniqueKeysWithValues: objects.map { ("\($0.kind)/\($0.name)", $0.root.node.jsonValue) })
    }

    static func key(_ object: JSONValue) -> String {
        "\(object["kind"]?.string ?? "")/\(object.name ?? "")"
    }

    @Test("the example holds one file per object Tack renders, and no other object")
    func sameObjects() throws {
        let rendered = try Self.rendered()
        #expect(Self.written().keys.sorted() == rendered.keys.sorted())
    }

    @Test("each example object equals the renderer's output field by field",
          arguments: ["Deployment/lora-train", "Deployment/lora-train-canary", "Service/lora-train", "Service/lora-train-stable",
                      "Service/lora-train-canary", "HTTPRoute/lora-train"])
    func sameFields(_ key: String) throws {
        let rendered = try #require(try Self.rendered()[key])
        let written = try #require(Self.written()[key], "no example file holds \(key)")
        #expect(Self.differences(written, rendered) == [], "\(key): example vs renderer")
    }

    @Test("the differences of two objects name each path where they differ")
    func differencesNamePaths() {
        let a: JSONValue = ["spec": ["replicas": 3, "ports": [["port": 80]]], "kind": "Service"]
        let b: JSONValue = ["spec": ["replicas": "3", "ports": [["port": 81]]], "status": [:]]
        #expect(Self.differences(a, b) == [
            "kind: \"Service\" vs absent", "spec.ports[0].port: 80 vs 81", "spec.replicas: 3 vs \"3\"", "status: absent vs {}",
        ])
    }

    /// Every path where `written` and `rendered` differ, with both values.
    static func differences(_ written: JSONValue?, _ rendered: JSONValue?, at path: String = "") -> [String] {
        switch (written, rendered) {
        case (.object(let a)?, .object(let b)?):
            return Set(a.keys).union(b.keys).sorted().flatMap { differences(a[$0], b[$0], at: path.isEmpty ? $0 : "\(path).\($0)") }
        case (.array(let a)?, .array(let b)?) where a.count == b.count:
            return a.indices.flatMap { differences(a[$0], b[$0], at: "\(path)[\($0)]") }
        default:
            guard written != rendered else { return [] }
            let show = { (value: JSONValue?) in value.map { String(decoding: $0.jsonBytes, as: UTF8.self) } ?? "absent" }
            return ["\(path): \(show(written)) vs \(show(rendered))"]
        }
    }
}
