import Foundation
import Testing
import TackHTTP

/// `lora-train serve` as a process: SIGTERM checkpoints the running job and a restart finishes it.
@Suite("lora-train serve, stopped and restarted", .serialized)
struct ServeCommandTests {
    /// A running `lora-train serve` on a free loopback port; killed when the test is done.
    final class Server {
        let process = Process()
        let errors = Pipe()
        var port = 0
        /// What the server printed until it listened.
        var startup = ""

        init(directory: URL, environment: [String: String] = [:]) throws {
            process.executableURL = LoRATrainRun.binary
            process.arguments = [
                "serve", "--model", LoRATrainRun.repository.appendingPathComponent(LoRATrainRun.tinyModel).path,
                "--state-dir", directory.appendingPathComponent("state").path,
                "--output-dir", directory.appendingPathComponent("output").path,
                "--data-dir", directory.appendingPathComponent("data").path,
            ]
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LORA_") }
                .merging(["PORT": "0"].merging(environment) { $1 }) { $1 }
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var text = ""
            defer { startup = text }
            let deadline = Date().addingTimeInterval(30)
            while port == 0, Date() < deadline, process.isRunning {
                text += String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
                if let range = text.range(of: #"on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                    port = Int(text[range].split(separator: ":").last ?? "") ?? 0
                }
            }
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        func terminate() -> Int32 {
            process.terminate()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static func send(_ client: CurlHTTPClient, _ method: HTTPMethod, _ port: Int, _ path: String, json: String? = nil) async throws
        -> [String: Any] {
        let response = try await client.send(HTTPRequest(
            method: method, url: "http://127.0.0.1:\(port)\(path)", headers: ["Content-Type": "application/json"],
            body: json.map { Array($0.utf8) }))
        return (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? ["status": response.status]
    }

    @Test("SIGTERM while a job trains exits 0 after a checkpoint; the restarted service resumes the job from it")
    func terminateAndResume() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lora-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let client = try CurlHTTPClient(configuration: .init(retry: .never))
        defer { client.shutdown() }

        let first = try Server(directory: directory)
        #expect(first.port > 0)
        let pairs = (0..<16).map { #"{"anchor": "the cat sat \#($0)", "positive": "hello there \#($0)"}"# }.joined(separator: ",")
        let job = try await Self.send(
            client, .post, first.port, "/v1/jobs",
            json: #"{"max_steps": 1000000, "save_steps": 5, "batch_size": 4, "threads": 1, "pairs": [\#(pairs)]}"#)
        let id = try #require(job["id"] as? String)
        var checkpoint = 0
        let deadline = Date().addingTimeInterval(60)
        while checkpoint < 10, Date() < deadline {
            let progress = try await Self.send(client, .get, first.port, "/v1/jobs/\(id)")["progress"] as? [String: Any]
            checkpoint = progress?["checkpoint_step"] as? Int ?? 0
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(checkpoint >= 10)
        #expect(first.terminate() == 0)

        // The restarted service picks the job up from its newest checkpoint, not from step 0.
        let second = try Server(directory: directory)
        var resumedAt = 0
        var state = ""
        while resumedAt == 0, Date() < deadline {
            let current = try await Self.send(client, .get, second.port, "/v1/jobs/\(id)")
            state = current["state"] as? String ?? ""
            resumedAt = state == "running" ? (current["progress"] as? [String: Any])?["step"] as? Int ?? 0 : 0
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(resumedAt >= checkpoint, "resumed at step \(resumedAt), checkpointed at \(checkpoint) (state \(state))")
        _ = try await Self.send(client, .delete, second.port, "/v1/jobs/\(id)")
        #expect(second.terminate() == 0)
    }

    @Test("fault injection is announced at start-up and in lora_build_info")
    func faultAnnouncement() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lora-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Server(directory: directory, environment: ["LORA_FAULT_ERROR_RATE": "30%", "LORA_FAULT_LATENCY": "10ms"])
        let client = try CurlHTTPClient(configuration: .init(retry: .never))
        defer { client.shutdown() }
        let metrics = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/metrics"))
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains(#"fault_error_rate="0.3""#) && text.contains(#"fault_latency="10ms""#))
        #expect(server.startup.contains("fault injection ON"), "\(server.startup)")
        #expect(server.terminate() == 0)
    }
}
