import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TackEngine
import TackHTTP
import TackServer
import Testing

/// A controller on a free loopback port, with its own store and token in a temporary directory,
/// whose accounts are unreachable; `with` stops it gracefully (as SIGTERM does) and removes the
/// directory even when the test fails. Requests go over real sockets with the project's libcurl client.
final class RunningController: Sendable {
    let directory: String
    let engine: Engine
    let token: String
    let base: String
    let client: CurlHTTPClient
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let stopped = Mutex<Bool?>(nil)

    /// Options under which an execution stays unfinished for a minute.
    static let slow = EngineOptions(progressDeadline: .seconds(60), resyncInterval: .milliseconds(200))
    /// Options under which an execution fails within a few seconds.
    static let fast = EngineOptions(progressDeadline: .milliseconds(300), resyncInterval: .milliseconds(100))

    private init(options: EngineOptions) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-server-\(UUID().uuidString.prefix(8))").path
        engine = Engine(store: try EngineStore(path: directory + "/engine.db"), connector: UnreachableAccounts(), options: options)
        token = try ControllerToken.loadOrCreate(home: directory)
        let server = ControllerServer(
            engine: engine, token: token,
            configuration: ControllerConfiguration(port: 0, watchInterval: .milliseconds(50), stopsOnSignals: false))
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let service = ClosureService { try await server.run { continuation.yield($0) } }
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "tack-server-tests")))
        self.group = group
        task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        let port = await ports.first { _ in true }
        base = "http://127.0.0.1:\(port ?? 0)"
        client = try CurlHTTPClient(configuration: .init(retry: RetryPolicy(maxAttempts: 1)))
        if port == nil { _ = try await task.value }
    }

    /// Runs `body` with a running controller, and stops it afterwards whatever happens.
    static func with(options: EngineOptions = slow, _ body: (RunningController) async throws -> Void) async throws {
        let controller = try await RunningController(options: options)
        do {
            try await body(controller)
        } catch {
            await controller.stop()
            throw error
        }
        #expect(await controller.stop(), "the controller did not stop gracefully within 10 s")
    }

    /// Shuts the controller down as SIGTERM does; returns whether it stopped within `limit`
    /// (it is cancelled otherwise). Stopping again returns the first answer.
    @discardableResult
    func stop(within limit: Duration = .seconds(10)) async -> Bool {
        if let earlier = stopped.withLock({ $0 }) { return earlier }
        await group.triggerGracefulShutdown()
        let task = task
        let stopped = await withTaskGroup(of: Bool.self) { race in
            race.addTask { _ = try? await task.value; return true }
            race.addTask { try? await Task.sleep(for: limit); return false }
            defer { race.cancelAll() }
            return await race.next() ?? false
        }
        if !stopped {
            task.cancel()
            _ = try? await task.value
        }
        client.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
        self.stopped.withLock { $0 = stopped }
        return stopped
    }

    /// The default headers: the controller's token.
    var authorized: HTTPHeaders { ["Authorization": "Bearer \(token)"] }

    /// Sends a request (with the token unless `headers` are given) and returns the whole answer.
    func send(_ method: HTTPMethod, _ path: String, json: String? = nil, headers: HTTPHeaders? = nil) async throws -> HTTPResponse {
        var fields = headers ?? authorized
        if json != nil { fields.add(name: "Content-Type", value: "application/json") }
        return try await client.send(HTTPRequest(method: method, url: base + path, headers: fields, body: json.map { Array($0.utf8) }))
    }

    /// Applies `pipeline` with the test accounts.
    func apply(_ pipeline: String) async throws -> HTTPResponse {
        let request = ApplyRequest(pipelinePath: "pipeline.yaml", pipeline: pipeline, accountsPath: "tack.yaml",
                                   accounts: ServerPipelines.accounts)
        return try await send(.post, "/v1/apply", json: String(decoding: try APIJSON.encoder().encode(request), as: UTF8.self))
    }

    /// Waits until the application's latest execution has ended, at most `timeout`.
    func waitUntilEnded(app: String = "svc", timeout: Duration = .seconds(30)) async throws -> ExecutionView {
        let deadline = ContinuousClock.now + timeout
        while true {
            let view = try decode(ExecutionView.self, try await send(.get, "/v1/applications/\(app)"))
            if view.isTerminal || ContinuousClock.now > deadline { return view }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// The answer's body decoded with the API's JSON coder.
func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPResponse) throws -> Value {
    try APIJSON.decoder().decode(type, from: Data(response.body))
}

extension HTTPResponse {
    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }
}
