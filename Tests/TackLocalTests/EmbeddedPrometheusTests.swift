import Foundation
import TackCore
import TackHTTP
import Testing

@testable import TackLocal

/// These start the real Prometheus (Debian's /usr/bin/prometheus) on free loopback ports, with
/// scrape targets from `Fixtures/metrics/target.py`, and always stop both.
@Suite("EmbeddedPrometheus", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus")))
struct EmbeddedPrometheusTests {
    @Test("each replica's series carry app, account, track and version, and a removed replica is dropped")
    func targetsAreLabelledAndRemoved() async throws {
        try await withPrometheus { prometheus, http in
            let ports = try FreePort.next(3)
            let stable = (0..<2).map {
                ScrapeTarget(app: "recommender", account: "local", track: .stable, version: "v1",
                             replica: "recommender-stable-\($0)", port: ports[$0])
            }
            let canary = ScrapeTarget(app: "recommender", account: "local", track: .canary, version: "v2",
                                      replica: "recommender-canary-0", port: ports[2])
            let servers = try stable.map { try TargetServer(address: $0.address, requests: 42) }
                + [try TargetServer(address: canary.address, requests: 7)]
            defer { servers.forEach { $0.stop() } }
            for server in servers { try await server.waitUntilServing(http) }

            let handle = try await prometheus.start()
            #expect(try await prometheus.start() == handle)
            #expect(try await prometheus.setTargets(stable + [canary]))
            #expect(try await prometheus.setTargets([canary] + stable) == false)
            try await prometheus.waitUntilScraped(stable + [canary], timeout: .seconds(20))

            let canarySeries = try await query(
                #"lora_http_requests_total{app="recommender",account="local",track="canary",version="v2"}"#,
                on: prometheus.url, http)
            #expect(canarySeries.count == 1)
            #expect(canarySeries.first?.value == "7")
            let labels = canarySeries.first?.labels ?? [:]
            #expect(labels["app"] == "recommender" && labels["account"] == "local")
            #expect(labels["track"] == "canary" && labels["version"] == "v2")
            #expect(labels["code"] == "200" && labels["route"] == "/v1/embed" && labels["job"] == "tack")
            // Two replicas of one track are two series; the analysis's sum() adds them up.
            let stableSum = try await query(
                #"sum(lora_http_requests_total{app="recommender",account="local",track="stable",version="v1"})"#,
                on: prometheus.url, http)
            #expect(stableSum.map(\.value) == ["84"])

            #expect(try await prometheus.setTargets(stable))
            let start = ContinuousClock.now
            var addresses = Set<String>()
            while ContinuousClock.now - start < .seconds(10) {
                addresses = Set(try await prometheus.activeTargets().map(\.address))
                if !addresses.contains(canary.address) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(addresses == Set(stable.map(\.address)))
            // Prometheus applies discovered targets in batches every 5 s.
            #expect(ContinuousClock.now - start < .seconds(8))

            await prometheus.stop()
            #expect(!handle.isRunning)
            #expect(!EmbeddedPrometheus.isListening(port: prometheus.port))
        }
    }

    @Test("a configuration Prometheus rejects fails start with Prometheus's message, and a taken port is named")
    func rejectedConfiguration() async throws {
        try await withPrometheus(scrapeTimeout: .seconds(2)) { prometheus, _ in
            do {
                try await prometheus.start()
                Issue.record("start succeeded with a scrape timeout over the interval")
            } catch {
                guard case .commandFailed(let command, let status, let output) = error as? LocalRuntimeError else {
                    Issue.record("unexpected error: \(error)")
                    return
                }
                #expect(command.hasPrefix("prometheus --config.file="))
                #expect(status == 2)  // Prometheus exits with 2 on a configuration it rejects
                #expect(output.contains("Error loading config"))
                #expect(output.contains("scrape timeout greater than scrape interval"))
            }
            #expect(await !prometheus.isRunning)
            #expect(!EmbeddedPrometheus.isListening(port: prometheus.port))
        }
        let port = try FreePort.next()
        let server = try TargetServer(address: "127.0.0.1:\(port)", requests: 1)
        defer { server.stop() }
        let http = try CurlHTTPClient(configuration: HTTPClientConfiguration(retry: .never))
        defer { http.shutdown() }
        try await server.waitUntilServing(http)
        try await withMetricsDirectory { directory in
            let prometheus = EmbeddedPrometheus(directory: directory, port: port, transport: http)
            await #expect(throws: LocalRuntimeError.io(path: "127.0.0.1:\(port)", errno: EADDRINUSE)) {
                try await prometheus.start()
            }
        }
    }

    @Test("a Prometheus an earlier process started is adopted, not started twice, reloaded with a changed configuration, and stopped")
    func adoption() async throws {
        try await withPrometheus { first, http in
            let handle = try await first.start()
            let second = EmbeddedPrometheus(
                directory: first.directory, port: first.port, transport: http, scrapeInterval: .seconds(2))
            #expect(await second.adopt(handle))
            #expect(try await second.start() == handle)
            let response = try await http.send(HTTPRequest(url: first.url + "/api/v1/status/config"))
            let status = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            let yaml = (status?["data"] as? [String: Any])?["yaml"] as? String ?? ""
            #expect(yaml.contains("scrape_interval: 2s"), "\(yaml)")
            await second.stop()
            #expect(!handle.isRunning)
            #expect(!EmbeddedPrometheus.isListening(port: first.port))
            #expect(await !second.adopt(handle))
            #expect(await first.handle == handle)
            await first.stop()
        }
    }
}

// MARK: - Helpers

/// Runs `body` with an EmbeddedPrometheus in a fresh directory on a free port, and stops it
/// afterwards whether the body passes, fails or throws.
private func withPrometheus(
    scrapeTimeout: Duration? = nil, _ body: (EmbeddedPrometheus, CurlHTTPClient) async throws -> Void
) async throws {
    let http = try CurlHTTPClient(configuration: HTTPClientConfiguration(
        connectTimeout: .seconds(2), requestTimeout: .seconds(5), retry: .never))
    defer { http.shutdown() }
    try await withMetricsDirectory { directory in
        let prometheus = EmbeddedPrometheus(
            directory: directory, port: try FreePort.next(), transport: http, scrapeTimeout: scrapeTimeout)
        do {
            try await body(prometheus, http)
        } catch {
            await prometheus.stop(grace: .seconds(3))
            throw error
        }
        await prometheus.stop(grace: .seconds(3))
    }
}

/// One `target.py` serving a fixed exposition: `requests` POSTs to /v1/embed, and a histogram.
private struct TargetServer {
    let handle: ProcessHandle
    let address: String

    init(address: String, requests: Int) throws {
        self.address = address
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/metrics/target.py").path
        let lines = [
            "# TYPE lora_http_requests_total counter",
            #"lora_http_requests_total{code="200",method="POST",route="/v1/embed"} \#(requests)"#,
            "# TYPE lora_http_request_duration_seconds histogram",
            #"lora_http_request_duration_seconds_bucket{method="POST",route="/v1/embed",le="0.1"} \#(requests)"#,
            #"lora_http_request_duration_seconds_bucket{method="POST",route="/v1/embed",le="+Inf"} \#(requests)"#,
            #"lora_http_request_duration_seconds_sum{method="POST",route="/v1/embed"} \#(Double(requests) * 0.05)"#,
            #"lora_http_request_duration_seconds_count{method="POST",route="/v1/embed"} \#(requests)"#,
        ]
        let port = String(address.split(separator: ":").last ?? "")
        handle = try ChildProcess.spawn(ProcessSpec(
            executable: "/usr/bin/python3", arguments: [fixture, "--port", port] + lines,
            environment: ChildProcess.minimalEnvironment))
    }

    func waitUntilServing(_ http: CurlHTTPClient) async throws {
        for _ in 0..<100 {
            if (try? await http.send(HTTPRequest(url: "http://\(address)/metrics")))?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LocalRuntimeError.timedOut(what: "the target on \(address) to serve", seconds: 5)
    }

    func stop() {
        handle.signal(SIGKILL)
        var status: Int32 = 0
        _ = waitpid(handle.pid, &status, 0)
    }
}

/// The samples of an instant query: labels and the value as Prometheus writes it.
private func query(_ promql: String, on url: String, _ http: CurlHTTPClient) async throws -> [(labels: [String: String], value: String)] {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let encoded = promql.addingPercentEncoding(withAllowedCharacters: allowed) ?? promql
    let response = try await http.send(HTTPRequest(url: "\(url)/api/v1/query?query=\(encoded)"))
    try #require(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
    let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    let data = object?["data"] as? [String: Any]
    let result = data?["result"] as? [[String: Any]] ?? []
    return result.map { sample in
        let labels = sample["metric"] as? [String: String] ?? [:]
        let value = (sample["value"] as? [Any])?.last as? String ?? ""
        return (labels, value)
    }
}
