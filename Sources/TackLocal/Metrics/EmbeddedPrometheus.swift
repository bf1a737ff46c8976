import Foundation
import TackHTTP

/// The runtime's own Prometheus (`/usr/bin/prometheus` from Debian) on 127.0.0.1: it scrapes every
/// replica each second, finds them through a target file that `setTargets` rewrites, and is what
/// the analysis queries for local accounts (`url`).
///
/// Its files live in `directory`: `prometheus.yml`, `targets/replicas.json`, the TSDB in `data/`
/// and its output in `prometheus.log`. It runs in its own session and outlives this process;
/// `handle` is what the runtime records so that a later process can `adopt` it or stop it.
public actor EmbeddedPrometheus {
    /// The directory holding the configuration, targets, data and log.
    public nonisolated let directory: String
    /// The port it listens on, on 127.0.0.1.
    public nonisolated let port: Int
    /// What it is configured with.
    public nonisolated let config: PrometheusConfig
    /// How long it keeps samples.
    public nonisolated let retention: Duration
    /// The Prometheus executable.
    public nonisolated let executable: String
    private let transport: any HTTPTransport
    /// The running Prometheus this actor started or adopted, if any.
    public private(set) var handle: ProcessHandle?
    private var starting: Task<ProcessHandle, any Error>?

    /// A Prometheus that is not started yet; `transport` carries its HTTP requests.
    public init(
        directory: String, port: Int, transport: any HTTPTransport, scrapeInterval: Duration = .seconds(1),
        scrapeTimeout: Duration? = nil, retention: Duration = .seconds(6 * 3600), executable: String = "/usr/bin/prometheus"
    ) {
        self.directory = directory
        self.port = port
        self.transport = transport
        self.retention = retention
        self.executable = executable
        config = PrometheusConfig(
            targetsDirectory: directory + "/targets", scrapeInterval: scrapeInterval, scrapeTimeout: scrapeTimeout)
    }

    /// The base URL of its HTTP API, for queries.
    public nonisolated var url: String { "http://127.0.0.1:\(port)" }
    /// The configuration file.
    public nonisolated var configPath: String { directory + "/prometheus.yml" }
    /// The target file `setTargets` writes.
    public nonisolated var targetsPath: String { config.targetsDirectory + "/replicas.json" }
    /// The TSDB directory.
    public nonisolated var dataPath: String { directory + "/data" }
    /// The file its stdout and stderr go to.
    public nonisolated var logPath: String { directory + "/prometheus.log" }

    /// The command line it runs with.
    public nonisolated var spec: ProcessSpec {
        ProcessSpec(
            executable: executable,
            arguments: [
                "--config.file=\(configPath)", "--storage.tsdb.path=\(dataPath)",
                "--storage.tsdb.retention.time=\(PrometheusConfig.text(retention))",
                "--web.listen-address=127.0.0.1:\(port)", "--web.enable-lifecycle",
            ],
            environment: ChildProcess.minimalEnvironment, workingDirectory: directory, logPath: logPath)
    }

    /// Whether the Prometheus it started or adopted still runs.
    public var isRunning: Bool { handle?.isRunning ?? false }

    /// Writes the configuration and starts Prometheus, returning once it answers `/-/ready`
    /// (within `timeout`). When it already runs, only a changed configuration is applied (a
    /// reload); no second process starts. A configuration Prometheus rejects, or a port in use,
    /// fails with Prometheus's own message.
    @discardableResult
    public func start(timeout: Duration = .seconds(30)) async throws(LocalRuntimeError) -> ProcessHandle {
        if let starting {
            return try await Self.value(of: starting)
        }
        let task = Task { () async throws -> ProcessHandle in try await self.startOnce(timeout: timeout) }
        starting = task
        defer { starting = nil }
        let result: Result<ProcessHandle, LocalRuntimeError> = await withTaskCancellationHandler {
            do throws(LocalRuntimeError) { return .success(try await Self.value(of: task)) } catch { return .failure(error) }
        } onCancel: {
            task.cancel()
        }
        let handle = try result.get()
        self.handle = handle
        return handle
    }

    /// Takes over a Prometheus an earlier process started with this directory and port. Returns
    /// true when it still runs and answers; a recorded process that runs but does not answer
    /// within `timeout` is stopped, and false returned, so `start` can begin afresh.
    public func adopt(_ recorded: ProcessHandle, timeout: Duration = .seconds(10)) async -> Bool {
        guard recorded.isRunning else { return false }
        let deadline = ContinuousClock.now + timeout
        while recorded.isRunning, ContinuousClock.now < deadline {
            if await isReady() {
                handle = recorded
                return true
            }
            await Self.pause(.milliseconds(100))
        }
        await recorded.terminate(grace: .seconds(5))
        return false
    }

    /// Makes `targets` the set Prometheus scrapes: added ones appear, missing ones are dropped.
    /// Prometheus reads the file at once but applies discovered targets in 5 s batches, so a
    /// change takes effect within about 6 s (`waitUntilScraped` waits for it). Returns whether
    /// the file changed.
    @discardableResult
    public func setTargets(_ targets: [ScrapeTarget]) throws(LocalRuntimeError) -> Bool {
        try Directory.create(config.targetsDirectory)
        return try FileSDTargets.write(targets, to: targetsPath)
    }

    /// The targets of the `tack` job that Prometheus knows now, with their health.
    public func activeTargets() async throws(LocalRuntimeError) -> [ActiveTarget] {
        let response = try await request(.get, "/api/v1/targets?state=active")
        guard response.status == 200 else {
            throw .requestFailed(service: service, reason: "/api/v1/targets answered \(response.status)")
        }
        let decoded: ActiveTarget.Response
        do {
            decoded = try JSONDecoder().decode(ActiveTarget.Response.self, from: Data(response.body))
        } catch {
            throw .requestFailed(service: service, reason: "/api/v1/targets answered unreadable JSON: \(error)")
        }
        return decoded.data.activeTargets.filter { $0.scrapePool == PrometheusConfig.jobName }.map {
            ActiveTarget(
                address: $0.labels["instance"] ?? "", labels: $0.labels, isUp: $0.health == "up",
                lastError: $0.lastError ?? "")
        }
    }

    /// Waits until Prometheus has scraped each of `targets` successfully, so queries see their
    /// series; the error names the targets still missing and their last scrape errors.
    public func waitUntilScraped(_ targets: [ScrapeTarget], timeout: Duration = .seconds(30)) async throws(LocalRuntimeError) {
        let deadline = ContinuousClock.now + timeout
        var missing = targets
        var known: [ActiveTarget] = []
        while true {
            if let active = try? await activeTargets() {
                known = active
                missing = targets.filter { target in !active.contains { $0.isScraped(target) } }
                if missing.isEmpty { return }
            }
            if ContinuousClock.now >= deadline { break }
            await Self.pause(.milliseconds(100))
        }
        let names = missing.map { target in
            let error = known.first { $0.address == target.address && !$0.lastError.isEmpty }?.lastError
            return target.replica + " (" + target.address + (error.map { ": " + $0 } ?? "") + ")"
        }
        throw .timedOut(what: "Prometheus to scrape \(names.joined(separator: ", "))", seconds: timeout.seconds)
    }

    /// Stops Prometheus: SIGTERM (it flushes its data), SIGKILL after `grace`; returns once it is
    /// gone. Does nothing when it does not run.
    public func stop(grace: Duration = .seconds(10)) async {
        if let starting { _ = try? await starting.value }
        if let handle {
            await handle.terminate(grace: grace)
        }
        handle = nil
    }

    // MARK: - Starting

    private func startOnce(timeout: Duration) async throws(LocalRuntimeError) -> ProcessHandle {
        try Directory.create(directory)
        try Directory.create(config.targetsDirectory)
        try Directory.create(dataPath)
        if (try? POSIXRead.bytes(atPath: targetsPath)) == nil {
            try FileSDTargets.write([], to: targetsPath)
        }
        let text = Array(config.render().utf8)
        let configChanged = (try? POSIXRead.bytes(atPath: configPath)) != text
        if configChanged { try AtomicFile.write(text, to: configPath) }

        if let handle, handle.isRunning {
            if configChanged { try await reload() }
            return handle
        }
        if Self.isListening(port: port) { throw .io(path: "127.0.0.1:\(port)", errno: EADDRINUSE) }

        let logStart = (try? POSIXRead.bytes(atPath: logPath))?.count ?? 0
        let spec = spec
        let started = try ChildProcess.spawn(spec)
        let deadline = ContinuousClock.now + timeout
        while true {
            switch started.state() {
            case .running:
                if await isReady() {
                    // Set here, inside the task, so a `stop` waiting for this start finds it.
                    handle = started
                    return started
                }
            case .exited(let status):
                throw .commandFailed(command: spec.commandLine, status: status, output: failure(since: logStart))
            case .signalled(let signal):
                throw .commandFailed(command: spec.commandLine, status: 128 + signal, output: failure(since: logStart))
            case .gone:
                throw .commandFailed(command: spec.commandLine, status: -1, output: failure(since: logStart))
            }
            if ContinuousClock.now >= deadline || Task.isCancelled {
                await started.terminate(grace: .seconds(5))
                let waited = timeout - (deadline - ContinuousClock.now)
                throw .timedOut(what: "Prometheus on \(url) to be ready (see \(logPath))", seconds: waited.seconds)
            }
            await Self.pause(.milliseconds(50))
        }
    }

    /// Why Prometheus stopped, from what it logged after `offset`.
    private func failure(since offset: Int) -> String {
        let bytes = (try? POSIXRead.bytes(atPath: logPath)) ?? []
        let text = String(decoding: bytes.dropFirst(offset), as: UTF8.self)
        return String(PrometheusLog.failure(in: text).suffix(2000))
    }

    /// Applies a changed configuration to the running Prometheus.
    private func reload() async throws(LocalRuntimeError) {
        let response = try await request(.post, "/-/reload")
        guard response.status == 200 else {
            let message = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .requestFailed(service: service, reason: "reloading \(configPath) failed: \(message)")
        }
    }

    // MARK: - HTTP

    private nonisolated var service: String { "Prometheus on 127.0.0.1:\(port)" }

    private func isReady() async -> Bool {
        (try? await request(.get, "/-/ready", timeout: .seconds(1)))?.status == 200
    }

    private func request(_ method: HTTPMethod, _ path: String, timeout: Duration = .seconds(5)) async throws(LocalRuntimeError) -> HTTPResponse {
        do {
            return try await transport.send(HTTPRequest(method: method, url: url + path, timeout: timeout))
        } catch {
            throw .requestFailed(service: service, reason: error.description)
        }
    }

    // MARK: - Helpers

    private static func value(of task: Task<ProcessHandle, any Error>) async throws(LocalRuntimeError) -> ProcessHandle {
        do {
            return try await task.value
        } catch let error as LocalRuntimeError {
            throw error
        } catch {
            throw .timedOut(what: "Prometheus to start", seconds: 0)  // not reached: startOnce throws LocalRuntimeError
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Sleeps, even in a cancelled task (so a stop or a failed start still waits for the process).
    private static func pause(_ duration: Duration) async {
        do { try await Task.sleep(for: duration) } catch { usleep(UInt32(duration.seconds * 1e6)) }
    }
}
