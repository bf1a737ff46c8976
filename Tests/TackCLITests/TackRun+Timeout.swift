import Foundation
import Synchronization

extension TackRun {
    /// Runs `tack ARGUMENTS` on a thread of its own, so that an in-process server the command talks
    /// to keeps the concurrency pool; after `timeout` the command is killed and the run ends with
    /// its signal as the status and the timeout noted on stderr.
    static func detached(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120)) async throws -> TackRun {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try TackRun(arguments, environment: environment, timeout: timeout) })
            }
        }
    }

    /// Runs `tack ARGUMENTS` and waits at most `timeout` for it (blocking).
    init(_ arguments: [String], environment: [String: String], timeout: Duration) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "TACK_ACCOUNTS" }.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let killed = Mutex(false)
        let watchdog = DispatchWorkItem {
            guard process.isRunning else { return }
            killed.withLock { $0 = true }
            process.terminate()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout / .milliseconds(1))), execute: watchdog)
        // stderr is read beside stdout, so that neither pipe fills up and stalls the command.
        let errors = Mutex(Data()), errorsRead = DispatchSemaphore(value: 0)
        let errorHandle = err.fileHandleForReading
        Thread.detachNewThread {
            let data = errorHandle.readDataToEndOfFile()
            errors.withLock { $0 = data }
            errorsRead.signal()
        }
        let printed = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        errorsRead.wait()
        status = process.terminationStatus
        stdout = String(decoding: printed, as: UTF8.self)
        stderr = String(decoding: errors.withLock { $0 }, as: UTF8.self) + (killed.withLock { $0 } ? "\n(killed after \(timeout))\n" : "")
    }
}
