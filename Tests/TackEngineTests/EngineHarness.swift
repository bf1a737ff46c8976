import Foundation
import Synchronization
import TackCore
import TackEngine
import TackHTTP
import TackLocal
import TackPipeline
import TackPrometheus
import Testing

/// The engine on the real local runtime: runc replicas of `Fixtures/service.py` (or plain
/// processes where runc cannot run), the real nginx router and the real embedded Prometheus, in a
/// state directory of the test's own that `tearDown()` empties whether the test passes or fails.
/// Images: `svc:v1`, `svc:v2` (healthy), `svc:bad` (30% of requests answer 500) and `svc:slow`
/// (every request takes 2.5 s).
final class EngineHarness: Sendable {
    static let service = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/service.py").path

    let home: RuntimeHome
    let runtime: LocalRuntime
    let store: EngineStore
    let engine: Engine
    let http: CurlHTTPClient
    let load = LoadCounts()
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(options: EngineOptions) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-engine-\(UUID().uuidString.prefix(8))").path
        home = RuntimeHome(path: directory)
        runtime = try LocalRuntime(
            home: home, planner: ReplicaPlanner(backoff: RestartBackoff(initial: .milliseconds(500), maximum: .seconds(2)),
                                                terminationGrace: .seconds(5)))
        http = try CurlHTTPClient()
        let rootfs = directory + "/staging"
        try FileManager.default.createDirectory(atPath: rootfs + "/app", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.service, toPath: rootfs + "/app/service.py")
        let images = LocalImageStore(root: home.images)
        let versions: [(String, [String: String])] = [
            ("v1", [:]), ("v2", [:]), ("bad", ["ERROR_RATE": "0.3"]), ("slow", ["LATENCY": "2.5"]),
        ]
        for (tag, env) in versions {
            let manifest = LocalImageManifest(
                name: "svc", entrypoint: ["/usr/bin/python3", "/app/service.py"], env: env.merging(["APP_VERSION": tag]) { a, _ in a },
                user: "65532:65532", writable: [], readiness: "/readyz")
            _ = try images.importImage(rootfs: rootfs, manifest: manifest, name: "svc", tag: tag)
        }
        store = try EngineStore(path: directory + "/engine.db")
        engine = Engine(store: store, connector: TestConnector(runtime: runtime, http: http), options: options)
    }

    /// Runs `body` with a harness whose runtime is up, supervised, and reconciled by the engine.
    static func with(options: EngineOptions = .integration, _ body: (EngineHarness) async throws -> Void) async throws {
        let harness = try EngineHarness(options: options)
        do {
            try await harness.start()
            try await body(harness)
        } catch {
            await harness.tearDown()
            throw error
        }
        await harness.tearDown()
    }

    private func start() async throws {
        try await runtime.up()
        let runtime = runtime, engine = engine
        tasks.withLock {
            $0.append(Task { await runtime.supervise(every: .milliseconds(500)) })
            $0.append(Task { await engine.run() })
        }
    }

    func tearDown() async {
        let running = tasks.withLock { tasks in defer { tasks = [] }; return tasks }
        running.forEach { $0.cancel() }
        for task in running { await task.value }
        try? await runtime.down(grace: .seconds(2))
        http.shutdown()
        try? FileManager.default.removeItem(atPath: home.path)
    }

    /// Writes the pipeline and the accounts file, applies them, and waits until the execution ends.
    @discardableResult
    func rollOut(_ pipeline: String, timeout: Duration = .seconds(120)) async throws -> Execution {
        let outcome = try await apply(pipeline)
        return try await waitUntilEnded(outcome.execution.id, timeout: timeout)
    }

    /// Writes and applies the pipeline with the harness' accounts file.
    func apply(_ pipeline: String) async throws -> ApplyOutcome {
        let pipelinePath = home.path + "/pipeline.yaml", accountsPath = home.path + "/tack.yaml"
        try pipeline.write(toFile: pipelinePath, atomically: true, encoding: .utf8)
        try Pipelines.accounts.write(toFile: accountsPath, atomically: true, encoding: .utf8)
        return try await engine.apply(pipelinePath: pipelinePath, pipelineText: pipeline, accountsPath: accountsPath,
                                      accountsText: Pipelines.accounts)
    }

    /// Waits until the execution has ended or paused, at most `timeout`.
    func waitUntilEnded(_ id: Int64, timeout: Duration = .seconds(120), orPaused: Bool = false) async throws -> Execution {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let execution = try #require(try store.execution(id: id))
            if execution.phase.isTerminal || (orPaused && execution.phase == .paused) { return execution }
            try await Task.sleep(for: .milliseconds(250))
        }
        let execution = try #require(try store.execution(id: id))
        let events = try store.events(executionID: id).map { "\($0.account ?? "-") \($0.message)" }.joined(separator: "\n")
        Issue.record("execution \(id) still \(execution.phase.rawValue) after \(timeout):\n\(events)")
        return execution
    }

    /// Sends GET / to each account's main listener (and preview listener) until cancelled, counting answers.
    func startLoad(accounts: [String] = ["aws", "gcp"], app: String = "svc") {
        let http = http, runtime = runtime, load = load
        let task = Task {
            while !Task.isCancelled {
                for account in accounts {
                    guard let endpoints = try? await runtime.endpoints(account: account, app: app) else { continue }
                    for url in [endpoints.url] + (endpoints.previewURL.map { [$0] } ?? []) {
                        let response = try? await http.send(HTTPRequest(url: url + "/", timeout: .seconds(10)))
                        load.count(account: account, preview: url != endpoints.url, response: response)
                    }
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        tasks.withLock { $0.append(task) }
    }

    /// The application's status in an account.
    func status(_ account: String, app: String = "svc") async throws -> WorkloadStatus {
        try await runtime.status(account: account, app: app)
    }

    /// The version each track runs in an account (`stable: v2`), from the image tags.
    func versions(_ account: String) async throws -> [Track: String] {
        Dictionary(uniqueKeysWithValues: try await status(account).tracks.map { ($0.track, $0.image.tag ?? "?") })
    }
}

extension EngineOptions {
    /// Short deadlines for tests on this machine.
    static let integration = EngineOptions(progressDeadline: .seconds(90), resyncInterval: .seconds(1), warmUp: .seconds(12),
                                           driverTimeout: .seconds(30))
}

/// Answers the load generator received, by account and main or preview listener.
final class LoadCounts: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func count(account: String, preview: Bool, response: HTTPResponse?) {
        let answer = response.map { $0.status == 200 ? String(decoding: $0.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "HTTP \($0.status)" }
            ?? "no answer"
        counts.withLock { $0["\(account)\(preview ? "-preview" : "") \(answer)", default: 0] += 1 }
    }

    /// Counts so far, such as `aws v2: 120`, `gcp-preview HTTP 503: 4`.
    var snapshot: [String: Int] { counts.withLock { $0 } }

    /// Answers on main listeners that were not 200.
    var mainFailures: Int { snapshot.filter { !$0.key.contains("-preview") && ($0.key.contains("HTTP") || $0.key.contains("no answer")) }.values.reduce(0, +) }
}

/// Local accounts to the local runtime, the metrics account to the embedded Prometheus, with a
/// short query timeout so that a stopped Prometheus is noticed within seconds.
struct TestConnector: AccountConnector {
    let runtime: LocalRuntime
    let http: CurlHTTPClient

    func driver(for account: Account) async throws -> any ClusterDriver {
        LocalDriver(account: account.name, runtime: runtime)
    }

    func metrics(for account: MetricsAccount) async throws -> any MetricsSource {
        guard let url = try await runtime.prometheusURL() else {
            throw EngineError.unavailable(account: account.name, reason: "the embedded Prometheus is not running")
        }
        return PrometheusMetricsSource(client: PrometheusClient(baseURL: url, transport: http, timeout: .seconds(1)))
    }
}
