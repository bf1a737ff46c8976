import Foundation

/// Reads and writes `runtime.json` under an exclusive lock (flock on `runtime.lock`), so that
/// passes of several `tack` processes never interleave; writes are atomic (temp, fsync, rename).
public struct RuntimeStateStore: Sendable {
    /// The state directory.
    public let home: RuntimeHome

    /// A store in `home`.
    public init(home: RuntimeHome) {
        self.home = home
    }

    /// Runs `body` with the state locked, saving what it leaves in `state` when it changed.
    public func withLockedState<T>(
        isolation: isolated (any Actor)? = #isolation, timeout: Duration = .seconds(60),
        _ body: (inout RuntimeState) async throws -> T
    ) async throws -> T {
        try FileManager.default.createDirectory(atPath: home.path, withIntermediateDirectories: true)
        let fd = open(home.lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LocalRuntimeError.io(path: home.lockFile, errno: errno) }
        defer { close(fd) }  // closing the descriptor releases the lock
        let deadline = ContinuousClock.now + timeout
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw LocalRuntimeError.io(path: home.lockFile, errno: errno) }
            if ContinuousClock.now >= deadline {
                throw LocalRuntimeError.timedOut(what: "the lock on \(home.lockFile)", seconds: timeout.seconds)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let original = try load()
        var state = original
        let result = try await body(&state)
        if state != original { try save(state) }
        return result
    }

    /// The state as last saved (empty when there is none); does not lock.
    public func load() throws -> RuntimeState {
        guard FileManager.default.fileExists(atPath: home.stateFile) else { return RuntimeState() }
        let data = try Data(contentsOf: URL(fileURLWithPath: home.stateFile))
        do {
            return try JSONDecoder.runtime.decode(RuntimeState.self, from: data)
        } catch {
            throw LocalRuntimeError.corruptState(path: home.stateFile, reason: "\(error)")
        }
    }

    private func save(_ state: RuntimeState) throws {
        try AtomicFile.write(Array(try JSONEncoder.runtime.encode(state)), to: home.stateFile, mode: 0o600)
    }
}

extension JSONEncoder {
    /// Sorted keys, dates as seconds since 1970 (exact), pretty printed: a state file a person can read and diff.
    static var runtime: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }
}

extension JSONDecoder {
    /// The decoder for state files written with `JSONEncoder.runtime`.
    static var runtime: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}
