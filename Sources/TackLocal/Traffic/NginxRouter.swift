#if canImport(Glibc)
import Glibc
#endif
import TackHTTP

/// The traffic router: one nginx master (started and supervised by tack) with one listener per
/// route, and a second one for a route's preview. A change of routes is tested with `nginx -t`, written atomically and loaded by a
/// graceful reload (SIGHUP, as `nginx -s reload` sends): in-flight requests finish on the old
/// workers while new connections go to the new ones, so no request is dropped. Calls are
/// serialized. When tack runs as root the workers run as nobody:nogroup; they need no file
/// access, since nothing is buffered to disk and the master opens the logs.
public actor NginxRouter {
    /// The directory that holds nginx.conf, the pid file, the logs and temp directories.
    public nonisolated let prefix: String
    /// The nginx program.
    public nonisolated let executable: String
    /// How long a start or reload may take to answer on the control port.
    public nonisolated let loadTimeout: Duration

    var master: ProcessHandle?
    var config: NginxConfig?
    /// The generation of the configuration the workers run (or are loading).
    var generation = 0
    var probeClient: CurlHTTPClient?
    private var isBusy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// A router whose files live under `prefix` (created when needed); nothing runs until `start`.
    public init(prefix: String, executable: String = "/usr/sbin/nginx", loadTimeout: Duration = .seconds(5)) {
        self.prefix = prefix.count > 1 && prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        self.executable = executable
        self.loadTimeout = loadTimeout
    }

    /// The running master, for the runtime's state file; nil when stopped.
    public var process: ProcessHandle? { master?.isRunning == true ? master : nil }

    /// The port of the control server (`GET /generation`), once started or adopted.
    public var controlPort: Int? { config?.controlPort }

    /// Starts nginx with `routes` and returns once its workers answer; returns the running master
    /// at once when there is one. Throws nginx's message for a configuration it rejects.
    @discardableResult
    public func start(routes: [Route] = []) async throws(LocalRuntimeError) -> ProcessHandle {
        try await exclusively { () async throws(LocalRuntimeError) -> ProcessHandle in
            if let master, master.isRunning { return master }
            return try await launch(routes)
        }
    }

    /// Makes nginx serve `routes` (starting it when it does not run). Returns false, without a
    /// reload, when the configuration would not change. A configuration nginx rejects (at the
    /// test or at the reload) leaves the previous one serving and throws.
    @discardableResult
    public func apply(_ routes: [Route]) async throws(LocalRuntimeError) -> Bool {
        try await exclusively { () async throws(LocalRuntimeError) -> Bool in
            guard let master, master.isRunning, let config else {
                _ = try await launch(routes)
                return true
            }
            try Self.validate(routes, controlPort: config.controlPort)
            let current = try POSIXRead.string(atPath: config.path)
            let currentGeneration = NginxConfig.header(of: current)?.generation ?? generation
            if config.render(routes: routes, generation: currentGeneration) == current { return false }
            let next = generation + 1
            try await install(config.render(routes: routes, generation: next), config: config)
            generation = next
            do throws(LocalRuntimeError) {
                try await reload(master, to: next, config: config)
            } catch {
                try? AtomicFile.write(Array(current.utf8), to: config.path)  // the file shows what runs
                throw error
            }
            return true
        }
    }

    /// Takes over a master that an earlier tack process started under this prefix. Returns false,
    /// after stopping it, when it does not run or does not answer; `start` can then take its place.
    /// A master that runs an older configuration than the file is reloaded.
    public func adopt(_ handle: ProcessHandle) async -> Bool {
        await exclusively { () async -> Bool in
            guard handle.isRunning else { return false }
            guard let text = try? POSIXRead.string(atPath: prefix + "/nginx.conf"),
                let header = NginxConfig.header(of: text)
            else {
                await Self.shutDown(handle, grace: .seconds(5))
                return false
            }
            let config = makeConfig(controlPort: header.controlPort)
            var answered = await answeredGeneration(config)
            if answered != nil && answered != header.generation {
                try? await reload(handle, to: header.generation, config: config)
                answered = await answeredGeneration(config)
            }
            guard answered == header.generation else {
                await Self.shutDown(handle, grace: .seconds(5))
                return false
            }
            master = handle
            self.config = config
            generation = header.generation
            return true
        }
    }

    /// Stops nginx gracefully (SIGQUIT: in-flight requests finish), then by SIGTERM and SIGKILL
    /// after `grace`. No nginx process of this router is left afterwards.
    public func stop(grace: Duration = .seconds(5)) async {
        await exclusively { () async in
            if let master { await Self.shutDown(master, grace: grace) }
            master = nil
        }
    }

    /// Ends a master and its workers (one process group).
    static func shutDown(_ handle: ProcessHandle, grace: Duration) async {
        guard handle.isRunning else { return }
        handle.signal(SIGQUIT)
        if await handle.waitUntilGone(timeout: grace) { return }
        await handle.terminate(grace: .seconds(1))
    }

    /// Writes, tests and starts a first configuration, and waits until the workers answer.
    private func launch(_ routes: [Route]) async throws(LocalRuntimeError) -> ProcessHandle {
        for directory in [prefix, prefix + "/logs", prefix + "/temp"] { try Directory.create(directory) }
        let previous = (try? POSIXRead.string(atPath: prefix + "/nginx.conf")).flatMap(NginxConfig.header(of:))
        let config = makeConfig(controlPort: try FreePort.next())
        try Self.validate(routes, controlPort: config.controlPort)
        let first = (previous?.generation ?? 0) + 1
        try await install(config.render(routes: routes, generation: first), config: config)
        let spec = ProcessSpec(
            executable: executable, arguments: ["-p", prefix + "/", "-c", config.path, "-e", config.errorLogPath],
            environment: ChildProcess.minimalEnvironment, logPath: config.errorLogPath)
        let handle = try ChildProcess.spawn(spec)
        master = handle
        self.config = config
        generation = first
        do {
            try await waitUntilServing(first, master: handle, config: config, errorLogOffset: nil)
        } catch {
            await Self.shutDown(handle, grace: .seconds(1))
            master = nil
            throw error
        }
        return handle
    }

    /// The configuration under this prefix; workers drop root privileges when tack runs as root.
    private func makeConfig(controlPort: Int) -> NginxConfig {
        NginxConfig(prefix: prefix, controlPort: controlPort, workerUser: geteuid() == 0 ? "nobody nogroup" : nil)
    }

    /// Writes `text` beside the live configuration, has nginx test it, and only then renames it
    /// over the live one; a rejected configuration is removed and nginx's message thrown.
    private func install(_ text: String, config: NginxConfig) async throws(LocalRuntimeError) {
        let candidate = config.path + ".next"
        try AtomicFile.write(Array(text.utf8), to: candidate)
        do {
            _ = try await ChildProcess.run(
                executable, ["-t", "-q", "-p", prefix + "/", "-c", candidate, "-e", "stderr"], timeout: .seconds(10))
        } catch {
            unlink(candidate)
            guard case .commandFailed(let command, let status, let output) = error else { throw error }
            let messages = Self.messages(in: output)
            throw .commandFailed(command: command, status: status, output: messages.isEmpty ? output : messages.joined(separator: "; "))
        }
        try Self.rename(candidate, to: config.path)
    }

    /// Asks the master to reload (SIGHUP to it alone) and waits until new workers answer
    /// `generation` and the old ones no longer accept connections.
    private func reload(_ master: ProcessHandle, to generation: Int, config: NginxConfig) async throws(LocalRuntimeError) {
        let offset = Self.size(of: config.errorLogPath)
        let previousWorkers = Self.workers(of: master)
        guard master.isRunning, kill(master.pid, SIGHUP) == 0 else {
            throw .configurationNotLoaded(program: "nginx", reason: "its master process \(master.pid) is gone")
        }
        try await waitUntilServing(generation, master: master, config: config, errorLogOffset: offset)
        await waitUntilRetired(previousWorkers)
    }

    /// Runs `body` when no other call of this router is running (actor methods interleave at
    /// every await, and two reloads must not).
    private func exclusively<Result, Failure: Error>(
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        while isBusy { await withCheckedContinuation { waiters.append($0) } }
        isBusy = true
        defer {
            isBusy = false
            if !waiters.isEmpty { waiters.removeFirst().resume() }
        }
        return try await body()
    }

    /// Refuses routes nginx would accept but serve wrongly: one app twice, or two listeners on one port.
    static func validate(_ routes: [Route], controlPort: Int) throws(LocalRuntimeError) {
        var listeners = [controlPort: "the router's control server"]
        var names: Set<String> = []
        for route in routes {
            guard names.insert(route.name).inserted else { throw .invalidRoute(route: route.name, reason: "it is given twice") }
            for (port, name) in [(route.port, route.name)] + (route.previewPort.map { [($0, route.previewName)] } ?? []) {
                if let other = listeners[port] {
                    throw .invalidRoute(route: route.name, reason: "port \(port) is already the listener of \(other)")
                }
                listeners[port] = name
            }
        }
    }
}
