import Foundation
import Testing
import TackHTTP
@testable import LoRAService

/// Runs the training service in this process on a free loopback port with the tiny fixture model,
/// and talks to it over real sockets with the project's libcurl client.
@Suite("lora-train serve over HTTP", .serialized)
struct ServiceHTTPTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LoRATests/Fixtures/tiny-bert").path

    /// A running service and a client; `stop()` ends the service, also when the test fails.
    final class Running: Sendable {
        let base: String
        let client: CurlHTTPClient
        let task: Task<Void, any Error>
        let directory: String

        init(faults: FaultInjection = FaultInjection(), bodyLimit: Int = 1 << 20) async throws {
            directory = NSTemporaryDirectory() + "lora-serve-\(UUID().uuidString)"
            let configuration = ServiceConfiguration(
                port: 0, modelDirectory: ServiceHTTPTests.model, stateDirectory: directory + "/state",
                outputDirectory: directory + "/output", dataDirectory: directory + "/data", bodyLimit: bodyLimit,
                faults: faults)
            let service = try TrainingService(configuration: configuration)
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            task = Task { try await service.run { port in continuation.yield(port) } }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            base = "http://127.0.0.1:\(port)"
            client = try CurlHTTPClient(configuration: .init(retry: RetryPolicy(maxAttempts: 1)))
        }

        func stop() async {
            task.cancel()
            _ = try? await task.value
            client.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
        }

        func send(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
            let response = try await client.send(HTTPRequest(
                method: method, url: base + path, headers: json == nil ? [:] : ["Content-Type": "application/json"],
                body: json.map { Array($0.utf8) }))
            return (response.status, String(decoding: response.body, as: UTF8.self), response.headers)
        }
    }

    @Test("health, readiness and metrics answer; embed returns normalised vectors of the model's width")
    func embedAndProbes() async throws {
        let service = try await Running()
        do {
            #expect(try await service.send(.get, "/healthz").status == 200)
            #expect(try await service.send(.get, "/readyz").status == 200)
            let embed = try await service.send(.post, "/v1/embed", json: #"{"texts": ["the cat sat", "hello there"]}"#)
            #expect(embed.status == 200)
            let answer = try JSONSerialization.jsonObject(with: Data(embed.body.utf8)) as? [String: Any]
            let vectors = answer?["embeddings"] as? [[Double]] ?? []
            #expect(vectors.count == 2 && vectors.allSatisfy { $0.count == 32 })
            #expect(vectors.allSatisfy { abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4 })

            let metrics = try await service.send(.get, "/metrics")
            #expect(metrics.body.contains(#"lora_http_requests_total{code="200",method="POST",route="/v1/embed"} 1"#))
            #expect(metrics.body.contains("lora_build_info{"))
        } catch {
            await service.stop()
            throw error
        }
        await service.stop()
    }

    @Test("malformed JSON answers 400, an oversized body 413, an empty text list 422, each with a JSON error")
    func badRequests() async throws {
        let service = try await Running(bodyLimit: 1024)
        do {
            let malformed = try await service.send(.post, "/v1/embed", json: #"{"texts": ["a""#)
            #expect(malformed.status == 400)
            #expect(malformed.body.contains("\"error\""))
            let large = try await service.send(.post, "/v1/embed", json: #"{"texts": [""# + String(repeating: "a", count: 4000) + #""]}"#)
            #expect(large.status == 413)
            let empty = try await service.send(.post, "/v1/embed", json: #"{"texts": []}"#)
            #expect(empty.status == 422)
            let wrongType = try await service.send(.post, "/v1/embed", json: #"{"texts": "one"}"#)
            #expect(wrongType.status == 400)
            #expect(try await service.send(.get, "/healthz").status == 200)
        } catch {
            await service.stop()
            throw error
        }
        await service.stop()
    }

    @Test("with LORA_FAULT_ERROR_RATE=1 every API request answers 500 and is counted, while /healthz stays up")
    func faults() async throws {
        let faults = try FaultInjection.fromEnvironment(["LORA_FAULT_ERROR_RATE": "1"])
        let service = try await Running(faults: faults)
        do {
            for _ in 0..<3 { #expect(try await service.send(.post, "/v1/embed", json: #"{"texts": ["x"]}"#).status == 500) }
            #expect(try await service.send(.get, "/healthz").status == 200)
            let metrics = try await service.send(.get, "/metrics").body
            #expect(metrics.contains(#"lora_http_requests_total{code="500",method="POST",route="/v1/embed"} 3"#))
            #expect(metrics.contains(#"fault_error_rate="1""#))
        } catch {
            await service.stop()
            throw error
        }
        await service.stop()
    }
}
