import ArgumentParser
import Foundation
import TackLocal
import TackPipeline

/// `tack up`: starts the local runtime and a background supervisor.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start the local runtime: nginx, the embedded Prometheus and every recorded replica.",
        discussion: """
            Starts (or adopts, after a crash) nginx and the embedded Prometheus, removes containers \
            no record owns, and starts the replicas of every application recorded in the state \
            directory. A supervisor then runs in the background: it restarts crashed replicas with \
            back-off and keeps traffic and scrape targets current. `tack down` stops all of it.
            """
    )

    @OptionGroup var runtime: RuntimeOptions

    @Option(name: .long, help: "An accounts file: checked, and its local accounts listed.")
    var accounts: String?

    @Flag(name: .long, help: "Supervise in this process (until SIGINT or SIGTERM) instead of in the background.")
    var foreground = false

    func run() async throws {
        if let accounts { try listLocalAccounts(accounts) }
        let local = try runtime.makeRuntime()
        do {
            try await local.up()
            let state = try await local.snapshot()
            Console.out(StatusRenderer.summary(state, home: local.home))
            if foreground {
                try await Supervisor.runInForeground(local)
            } else if state.supervisor?.isRunning != true {
                let handle = try Supervisor.spawnInBackground(home: local.home)
                Console.out("supervisor: pid \(handle.pid), log \(local.home.supervisorLog)\n")
            }
        } catch {
            throw LocalRuntimeError.exit(error)
        }
    }

    private func listLocalAccounts(_ path: String) throws {
        let file = TackFile.load(path: path)
        let (decoded, diagnostics) = file.decodeAccounts()
        guard let decoded, diagnostics.allSatisfy({ $0.severity != .error }) else {
            Console.err(diagnostics.map { $0.formatted(file: path) + "\n" }.joined())
            throw ExitCode(1)
        }
        let local = decoded.accounts.filter { if case .local = $0.kind { true } else { false } }.map(\.name)
        Console.out("local accounts: \(local.isEmpty ? "none" : local.joined(separator: ", "))\n")
    }
}
