import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TackEngine

/// The controller: the engine reconciling in the background and its HTTP API (bearer-token auth,
/// `/healthz`, `/readyz`, `/metrics`, the web page at `/`), stopped gracefully by SIGTERM or SIGINT.
public struct ControllerServer: Sendable {
    /// The engine served.
    public let engine: Engine
    /// Where and how it serves.
    public let configuration: ControllerConfiguration
    let token: String
    /// The web page's sign-ins.
    public let sessions = DashboardSessions()
    let readiness = Readiness()

    /// A controller of `engine` that admits requests bearing `token`.
    public init(engine: Engine, token: String, configuration: ControllerConfiguration = ControllerConfiguration()) {
        self.engine = engine
        self.token = token
        self.configuration = configuration
    }

    /// Runs the engine, each of `background`, and the server until a signal or cancellation; a
    /// signal stops the server first (it finishes the requests in progress and ends watches),
    /// then cancels `background` and the engine. `onListening` gets the bound port.
    public func run(alongside background: [@Sendable () async -> Void] = [],
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let (engine, readiness) = (self.engine, self.readiness)
        let reconciling = BackgroundService {
            readiness.setEngineRunning(true)
            await engine.run()
            readiness.setEngineRunning(false)
        }
        // The group stops services in reverse order: the server first, the engine last.
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tack-controller"),
            services: [reconciling] + background.map(BackgroundService.init),
            onServerRunning: { channel in
                readiness.setListening(true)
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: Self.logger())
        defer { readiness.setListening(false) }
        if configuration.stopsOnSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }

    /// The routes and middleware of the API.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: TokenMiddleware(token: token, sessions: sessions))
        let (engine, readiness, version) = (self.engine, self.readiness, configuration.version)
        router.get("/healthz") { _, _ in Self.text("ok\n") }
        router.get("/readyz") { _, _ in
            guard readiness.isReady, !Task.isShuttingDownGracefully else {
                throw APIError(.serviceUnavailable, "not ready: the controller is starting or stopping")
            }
            _ = try engine.store.executionCountsByPhase()
            return Self.text("ok\n")
        }
        router.get("/metrics") { _, _ in
            let text = engine.metrics.exposition(executionsByPhase: try engine.store.executionCountsByPhase(), version: version)
            return Self.text(text, contentType: EngineMetrics.contentType)
        }
        ControllerRoutes(engine: engine, configuration: configuration).add(to: router)
        DashboardRoutes(sessions: sessions, bodyLimit: 4096).add(to: router)
        return router
    }

    private static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Hummingbird's log at `LOG_LEVEL` (notice by default, so that it stays quiet when all is well).
    private static func logger() -> Logger {
        var logger = Logger(label: "tack-controller")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice
        return logger
    }
}

/// A task of the controller's service group, cancelled when the group shuts down gracefully.
struct BackgroundService: Service {
    let body: @Sendable () async -> Void

    init(_ body: @escaping @Sendable () async -> Void) {
        self.body = body
    }

    func run() async throws {
        await cancelWhenGracefulShutdown { await body() }
    }
}
