import Foundation
import TackCore
import TackHTTP
import Testing

@testable import TackLocal

/// The bundled trainer service as the local runtime runs it: the lora-train image staged by
/// `manifests/images/lora-train/stage.sh`, imported into the image store and started as a
/// replica (a runc container when runc can run), behind the nginx listener and scraped by the
/// embedded Prometheus. `scripts/test.sh` stages the image and sets TACK_LORA_IMAGE_ROOT.
@Suite("LocalRuntime with the lora-train image", .serialized)
struct LoRAImageRuntimeTests {
    static let stagedRoot = ProcessInfo.processInfo.environment["TACK_LORA_IMAGE_ROOT"] ?? ""

    @Test(
        "the trainer service runs as a replica: it answers embeddings through the listener and its metrics carry the runtime's labels",
        .enabled(if: !stagedRoot.isEmpty, "set TACK_LORA_IMAGE_ROOT to a root staged by manifests/images/lora-train/stage.sh"))
    func trainerReplica() async throws {
        let home = RuntimeHome(path: FileManager.default.temporaryDirectory.appendingPathComponent("tack-lora-\(UUID().uuidString.prefix(8))").path)
        let runtime = try LocalRuntime(home: home)
        let http = try CurlHTTPClient()
        defer { try? FileManager.default.removeItem(atPath: home.path) }
        do {
            let image = try LocalImageStore(root: home.images).importStaged(root: Self.stagedRoot, tag: "v1")
            try await runtime.apply(
                account: "aws-eu-central-1", TrackSpec(app: "lora", track: .stable, image: image.reference, replicas: 1))
            var status = try await runtime.status(account: "aws-eu-central-1", app: "lora")
            for _ in 0..<150 where status[.stable]?.available != 1 {
                try await Task.sleep(for: .milliseconds(200))
                try await runtime.pass()
                status = try await runtime.status(account: "aws-eu-central-1", app: "lora")
            }
            let name = try await runtime.snapshot().allReplicas.first?.replica.name ?? "?"
            let log = (try? String(contentsOfFile: home.replicaLog(name), encoding: .utf8)) ?? ""
            try #require(status[.stable]?.available == 1, "the replica is not ready: \(status)\n\(log.suffix(2000))")

            let url = try #require(try await runtime.url(account: "aws-eu-central-1", app: "lora"))
            let response = try await http.send(
                HTTPRequest(
                    method: .post, url: url + "/v1/embed", headers: ["Content-Type": "application/json"],
                    body: Array(#"{"texts": ["Roll back when the error rate rises."]}"#.utf8), timeout: .seconds(30)))
            #expect(response.status == 200)
            let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            let embeddings = json?["embeddings"] as? [[Double]]
            #expect(embeddings?.first?.count == 384)

            let prometheus = try #require(try await runtime.prometheusURL())
            let query = #"sum(lora_http_requests_total{app="lora",account="aws-eu-central-1",track="stable",version="v1",route="/v1/embed"})"#
            var value = ""
            for _ in 0..<60 where value.isEmpty || value == "0" {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                let answer = try await http.send(HTTPRequest(url: "\(prometheus)/api/v1/query?query=\(encoded)", timeout: .seconds(5)))
                let data = (try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["data"] as? [String: Any]
                value = (((data?["result"] as? [[String: Any]])?.first?["value"] as? [Any])?.last as? String) ?? ""
                if value.isEmpty || value == "0" { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(value == "1", "Prometheus counts the embed request under the runtime's labels")
        } catch {
            Issue.record("\(error)")
        }
        try? await runtime.down(grace: .seconds(5))
        http.shutdown()
    }
}
