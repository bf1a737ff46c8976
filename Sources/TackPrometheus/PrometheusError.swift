import TackHTTP

/// Why a Prometheus query gave no result. The description is the sentence a user reads; it names
/// the endpoint and what Prometheus said, and never a credential.
public enum PrometheusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request was not answered: connection refused, timeout, TLS, cancellation.
    case transport(HTTPError)
    /// Prometheus answered with an error body: `bad_data` (the query is wrong), `execution`,
    /// `timeout`, `canceled`, `unavailable`, `internal`, …
    case api(endpoint: String, status: Int, errorType: String, message: String)
    /// The answer is not a Prometheus API body: a proxy's HTML page, truncated JSON, an unknown shape.
    case invalidResponse(endpoint: String, status: Int, detail: String)

    public var description: String {
        switch self {
        case .transport(let error):
            "Prometheus did not answer: \(error)"
        case .api(let endpoint, let status, let errorType, let message):
            "Prometheus at \(endpoint) answered \(status) \(errorType): \(message)"
        case .invalidResponse(let endpoint, let status, let detail):
            "\(endpoint) answered \(status) with \(detail)" + (status == 401 || status == 403 ? "; check the credentials" : "")
        }
    }
}
