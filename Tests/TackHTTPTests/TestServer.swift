import Foundation
import TackHTTP

/// Servers/test_server.py running on 127.0.0.1 for one test; stopped (killed and reaped) by
/// `stop()` or, at the latest, when the last reference goes, also when the test fails.
final class TestServer {
    /// Where the script lives, beside this file.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Servers/test_server.py").path

    let port: Int
    let scheme: String
    private let process = Process()
    private let stdin = Pipe()
    private var isStopped = false

    /// Starts the server; `tls` makes it speak HTTPS with that certificate, `clientCA` makes it
    /// require a client certificate signed by that CA.
    init(tls: (certificate: String, key: String)? = nil, clientCA: String? = nil) async throws {
        var arguments = [Self.script]
        if let tls { arguments += ["--cert", tls.certificate, "--key", tls.key] }
        if let clientCA { arguments += ["--ca", clientCA] }
        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardInput = stdin          // the server exits when this closes
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        scheme = tls == nil ? "http" : "https"

        let reader = stdout.fileHandleForReading
        let line = try await offThePool {
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let data = reader.availableData
                if data.isEmpty { break }          // the server died before printing its port
                line.append(data)
            }
            return line
        }
        guard let text = String(data: line, encoding: .utf8),
              let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestServerError.noPort(String(decoding: line, as: UTF8.self))
        }
        self.port = port
    }

    deinit {
        stop()
    }

    /// The URL of `path` (with query) on this server.
    func url(_ path: String) -> String {
        "\(scheme)://127.0.0.1:\(port)\(path)"
    }

    /// Kills the server and waits for it; safe to call twice.
    func stop() {
        guard !isStopped else { return }
        isStopped = true
        kill(process.processIdentifier, SIGKILL)    // not SIGTERM: the child may inherit it blocked
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
    }

    /// What the server reports on `path` (/attempts, /connections, /closed); asked with `client`
    /// or, when nil, with a plain HTTP client of its own.
    func report(_ path: String, using client: CurlHTTPClient? = nil) async throws -> String {
        let client = try client ?? CurlHTTPClient(configuration: HTTPClientConfiguration(retry: .never))
        let response = try await client.send(HTTPRequest(url: url(path)))
        return String(decoding: response.body, as: UTF8.self)
    }
}

/// Runs blocking work (reading a pipe, running openssl) on a thread of its own, so that waiting
/// for it does not hold one of the few threads Swift concurrency runs tests on.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

enum TestServerError: Error {
    case noPort(String)
}
