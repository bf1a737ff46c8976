import ArgumentParser
import Foundation
import Synchronization
import TackEngine
import TackLocal
import TackServer

/// `tack controller`: the engine as a daemon, with the HTTP API of Docs/controller.md.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Run the engine as a daemon that reconciles every execution and serves the HTTP API.",
        discussion: """
            Starts the local runtime if it is not up and supervises it (not with \
            --no-local-runtime, as in a cluster), reconciles every active execution in $TACK_HOME/engine.db, and serves the API on --listen. Requests to /v1/… need \
            the bearer token in $TACK_HOME/controller.token (created with mode 0600 on the first \
            start). SIGTERM or SIGINT stop it gracefully; the next start resumes every execution. \
            Exit codes: 0 stopped by a signal; 1 an error.
            """
    )

    @OptionGroup var runtime: RuntimeOptions

    @Option(name: .long, help: "The address to serve the API on, HOST:PORT.")
    var listen = "127.0.0.1:7420"

    @Flag(name: .long, inversion: .prefixedNo,
          help: "Run the local runtime (runc, nginx, Prometheus) for kind: local accounts; off where only Kubernetes accounts are used.")
    var localRuntime = true

    func validate() throws {
        _ = try Self.address(listen)
    }

    func run() async throws {
        let (host, port) = try Self.address(listen)
        do {
            let local = try runtime.makeRuntime()
            let store = try EngineStore(path: local.home.path + "/engine.db")
            let token = try ControllerToken.loadOrCreate(home: local.home.path)
            if localRuntime { try await local.up() }
            let wiring = AccountWiring(runtime: local, runsLocalRuntime: localRuntime)
            let engine = Engine(store: store, connector: wiring)
            let server = ControllerServer(engine: engine, token: token, configuration: ControllerConfiguration(host: host, port: port))
            try await serve(server, supervising: local, releasingIdle: wiring, tokenPath: ControllerToken.path(home: local.home.path))
        } catch let error as ExitCode {
            throw error
        } catch {
            Console.err("error: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// Serves until SIGTERM or SIGINT, supervising the runtime and closing idle accounts' drivers meanwhile.
    private func serve(
        _ server: ControllerServer, supervising local: LocalRuntime, releasingIdle wiring: AccountWiring, tokenPath: String
    ) async throws {
        let host = server.configuration.host.contains(":") ? "[\(server.configuration.host)]" : server.configuration.host
        let isListening = Mutex(false)
        do {
            let supervision: [@Sendable () async -> Void] = localRuntime ? [{ await local.supervise() }] : []
            try await server.run(alongside: supervision + [{ await Self.releaseIdleDrivers(of: wiring) }]) { port in
                isListening.withLock { $0 = true }
                Console.out("tack controller listening on http://\(host):\(port) (token in \(tokenPath))\n")
            }
        } catch where !isListening.withLock({ $0 }) {
            Console.err("error: cannot listen on \(listen): \(error)\n")
            throw ExitCode(1)
        }
    }

    /// Closes, once a minute, the Kubernetes drivers and watches of accounts that no rollout has
    /// used for `driverIdleMinutes`, until the task is cancelled.
    private static func releaseIdleDrivers(of wiring: AccountWiring) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(60)) } catch { return }
            for account in await wiring.releaseIdleDrivers(idle: .seconds(driverIdleMinutes * 60)) {
                Console.out("tack controller: closed the watches of Kubernetes account \(account): no rollout used it for \(driverIdleMinutes) minutes\n")
            }
        }
    }

    /// How long a Kubernetes account's driver is kept after the last rollout pass that used it.
    static let driverIdleMinutes = 10

    /// `HOST:PORT` (an IPv6 host in brackets) split; the port may be 0 to pick a free one.
    static func address(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen must be HOST:PORT, such as 127.0.0.1:7420; got \(text)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--listen needs a host, such as 127.0.0.1:\(port)") }
        return (host, port)
    }
}
