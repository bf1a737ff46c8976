import Foundation
import TackHTTP

extension KubeClient {
    /// Sends a request and decodes the JSON answer.
    func json(_ method: HTTPMethod, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
              contentType: String? = nil) async throws(KubeError) -> JSONValue {
        let response = try await send(method, path: path, query: query, body: body, contentType: contentType)
        return try JSONValue.parse(response.body, what: "the answer to \(method) \(path)")
    }

    /// Sends a request through the rate limiter with fresh credentials, retrying as client-go does
    /// (429/5xx with an integer Retry-After; a GET whose connection broke); a 401 refreshes the
    /// credentials once. Non-2xx answers throw their Status.
    func send(_ method: HTTPMethod, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
              contentType: String? = nil) async throws(KubeError) -> HTTPResponse {
        let url = connection.server + path + Self.queryString(query)
        var attempt = 1
        var refreshed = false
        while true {
            try await pace()
            let credential = try await connection.credentials.credential()
            let request = HTTPRequest(method: method, url: url, headers: headers(credential, contentType: contentType), body: body)
            let client = try transports.client(for: credential)
            let outcome: KubeRetry.Outcome
            let response: HTTPResponse
            do {
                response = try await client.send(request)
                outcome = .response(status: response.status, retryAfter: response.headers["Retry-After"])
            } catch {
                if error.kind == .cancelled { throw .cancelled }
                // A connection reset or closed mid-answer (client-go's IsConnectionReset/IsProbableEOF);
                // a refused connection or unknown host fails at once, as in client-go.
                guard error.kind == .transfer,
                      let wait = KubeRetry.delay(method: method.rawValue, outcome: .connectionError, attempt: attempt,
                                                 maxRetries: options.maxRetries, maxRetryAfter: options.maxRetryAfter)
                else { throw .transport(error) }
                try await sleep(wait)
                attempt += 1
                retried.add(1, ordering: .relaxed)
                continue
            }
            if (200..<300).contains(response.status) { return response }
            if response.status == 401 && !refreshed {
                refreshed = true
                await connection.credentials.invalidate()
                continue
            }
            if let wait = KubeRetry.delay(method: method.rawValue, outcome: outcome, attempt: attempt,
                                          maxRetries: options.maxRetries, maxRetryAfter: options.maxRetryAfter) {
                try await sleep(wait)
                attempt += 1
                retried.add(1, ordering: .relaxed)
                continue
            }
            throw Self.statusError(response, request: "\(method) \(path)")
        }
    }

    /// The Status error an answer carries (or one made from its HTTP code and `Retry-After`).
    static func statusError(_ response: HTTPResponse, request: String) -> KubeError {
        let status = try? JSONDecoder().decode(KubeStatus.self, from: Data(response.body))
        var error = StatusError(code: response.status, status: status?.code == nil && status?.reason == nil ? nil : status, request: request)
        if error.retryAfterSeconds == nil { error.retryAfterSeconds = KubeRetry.seconds(response.headers["Retry-After"]) }
        return .status(error)
    }

    /// Headers of every request: the credential, JSON accepted, the user agent.
    func headers(_ credential: KubeCredential, contentType: String?) -> HTTPHeaders {
        var headers: HTTPHeaders = ["Accept": "application/json", "User-Agent": options.userAgent]
        if case .bearerToken(let token) = credential { headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        return headers
    }

    /// Waits for the rate limiter.
    func pace() async throws(KubeError) {
        do { try await limiter.acquire() } catch { throw .cancelled }
    }

    private func sleep(_ duration: Duration) async throws(KubeError) {
        do { try await Task.sleep(for: duration) } catch { throw .cancelled }
    }

    /// `?a=b&c=d` with every value percent-encoded, or empty.
    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return "?" + query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
