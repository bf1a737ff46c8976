import Foundation

/// A real `tack controller --no-local-runtime` on 127.0.0.1 at a port the system picks, in a home
/// of its own that holds its token. Tests call `stop()` in a `defer`, so it ends whatever happens.
final class TackControllerProcess {
    /// Its home: the token, the engine's database and `controller.log` (stdout and stderr).
    let home: URL
    /// `http://127.0.0.1:PORT` once it listens; nil when it did not report an address in time.
    let url: String?
    private let process: Process

    private init(home: URL, url: String?, process: Process) {
        self.home = home
        self.url = url
        self.process = process
    }

    /// Starts a controller and waits up to `timeout` for it to listen.
    static func start(timeout: Duration = .seconds(60)) async throws -> TackControllerProcess {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tack-controller-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let log = home.appendingPathComponent("controller.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = TackRun.binary
        process.arguments = ["controller", "--home", home.path, "--listen", "127.0.0.1:0", "--no-local-runtime"]
        process.currentDirectoryURL = home
        process.environment = ProcessInfo.processInfo.environment.filter { !["TACK_ACCOUNTS", "TACK_CONTROLLER", "TACK_TOKEN"].contains($0.key) }
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                return TackControllerProcess(home: home, url: String(text[range].dropFirst("listening on ".count)), process: process)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return TackControllerProcess(home: home, url: nil, process: process)
    }

    /// What the controller printed so far.
    var log: String {
        (try? String(contentsOf: home.appendingPathComponent("controller.log"), encoding: .utf8)) ?? ""
    }

    /// Runs `tack ARGUMENTS` against this controller with the token from its home, for at most `timeout`.
    func tack(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> TackRun {
        try await TackRun.detached(arguments, environment: ["TACK_CONTROLLER": url ?? "", "TACK_HOME": home.path, "TACK_TOKEN": ""],
                                   timeout: timeout)
    }

    /// Stops the controller (SIGTERM, then SIGKILL after 10 seconds) and removes its home.
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: home)
    }
}
