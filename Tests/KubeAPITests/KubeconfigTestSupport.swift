import Foundation
import KubeAPI
import Synchronization
import Testing

/// The kubeconfig fixtures beside these tests.
enum KubeconfigFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/kubeconfig").path

    /// The absolute path of fixture `name`.
    static func path(_ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }
}

/// A fresh directory under the system's temporary one, removed when the last reference goes.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("tack-kubeconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` in the directory (creating subdirectories) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// The path of `name` in the directory.
    func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// The text of `name`, or nil when it does not exist.
    func read(_ name: String) -> String? {
        try? String(contentsOfFile: file(name), encoding: .utf8)
    }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let date: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_900_000_000)) {
        date = Mutex(start)
    }

    /// The current time.
    var now: Date { date.withLock { $0 } }

    /// Moves time forward.
    func advance(_ seconds: TimeInterval) {
        date.withLock { $0 += seconds }
    }

    /// The clock as the closure credential sources take.
    var function: @Sendable () -> Date { { self.now } }
}

/// The `KubeError` that `operation` throws, or nil (recorded as an issue) when it succeeds or
/// throws something else.
func kubeErrorAsync<T>(
    _ operation: () async throws -> T, sourceLocation: SourceLocation = #_sourceLocation
) async -> KubeError? {
    do {
        _ = try await operation()
        Issue.record("expected a KubeError", sourceLocation: sourceLocation)
    } catch let error as KubeError {
        return error
    } catch {
        Issue.record("expected a KubeError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The synchronous form of `kubeErrorAsync`.
func kubeError<T>(_ operation: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> KubeError? {
    do {
        _ = try operation()
        Issue.record("expected a KubeError", sourceLocation: sourceLocation)
    } catch let error as KubeError {
        return error
    } catch {
        Issue.record("expected a KubeError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The connection of `context` in the kubeconfig at `path`, with an environment of only `PATH`
/// plus `environment`.
func connection(_ path: String, context: String? = nil, environment: [String: String] = [:]) throws(KubeError) -> KubeConnection {
    try KubeconfigLoader.connection(
        kubeconfig: path, context: context, environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 },
        homeDirectory: "/nonexistent-home")
}

/// The bearer token a connection's source gives, or nil for another credential.
func bearerToken(_ connection: KubeConnection) async throws -> String? {
    if case .bearerToken(let token) = try await connection.credentials.credential() { return token }
    return nil
}
