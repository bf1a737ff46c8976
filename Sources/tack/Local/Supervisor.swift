import ArgumentParser
import Foundation
import Synchronization
import TackLocal

/// The runtime's supervisor: a loop of passes, in the background (`tack up`) or in this process.
enum Supervisor {
    /// Starts `tack supervise` detached (its own session, output to the supervisor log).
    static func spawnInBackground(home: RuntimeHome) throws -> ProcessHandle {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var environment = ChildProcess.minimalEnvironment
        environment["TACK_HOME"] = home.path
        if let path = ProcessInfo.processInfo.environment["PATH"] { environment["PATH"] = path }
        return try ChildProcess.spawn(
            ProcessSpec(
                executable: executable, arguments: ["supervise", "--home", home.path], environment: environment,
                workingDirectory: home.path, logPath: home.supervisorLog))
    }

    /// Runs passes every second until SIGINT or SIGTERM.
    static func runInForeground(_ runtime: LocalRuntime) async throws {
        let loop = Task { await runtime.supervise() }
        await SignalWaiter.wait(for: [SIGINT, SIGTERM])
        loop.cancel()
        await loop.value
        Console.err("tack: supervisor stopped; replicas, nginx and Prometheus keep running (tack down stops them)\n")
    }
}

/// `tack supervise`: the background supervisor that `tack up` starts (hidden).
struct SuperviseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervise", abstract: "Run the local runtime's supervisor loop (started by tack up).",
        shouldDisplay: false)

    @OptionGroup var runtime: RuntimeOptions

    func run() async throws {
        let local = try runtime.makeRuntime()
        try await Supervisor.runInForeground(local)
    }
}

/// Waits for one of a set of signals, handled by Dispatch rather than by the default action.
enum SignalWaiter {
    static func wait(for signals: [Int32]) async {
        let once = OnceFlag()
        var sources: [any DispatchSourceSignal] = []
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            for number in signals {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    if once.claim() { continuation.resume() }
                }
                source.resume()
                sources.append(source)
            }
        }
        sources.forEach { $0.cancel() }
    }
}

/// A flag that can be claimed once, from any thread.
private final class OnceFlag: Sendable {
    private let claimed = Mutex(false)

    /// True for the first caller only.
    func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
