import Foundation
import TestSupport

/// A real nginx (Debian's) on 127.0.0.1 at a free port as the TLS front of a `FakeKubeAPIServer`,
/// standing in for kube-apiserver's own TLS listener: it serves a test certificate, checks client
/// certificates against the test CA, and proxies to the fake's plain HTTP port over HTTP/1.1
/// without buffering (watch streams flow as written), the Authorization header passed through.
/// Its access log records each request's status and client-certificate check, never a header.
/// `with` stops nginx and removes its folder whether the body throws or not.
final class TLSFront: @unchecked Sendable {  // the process handle is only touched by the owning test
    /// How the front treats client certificates.
    enum ClientCertificates: String {
        /// `ssl_verify_client on`: a request without a certificate the CA signed gets 400.
        case required = "on"
        /// `ssl_verify_client optional`: a certificate is checked when sent (a bad one gets 400);
        /// without one the request goes on to the token check, as kube-apiserver allows.
        case optional
    }

    /// One line of the access log.
    struct Entry: Sendable, Equatable {
        /// The status nginx answered.
        var status: Int
        /// `$ssl_client_verify`: `SUCCESS`, `NONE` or `FAILED:…`.
        var clientVerify: String
        /// `$ssl_client_s_dn`, such as `CN=tack-client`; empty without a certificate.
        var clientSubject: String
        /// `GET /api/v1/namespaces/default/configmaps` (no query string).
        var request: String
    }

    let port: Int
    /// nginx's folder: configuration, logs and temporary files.
    let directory: String
    private let process: Process

    /// `https://127.0.0.1:PORT`.
    var url: String { "https://127.0.0.1:\(port)" }

    /// Runs `body` with nginx in front of `upstream` (`http://127.0.0.1:PORT`) and stops it afterwards.
    static func with<Value>(
        upstream: String, certificate: (certificate: String, key: String), clientCA: String,
        clientCertificates: ClientCertificates, _ body: (TLSFront) async throws -> Value
    ) async throws -> Value {
        let front = try await TLSFront(
            upstream: upstream, certificate: certificate, clientCA: clientCA, clientCertificates: clientCertificates)
        do {
            let value = try await body(front)
            front.stop()
            return value
        } catch {
            front.stop()
            throw error
        }
    }

    /// Starts nginx and returns once it accepts connections. A port taken between choosing it and
    /// nginx binding it is retried with another.
    private init(
        upstream: String, certificate: (certificate: String, key: String), clientCA: String, clientCertificates: ClientCertificates
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-kube-front-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lastError = ""
        for _ in 0..<5 {
            let port: Int
            let process: Process
            do {
                port = try FreePort.next()
                process = try Self.launch(
                    configuration: Self.configuration(
                        directory: directory, port: port, upstream: upstream, certificate: certificate, clientCA: clientCA,
                        clientCertificates: clientCertificates),
                    directory: directory)
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
            if await Self.waitUntilListening(port: port, process: process) {
                self.port = port
                self.process = process
                return
            }
            Self.kill(process)
            lastError = (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? ""
            guard lastError.contains("Address already in use") else { break }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw TLSFrontError(log: lastError)
    }

    /// The requests nginx answered, oldest first, once at least `count` are logged (or after 5 s):
    /// nginx writes a line when it finalizes a request, which may be just after the client has read
    /// the answer.
    func accessLog(count: Int) async -> [Entry] {
        let deadline = ContinuousClock.now + .seconds(5)
        var entries = readAccessLog()
        while entries.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
            entries = readAccessLog()
        }
        return entries
    }

    private func readAccessLog() -> [Entry] {
        let log = (try? String(contentsOfFile: directory + "/access.log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let status = Int(fields[0]) else { return nil }
            return Entry(status: status, clientVerify: fields[1], clientSubject: fields[2], request: fields[3])
        }
    }

    /// Stops nginx (SIGKILL: a process spawned from a Swift concurrency thread inherits its blocked
    /// signals, SIGTERM included; with `master_process off` there is no worker to orphan) and
    /// removes its folder. Stopping twice does nothing more.
    func stop() {
        Self.kill(process)
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    private static func configuration(
        directory: String, port: Int, upstream: String, certificate: (certificate: String, key: String), clientCA: String,
        clientCertificates: ClientCertificates
    ) -> String {
        """
        daemon off;
        master_process off;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log;
        events {}
        http {
            log_format front '$status|$ssl_client_verify|$ssl_client_s_dn|$request_method $uri';
            access_log \(directory)/access.log front;
            client_body_temp_path \(directory)/body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            server {
                listen 127.0.0.1:\(port) ssl;
                ssl_certificate \(certificate.certificate);
                ssl_certificate_key \(certificate.key);
                ssl_client_certificate \(clientCA);
                ssl_verify_client \(clientCertificates.rawValue);
                location / {
                    proxy_pass \(upstream);
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Authorization $http_authorization;
                    proxy_buffering off;
                    proxy_request_buffering off;
                    proxy_read_timeout 1h;
                }
            }
        }
        """
    }

    private static func launch(configuration: String, directory: String) throws -> Process {
        try configuration.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: directory + "/error.log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", directory, "-c", directory + "/nginx.conf", "-e", directory + "/error.log"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func kill(_ process: Process) {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Whether nginx accepts connections on `port` within 10 s (false at once when it exited).
    private static func waitUntilListening(port: Int, process: Process) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if accepts(port: port) { return true }
            guard process.isRunning else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    private static var streamSocket: Int32 {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    /// The IPv4 address 127.0.0.1:`port`.
    private static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        return address
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted.
    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

}

/// nginx did not start; `log` is its error log.
struct TLSFrontError: Error, CustomStringConvertible {
    var log: String
    var description: String { "nginx did not start: \(log)" }
}
