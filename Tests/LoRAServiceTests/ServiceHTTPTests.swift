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

        init(faults: FaultInjection = FaultInjection(), bodyLimit: Int = 1 << 20, queueCapacity: Int = 8) async throws {
            directory = NSTemporaryDirectory() + "lora-serve-\(UUID().uuidString)"
            let configuration = ServiceConfiguration(
                port: 0, modelDirectory: ServiceHTTPTests.model, stateDirectory: directory + "/state",
                outputDirectory: directory + "/output", dataDirectory: directory + "/data", queueCapacity: queueCapacity,
                bodyLimit: bodyLimit, faults: faults)
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

    @Test("concurrent embed requests, batched together by the service, each get their own texts' embeddings")
    func concurrentEmbeds() async throws {
        let service = try await Running()
        do {
            let requests = (0..<24).map { index in (0...(index % 3)).map { "the cat sat \(index) \($0)" } }
            func vectors(_ body: String) -> [[Double]] {
                ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any])?["embeddings"] as? [[Double]] ?? []
            }
            func body(_ texts: [String]) -> String {
                #"{"texts": ["# + texts.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
            }
            var alone: [[[Double]]] = []
            for texts in requests { alone.append(vectors(try await service.send(.post, "/v1/embed", json: body(texts)).body)) }
            let together = try await withThrowingTaskGroup(of: (Int, [[Double]]).self) { group in
                for (index, texts) in requests.enumerated() {
                    group.addTask { (index, vectors(try await service.send(.post, "/v1/embed", json: body(texts)).body)) }
                }
                var results = [[[Double]]](repeating: [], count: requests.count)
                for try await (index, result) in group { results[index] = result }
                return results
            }
            for index in requests.indices {
                #expect(together[index].count == requests[index].count)
                let difference = zip(together[index].joined(), alone[index].joined()).map { abs($0 - $1) }.max() ?? 1
                #expect(difference < 1e-5, "request \(index) differs by \(difference)")
            }
        } catch {
            await service.stop()
            throw error
        }
        await service.stop()
    }

    @Test("300 hostile bodies on every route get 4xx answers, never a 5xx, and the service stays up")
    func hostileBodies() async throws {
        let service = try await Running(bodyLimit: 64 << 10)
        do {
            var random = SystemRandomNumberGenerator()
            let fragments = [
                "{", "}", "[", "]", "\"texts\"", "\"pairs\"", ":", ",", "null", "true", "1e999", "-0", "\"\\u0000\"",
                "\"anchor\"", "\"positive\"", "\"max_steps\"", "\"lora_rank\"", "\"data_path\"", "\"../../etc/passwd\"",
                "\"adapter\"", "\"é漢字😀\"", "0", "99999999999999999999", "\"\"", "[[[[[[[[", "\"batch_size\"", "-1",
            ]
            var bodies = (0..<250).map { _ in
                (0..<Int.random(in: 1...24, using: &random)).map { _ in fragments.randomElement(using: &random)! }.joined()
            }
            bodies += (0..<50).map { _ in String(decoding: (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, as: UTF8.self) }
            for (index, body) in bodies.enumerated() {
                let route = ["/v1/embed", "/v1/jobs"][index % 2]
                let answer = try await service.send(.post, route, json: body)
                #expect((400..<500).contains(answer.status) || answer.status == 202 || answer.status == 200,
                        "\(route) answered \(answer.status) to \(body.debugDescription)")
            }
            #expect(try await service.send(.get, "/healthz").status == 200)
            #expect(try await service.send(.get, "/v1/jobs/%2e%2e%2f").status == 404)
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

/// The job API over HTTP, on the tiny model.
@Suite("lora-train serve jobs over HTTP", .serialized)
struct ServiceJobHTTPTests {
    static func pairs(_ count: Int) -> String {
        (0..<count).map { #"{"anchor": "the cat sat \#($0 % 5)", "positive": "hello there \#($0 % 7)"}"# }.joined(separator: ", ")
    }

    static func json(_ body: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }

    /// Polls the job until it is finished; returns its last JSON.
    static func waitFinished(_ service: ServiceHTTPTests.Running, _ id: String) async throws -> [String: Any] {
        for _ in 0..<600 {
            let job = json(try await service.send(.get, "/v1/jobs/\(id)").body)
            if let state = job["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) { return job }
            try await Task.sleep(for: .milliseconds(50))
        }
        return [:]
    }

    /// `/metrics` once it holds `line`, or as it is after 10 s. A job's thread updates the metrics
    /// after the job's state, and it runs at idle priority (the service's default), so on a busy
    /// machine a finished job may be counted a little after it reads as finished.
    static func metrics(_ service: ServiceHTTPTests.Running, containing line: String) async throws -> String {
        var metrics = try await service.send(.get, "/metrics").body
        for _ in 0..<500 where !metrics.contains(line) {
            try await Task.sleep(for: .milliseconds(20))
            metrics = try await service.send(.get, "/metrics").body
        }
        return metrics
    }

    @Test("a job posted with inline pairs answers 202, trains to succeeded, and its adapter serves embeddings")
    func trainAndEmbed() async throws {
        let service = try await ServiceHTTPTests.Running()
        do {
            let posted = try await service.send(
                .post, "/v1/jobs", json: #"{"max_steps": 4, "batch_size": 4, "threads": 1, "pairs": [\#(Self.pairs(12))]}"#)
            #expect(posted.status == 202, "\(posted.body)")
            let id = try #require(Self.json(posted.body)["id"] as? String)
            #expect(posted.headers["Location"] == "/v1/jobs/\(id)")
            let job = try await Self.waitFinished(service, id)
            #expect(job["state"] as? String == "succeeded", "\(job)")

            let embed = try await service.send(.post, "/v1/embed", json: #"{"texts": ["the cat"], "adapter": "\#(id)"}"#)
            #expect(embed.status == 200, "\(embed.body)")
            let list = Self.json(try await service.send(.get, "/v1/jobs").body)["jobs"] as? [[String: Any]]
            #expect(list?.count == 1)
            let succeeded = #"lora_jobs_total{outcome="succeeded"} 1"#
            #expect(try await Self.metrics(service, containing: succeeded).contains(succeeded))
            #expect(try await service.send(.delete, "/v1/jobs/\(id)").status == 409)
        } catch {
            await service.stop()
            throw error
        }
        await service.stop()
    }

    @Test("an invalid job answers 422 with every problem; unknown jobs 404; an adapter of an unknown job 404")
    func invalidJobs() async throws {
        let service = try await ServiceHTTPTests.Running()
        do {
            let invalid = try await service.send(
                .post, "/v1/jobs", json: #"{"lora_rank": 1024, "learning_rate": 7, "pairs": [\#(Self.pairs(4))]}"#)
            #expect(invalid.status == 422)
            let problems = Self.json(invalid.body)["problems"] as? [String] ?? []
            #expect(problems.count == 2, "\(problems)")
            #expect(problems.contains { $0.contains("lora_rank: 1024 exceeds the model's hidden size 32") })
            #expect(try await service.send(.post, "/v1/jobs", json: "[1, 2").status == 400)
            #expect(try await service.send(.get, "/v1/jobs/0123456789abcdef0123").status == 404)
            #expect(try await service.send(.get, "/v1/jobs/nonsense").status == 404)
            let embed = try await service.send(.post, "/v1/embed", json: #"{"texts": ["x"], "adapter": "0123456789abcdef0123"}"#)
            #expect(embed.status == 404)
        } catch {
            await service.stop()
            throw error
        }
        await service.stop()
    }

    @Test("a full queue answers 429 with Retry-After; DELETE cancels a queued job at once and a running one at its next step")
    func fullQueueAndCancel() async throws {
        let service = try await ServiceHTTPTests.Running(queueCapacity: 1)
        do {
            let body = #"{"max_steps": 100000, "batch_size": 4, "threads": 1, "pairs": [\#(Self.pairs(8))]}"#
            let running = Self.json(try await service.send(.post, "/v1/jobs", json: body).body)["id"] as? String ?? ""
            for _ in 0..<200 where Self.json(try await service.send(.get, "/v1/jobs/\(running)").body)["state"] as? String != "running" {
                try await Task.sleep(for: .milliseconds(10))
            }
            let queued = Self.json(try await service.send(.post, "/v1/jobs", json: body).body)["id"] as? String ?? ""
            let full = try await service.send(.post, "/v1/jobs", json: body)
            #expect(full.status == 429)
            #expect(Int(full.headers["Retry-After"] ?? "") ?? 0 >= 1)

            let cancelQueued = try await service.send(.delete, "/v1/jobs/\(queued)")
            #expect(cancelQueued.status == 200 && Self.json(cancelQueued.body)["state"] as? String == "cancelled")
            #expect(try await service.send(.delete, "/v1/jobs/\(running)").status == 202)
            let stopped = try await Self.waitFinished(service, running)
            #expect(stopped["state"] as? String == "cancelled")
            let cancelled = #"lora_jobs_total{outcome="cancelled"} 2"#
            #expect(try await Self.metrics(service, containing: cancelled).contains(cancelled))
        } catch {
            await service.stop()
            throw error
        }
        await service.stop()
    }
}
