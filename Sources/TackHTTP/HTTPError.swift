/// Why an exchange failed. Its description names the method, host, path, status and curl's
/// message, and never a header value, query string or body, which may hold credentials.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: Sendable, Hashable {
        /// The URL or request could not be used as given.
        case invalidRequest
        /// No connection could be made (refused, unreachable, DNS).
        case connection
        /// The TLS handshake or certificate verification failed.
        case tls
        /// A timeout expired (connect, total or low-speed).
        case timeout
        /// The server answered with an error status that was not retried away.
        case status(Int)
        /// The task was cancelled.
        case cancelled
        /// Anything else curl reported.
        case transfer
        /// The client's configuration could not be used (a PEM block, a limit); not tied to a request.
        case configuration
    }

    public var kind: Kind
    public var method: HTTPMethod
    /// The URL's host (and port when given).
    public var host: String
    /// The URL's path, without the query string.
    public var path: String
    /// curl's message, or a sentence from Tack.
    public var message: String
    /// How many attempts were made.
    public var attempts: Int

    /// An error.
    public init(_ kind: Kind, method: HTTPMethod, host: String, path: String, message: String, attempts: Int = 1) {
        self.kind = kind
        self.method = method
        self.host = host
        self.path = path
        self.message = message
        self.attempts = attempts
    }

    public var description: String {
        if kind == .configuration { return "HTTP client configuration: \(message)" }
        let status: String = if case .status(let code) = kind { " answered \(code)" } else { "" }
        let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
        return "\(method) \(host)\(path)\(status): \(message)\(tries)"
    }
}
