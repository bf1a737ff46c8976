import Foundation
import TackHTTP

/// A client of the Prometheus HTTP query API over any `HTTPTransport`. Queries are POSTed as
/// `application/x-www-form-urlencoded`, so long PromQL never meets a URL length limit.
public struct PrometheusClient: Sendable {
    /// The server's URL, with any path prefix (`http://127.0.0.1:9090`, `https://host/prometheus`).
    public let baseURL: String
    /// How requests authenticate.
    public let credentials: PrometheusCredentials
    /// The longest Prometheus may evaluate a query; the request may take a second more, so that
    /// Prometheus's own timeout message arrives.
    public let timeout: Duration
    let transport: any HTTPTransport

    /// The query timeout when none is given: well under the default 15 s interval, so a hanging
    /// query does not delay the next round.
    public static let defaultTimeout: Duration = .seconds(10)

    /// A client.
    public init(baseURL: String, transport: any HTTPTransport, credentials: PrometheusCredentials = .none,
                timeout: Duration = defaultTimeout) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.transport = transport
        self.credentials = credentials
        self.timeout = timeout
    }

    /// Evaluates `promql` at `time` (seconds since the epoch; Prometheus's now when nil).
    public func query(_ promql: String, at time: Double? = nil) async throws(PrometheusError) -> QueryResult {
        var form = [(name: "query", value: promql)]
        if let time { form.append(("time", Self.seconds(time))) }
        form.append(("timeout", Self.seconds(timeout)))
        return try await post("/api/v1/query", form: form)
    }

    /// Evaluates `promql` from `start` to `end` (seconds since the epoch) every `step`.
    public func queryRange(_ promql: String, start: Double, end: Double, step: Duration) async throws(PrometheusError) -> QueryResult {
        try await post("/api/v1/query_range", form: [
            ("query", promql), ("start", Self.seconds(start)), ("end", Self.seconds(end)),
            ("step", Self.seconds(step)), ("timeout", Self.seconds(timeout)),
        ])
    }

    /// Where a request to `path` goes, for messages: host, port and path, never user info.
    func endpoint(_ path: String) -> String {
        var rest = Substring(baseURL)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return String(rest) + path
    }

    private func post(_ path: String, form: [(name: String, value: String)]) async throws(PrometheusError) -> QueryResult {
        var headers: HTTPHeaders = [
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        ]
        if let authorization = credentials.authorization { headers.add(name: "Authorization", value: authorization) }
        let request = HTTPRequest(method: .post, url: baseURL + path, headers: headers,
                                  body: Array(FormEncoding.encode(form).utf8), timeout: timeout + .seconds(1))
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw .transport(error)
        }
        return try QueryResponse.decode(response, endpoint: endpoint(path), redact: credentials.redacting).get()
    }

    /// Seconds as Prometheus reads them: a decimal with at most millisecond precision (`1700000000.123`, `15`).
    static func seconds(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A duration in seconds as Prometheus reads them.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return self.seconds(Double(seconds) + Double(attoseconds) / 1e18)
    }
}
