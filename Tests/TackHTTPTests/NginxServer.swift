import Foundation

/// A real nginx (Debian's) on 127.0.0.1 serving HTTPS with HTTP/2, for the tests that need a
/// server speaking HTTP/2 (Python's standard library does not). Its access log records each
/// request's protocol and connection serial number. Stopped in `stop()` and on deinit.
final class NginxServer: @unchecked Sendable {  // the process handle is only touched by the owning test
    let port: Int
    let directory: String
    private let process: Process

    init(certificate: String, key: String, port: Int) throws {
        self.port = port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-nginx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = """
            daemon off;
            master_process off;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log;
            events {}
            http {
                log_format protocol '$server_protocol $connection';
                access_log \(directory)/access.log protocol;
                client_body_temp_path \(directory)/body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;
                server {
                    listen 127.0.0.1:\(port) ssl http2;
                    ssl_certificate \(certificate);
                    ssl_certificate_key \(key);
                    location / { return 200 "ok\\n"; }
                }
            }
            """
        try config.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", directory, "-c", directory + "/nginx.conf", "-e", directory + "/error.log"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Each logged request as (protocol, connection serial number).
    func requests() throws -> [(protocol: String, connection: Int)] {
        let log = (try? String(contentsOfFile: directory + "/access.log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let connection = Int(parts[1]) else { return nil }
            return (String(parts[0]), connection)
        }
    }

    /// Stops nginx and removes its folder. SIGKILL, because a process spawned from a Swift
    /// concurrency thread inherits its blocked signals, SIGTERM included; with `master_process off`
    /// there is no worker to orphan.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }
}
