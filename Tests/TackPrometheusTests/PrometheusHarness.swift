import Foundation
import TackCore
import TackHTTP
import TackPrometheus
import TestSupport

/// A real Prometheus on 127.0.0.1 scraping `Fixtures/exporter.py` every second, each in a temporary
/// directory, for one test. `PrometheusHarness.with` always stops both (SIGTERM, then SIGKILL after
/// 3 s, and waits), whether the test passes, fails or throws; the exporter also exits if the test
/// process dies, because it watches its stdin.
final class PrometheusHarness {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The Prometheus executable, if one is on PATH.
    static let prometheusPath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/prometheus" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    let directory: URL
    let http: CurlHTTPClient
    let exporter: Process
    let exporterInput = Pipe()
    private(set) var prometheus: Process?
    private(set) var prometheusURL = ""

    /// Starts the exporter with one target per track (`["canary": "v2"]`: track and version),
    /// lets `prepare` set its traffic before the first scrape, starts Prometheus, runs `body`, and
    /// stops everything.
    static func with<T>(tracks: [String: String] = ["canary": "v2", "stable": "v1"],
                        prepare: (PrometheusHarness) async throws -> Void = { _ in },
                        _ body: (PrometheusHarness) async throws -> T) async throws -> T {
        let harness = try PrometheusHarness(tracks: tracks)
        do {
            try await harness.waitForExporter()
            try await prepare(harness)
            try await harness.startPrometheus()
            try await harness.waitUntilScraped(targets: tracks.count)
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            await harness.stop()
            throw error
        }
    }

    private init(tracks: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        http = try CurlHTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(2), requestTimeout: .seconds(5), retry: .never))
        exporter = Process()
        exporter.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        exporter.arguments = ["python3", fixturePath("exporter.py"), "--exit-on-stdin-eof",
                              "--config", directory.appendingPathComponent("prometheus.yml").path]
            + tracks.sorted { $0.key < $1.key }.flatMap { ["--target", "\($0.key)=\($0.value)"] }
        exporter.standardInput = exporterInput
        exporter.standardOutput = try FileHandle(forWritingTo: Self.file(directory.appendingPathComponent("exporter.log")))
        exporter.standardError = exporter.standardOutput
        try exporter.run()
    }

    /// The exporter's base URL, read from the configuration it writes once listening.
    private var exporterBase: String {
        get throws {
            let data = try Data(contentsOf: directory.appendingPathComponent("prometheus.yml"))
            let config = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let jobs = config?["scrape_configs"] as? [[String: Any]]
            let statics = jobs?.first?["static_configs"] as? [[String: Any]]
            guard let target = (statics?.first?["targets"] as? [String])?.first else { throw Failure(description: "no target in the exporter's configuration") }
            return "http://\(target)"
        }
    }

    private var exporterAddress = ""

    private func waitForExporter() async throws {
        try await Self.poll("the exporter to listen", timeout: .seconds(10)) {
            guard let base = try? self.exporterBase else { return false }
            self.exporterAddress = base
            return true
        }
    }

    /// Sets a track's traffic: `rps`, `errorShare`, `latencySeconds`, `initCodes`.
    func control(_ track: String, _ settings: [String: Any]) async throws {
        let body = try JSONSerialization.data(withJSONObject: settings)
        let response = try await http.send(HTTPRequest(method: .post, url: "\(exporterAddress)/control/\(track)",
                                                       headers: ["Content-Type": "application/json"], body: Array(body)))
        guard response.status == 200 else { throw Failure(description: "control \(track) answered \(response.status)") }
    }

    /// A client of this Prometheus over the real curl transport.
    func client() -> PrometheusClient {
        PrometheusClient(baseURL: prometheusURL, transport: http, timeout: .seconds(3))
    }

    private func startPrometheus() async throws {
        for attempt in 1...3 {
            let port = try FreePort.next()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.prometheusPath ?? "/usr/bin/prometheus")
            process.arguments = [
                "--config.file=\(directory.appendingPathComponent("prometheus.yml").path)",
                "--storage.tsdb.path=\(directory.appendingPathComponent("data-\(attempt)").path)",
                "--web.listen-address=127.0.0.1:\(port)",
                "--log.level=warn",
            ]
            process.standardOutput = try FileHandle(forWritingTo: Self.file(directory.appendingPathComponent("prometheus.log")))
            process.standardError = process.standardOutput
            try process.run()
            prometheus = process
            prometheusURL = "http://127.0.0.1:\(port)"
            let ready: Void? = try? await Self.poll("Prometheus to be ready", timeout: .seconds(15)) {
                guard process.isRunning else { return true }
                let response = try? await self.http.send(HTTPRequest(url: "\(self.prometheusURL)/-/ready"))
                return response?.status == 200
            }
            if ready != nil, process.isRunning { return }
            await stopPrometheus()
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? ""
        throw Failure(description: "Prometheus did not start: \(log.suffix(1000))")
    }

    /// Waits until Prometheus has scraped every target successfully at least twice, so rates have
    /// two samples.
    private func waitUntilScraped(targets: Int) async throws {
        let client = client()
        try await Self.poll("Prometheus to scrape \(targets) targets", timeout: .seconds(30)) {
            let result = try? await client.query(#"count(sum_over_time(up{job="lora"}[10s]) >= 2)"#)
            if case .vector(let samples) = result, samples.first?.value == Double(targets) { return true }
            return false
        }
    }

    /// Stops Prometheus (SIGTERM, SIGKILL after 3 s) and waits for it to exit.
    func stopPrometheus() async {
        guard let process = prometheus else { return }
        await Self.end(process)
    }

    /// Stops Prometheus and the exporter, and removes the directory.
    func stop() async {
        await stopPrometheus()
        try? exporterInput.fileHandleForWriting.close()
        await Self.end(exporter)
        http.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func end(_ process: Process) async {
        guard process.processIdentifier > 0 else { return }
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(3)
        while process.isRunning, ContinuousClock.now < deadline { await pause() }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { await pause() }
    }

    /// 20 ms, even in a cancelled task (a test over its time limit still stops its servers).
    private static func pause() async {
        do { try await Task.sleep(for: .milliseconds(20)) } catch { usleep(20_000) }
    }

    /// Calls `check` every 100 ms until it is true; throws after `timeout`.
    static func poll(_ what: String, timeout: Duration, _ check: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await check() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "timed out after \(timeout) waiting for \(what)")
    }


    private static func file(_ url: URL) -> URL {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }
}
