import Foundation

/// Runs an exec credential plugin to its end on a thread of its own (never on Swift's cooperative
/// pool): stdin from /dev/null, stdout and stderr captured up to a limit, killed after a timeout.
enum PluginProcess {
    /// How a run ended and what it printed.
    struct Outcome: Sendable {
        enum Ending: Sendable, Equatable {
            case exited(Int32)
            case signalled(Int32)
            case timedOut
            case failedToStart(String)
        }

        var ending: Ending
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// Whether stdout went past the limit (and was cut).
        var stdoutTooLarge: Bool
    }

    /// The most stdout kept: an `ExecCredential` is a few kilobytes.
    static let maxStdout = 1 << 20
    /// The most stderr kept, for its first line.
    static let maxStderr = 16 << 10

    /// Runs `executable` and waits for it, at most `timeout`.
    static func run(
        executable: String, arguments: [String], environment: [String: String], timeout: Duration
    ) async -> Outcome {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: runBlocking(
                    executable: executable, arguments: arguments, environment: environment, timeout: timeout))
            }.start()
        }
    }

    private static func runBlocking(
        executable: String, arguments: [String], environment: [String: String], timeout: Duration
    ) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            return Outcome(ending: .failedToStart(String(describing: error)), stdout: [], stderr: [], stdoutTooLarge: false)
        }
        // Foundation closed our copies of the pipes' write ends, so EOF comes when the plugin exits.
        var streams = [
            Stream(descriptor: stdout.fileHandleForReading.fileDescriptor, limit: maxStdout),
            Stream(descriptor: stderr.fileHandleForReading.fileDescriptor, limit: maxStderr),
        ]
        let deadline = ContinuousClock.now + timeout
        var exitedAt: ContinuousClock.Instant?
        var timedOut = false
        while streams.contains(where: \.isOpen) {
            let now = ContinuousClock.now
            if exitedAt == nil, exited.wait(timeout: .now()) == .success { exitedAt = now }
            // A child of the plugin may hold the pipes open after the plugin exits: stop reading soon after.
            if let exitedAt, now - exitedAt > .milliseconds(500) { break }
            if exitedAt == nil, now >= deadline {
                timedOut = true
                break
            }
            var descriptors = streams.map { pollfd(fd: $0.isOpen ? $0.descriptor : -1, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), 50) >= 0 || errno == EINTR else { break }
            for index in streams.indices where descriptors[index].revents != 0 {
                streams[index].readAvailable()
            }
        }
        if exitedAt == nil, !timedOut {
            timedOut = exited.wait(timeout: .now() + .nanoseconds(Int(max(0, (deadline - .now).nanoseconds)))) == .timedOut
            if !timedOut { exitedAt = .now }
        }
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        try? stdout.fileHandleForReading.close()
        try? stderr.fileHandleForReading.close()
        let ending: Outcome.Ending = timedOut ? .timedOut
            : process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus)
            : .exited(process.terminationStatus)
        return Outcome(ending: ending, stdout: streams[0].bytes, stderr: streams[1].bytes, stdoutTooLarge: streams[0].isTooLarge)
    }

    /// One output pipe being drained.
    private struct Stream {
        let descriptor: Int32
        let limit: Int
        var bytes: [UInt8] = []
        var isOpen = true
        var isTooLarge = false

        init(descriptor: Int32, limit: Int) {
            self.descriptor = descriptor
            self.limit = limit
        }

        /// Reads what is there; past the limit, bytes are read and dropped so the plugin never blocks.
        mutating func readAvailable() {
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                let room = max(0, limit - bytes.count)
                bytes += buffer.prefix(min(room, count))
                if count > room { isTooLarge = true }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                isOpen = false
            }
        }
    }
}

extension Duration {
    /// Whole nanoseconds, for Dispatch deadlines.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
