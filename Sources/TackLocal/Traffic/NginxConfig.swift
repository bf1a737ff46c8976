import TackCore

/// The whole nginx.conf of the router, rendered from routes by a pure function. One worker (so
/// nginx's smooth weighted round robin gives the exact proportions), `daemon off` (tack supervises
/// the master), every path under the prefix, no buffering to disk (so workers that run as an
/// unprivileged user need no file access), and a control server whose `GET /generation` answers
/// the generation of the configuration the answering worker loaded.
public struct NginxConfig: Sendable, Hashable {
    /// The directory that holds the configuration, pid file, logs and temp directories.
    public var prefix: String
    /// The port of the control server on 127.0.0.1.
    public var controlPort: Int
    /// `user group` for the workers when the master runs as root, or nil to leave them as the master.
    public var workerUser: String?

    /// A configuration under `prefix`.
    public init(prefix: String, controlPort: Int, workerUser: String? = nil) {
        self.prefix = prefix
        self.controlPort = controlPort
        self.workerUser = workerUser
    }

    /// The path of the configuration file nginx runs with.
    public var path: String { prefix + "/nginx.conf" }
    /// The error log (also nginx's stderr).
    public var errorLogPath: String { prefix + "/logs/error.log" }
    /// The access log: one line per request, naming the route, status, track and version.
    public var accessLogPath: String { prefix + "/logs/access.log" }

    /// nginx.conf for `routes` (in any order) as configuration number `generation`.
    public func render(routes: [Route], generation: Int) -> String {
        let routes = routes.sorted { ($0.account, $0.app, $0.port) < ($1.account, $1.app, $1.port) }
        var lines = [
            "# tack-router generation=\(generation) control-port=\(controlPort)",
            "# Written by tack; it replaces this file whenever the routes change.",
            "daemon off;",
            "worker_processes 1;",
        ]
        if let workerUser { lines.append("user \(workerUser);") }
        lines += [
            "pid \(prefix)/nginx.pid;",
            "error_log \(errorLogPath) warn;",
            "worker_shutdown_timeout 60s;",
            "events {",
            "    worker_connections 1024;",
            "}",
            "http {",
        ]
        lines += http(routes: routes, generation: generation).map { $0.isEmpty ? $0 : "    " + $0 }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The http block's contents.
    private func http(routes: [Route], generation: Int) -> [String] {
        var lines = ["client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path"]
            .map { "\($0) \(prefix)/temp/\($0.split(separator: "_")[0]);" }
        lines += [
            "log_format tack '$time_iso8601 $tack_route $status $tack_track $tack_version $upstream_addr $request_time \"$request\"';",
            "access_log \(accessLogPath) tack buffer=32k flush=1s;",
            "server_tokens off;",
            "default_type text/plain;",
            "client_max_body_size 0;",
            "proxy_http_version 1.1;",
            "proxy_set_header Connection \"\";",
            "proxy_set_header Host $http_host;",
            "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "proxy_buffering off;",
            "proxy_request_buffering off;",
            "proxy_connect_timeout 2s;",
            "proxy_read_timeout 300s;",
            "proxy_send_timeout 300s;",
            "proxy_next_upstream error timeout;",
        ]
        lines += ["map $server_port $tack_route {", "    default \"-\";"]
            + routes.flatMap { route in
                let name = "\(Self.token(route.account))/\(Self.token(route.app))"
                return ["    \(route.port) \"\(name)\";"] + (route.previewPort.map { ["    \($0) \"\(name)/preview\";"] } ?? [])
            } + ["}"]
        lines += backendMaps(routes)
        lines += [
            "",
            "# Control: answers the generation of the configuration the answering worker loaded.",
            "server {",
            "    listen 127.0.0.1:\(controlPort);",
            "    access_log off;",
            "    location = /generation { return 200 \"\(generation)\\n\"; }",
            "    location / { return 404; }",
            "}",
        ]
        for (index, route) in routes.enumerated() {
            let label = "\(route.account)-\(route.app)".lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII ? $0 : "-" }
            let upstream = "tack-\(index)-" + String(label)
            let name = "\(Self.token(route.account))/\(Self.token(route.app))"
            lines.append("")
            lines += server(
                port: route.port, weights: route.replicaWeights, upstream: upstream, comment: "\(name): \(route.split)",
                unavailable: "no replica of \(name) can take traffic")
            if let previewPort = route.previewPort {
                lines.append("")
                lines += server(
                    port: previewPort, weights: route.previewWeights, upstream: upstream + "-preview",
                    comment: "\(name) preview: track preview only", unavailable: "no preview replica of \(name) can take traffic")
            }
        }
        return lines
    }

    /// Maps from the answering replica's address to its track and version, for the response
    /// headers and the access log.
    private func backendMaps(_ routes: [Route]) -> [String] {
        var tracks: [(String, String)] = []
        var versions: [(String, String)] = []
        var seen: Set<String> = []
        for backend in routes.flatMap(\.backends) where seen.insert(backend.address).inserted {
            tracks.append((backend.address, backend.track.rawValue))
            versions.append((backend.address, Self.token(backend.version)))
        }
        func map(_ variable: String, _ entries: [(String, String)]) -> [String] {
            ["map $upstream_addr $\(variable) {", "    default \"\";"]
                + entries.map { "    \"\($0.0)\" \"\($0.1)\";" } + ["}"]
        }
        return map("tack_track", tracks) + map("tack_version", versions)
    }

    /// The upstream and the server of one listener; a server that answers 503 with `unavailable`
    /// when no replica can take traffic.
    private func server(
        port: Int, weights: [(backend: Route.Backend, weight: Int)], upstream: String, comment: String, unavailable: String
    ) -> [String] {
        var lines = ["# \(comment)"]
        if !weights.isEmpty {
            lines.append("upstream \(upstream) {")
            lines += weights.map { backend, weight in
                "    server \(backend.address) weight=\(weight) max_fails=1 fail_timeout=2s;  # \(backend.track.rawValue) \(Self.token(backend.version))"
            }
            lines += ["    keepalive 16;", "}"]
        }
        lines += [
            "server {",
            "    listen 127.0.0.1:\(port);",
            "    location / {",
        ]
        if weights.isEmpty {
            lines.append("        return 503 \"\(unavailable)\\n\";")
        } else {
            lines += [
                "        proxy_pass http://\(upstream);",
                "        add_header X-Tack-Track $tack_track always;",
                "        add_header X-Tack-Version $tack_version always;",
            ]
        }
        lines += ["    }", "}"]
        return lines
    }

    /// `text` with every character that is not safe inside an nginx token or string (quotes,
    /// `$`, spaces, braces, semicolons) replaced by `_`.
    static func token(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:+@-")
        let result = String(text.map { safe.contains($0) ? $0 : "_" })
        return result.isEmpty ? "_" : result
    }
}

extension NginxConfig {
    /// The generation and control port recorded in the first line of a rendered configuration.
    static func header(of text: String) -> (generation: Int, controlPort: Int)? {
        guard let first = text.split(separator: "\n", maxSplits: 1).first, first.hasPrefix("# tack-router ") else { return nil }
        var values: [String: Int] = [:]
        for field in first.dropFirst("# tack-router ".count).split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Int(parts[1]) { values[String(parts[0])] = value }
        }
        guard let generation = values["generation"], let port = values["control-port"] else { return nil }
        return (generation, port)
    }
}
