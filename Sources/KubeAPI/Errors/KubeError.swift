import TackHTTP

/// Why a Kubernetes request failed. Descriptions name the cluster, method and object path and the
/// server's message, never a token, key or kubeconfig data.
public enum KubeError: Error, Sendable, CustomStringConvertible {
    /// The API server answered with a failure `Status`.
    case status(StatusError)
    /// The request never got an answer (connection, TLS, timeout).
    case transport(HTTPError)
    /// A kubeconfig or in-cluster setting could not be used; the message names the file and entry.
    case configuration(String)
    /// Credentials could not be obtained (an exec plugin failed, a token file is unreadable).
    case credentials(String)
    /// A response was not what the API promises.
    case decoding(String)
    /// No usable answer in time (a cache that could not list); the message says what was last tried.
    case unavailable(String)
    /// The request was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .status(let error): error.description
        case .transport(let error): error.description
        case .configuration(let message): "kubeconfig: \(message)"
        case .credentials(let message): "credentials: \(message)"
        case .decoding(let message): "unexpected answer: \(message)"
        case .unavailable(let message): message
        case .cancelled: "cancelled"
        }
    }

    /// The Status reason when the server answered with one.
    public var reason: StatusReason? {
        if case .status(let error) = self { error.reason } else { nil }
    }
}

/// A failure `Status` with the request it answered.
public struct StatusError: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code.
    public var code: Int
    /// The typed reason.
    public var reason: StatusReason
    /// The server's sentence.
    public var message: String
    /// Field-level causes (Invalid, apply conflicts).
    public var causes: [KubeStatus.Cause]
    /// Seconds to wait before retrying, when the server said.
    public var retryAfterSeconds: Int?
    /// `PATCH /apis/apps/v1/namespaces/ns/deployments/web` (no query string).
    public var request: String

    /// An error from a decoded Status (or from the HTTP code alone when the body was not a Status).
    public init(code: Int, status: KubeStatus?, request: String) {
        self.code = code
        self.reason = StatusReason(status?.reason, code: code)
        self.message = status?.message ?? "HTTP \(code)"
        self.causes = status?.details?.causes ?? []
        self.retryAfterSeconds = status?.details?.retryAfterSeconds
        self.request = request
    }

    public var description: String {
        let fields = causes.compactMap { cause in cause.field.map { "\($0): \(cause.message ?? cause.reason ?? "invalid")" } }
        let detail = fields.isEmpty ? "" : " (" + fields.joined(separator: "; ") + ")"
        return "\(request) answered \(code) \(reason): \(message)\(detail)"
    }
}

/// The `reason` of a failure Status, typed for the cases callers act on.
public enum StatusReason: Sendable, Hashable, CustomStringConvertible {
    case notFound, alreadyExists, conflict, invalid, badRequest, unauthorized, forbidden, methodNotAllowed
    case expired, tooManyRequests, internalError, serverTimeout, timeout, serviceUnavailable, unsupportedMediaType
    /// A reason this client does not type.
    case other(String)

    /// The reason named `text`, or one inferred from `code` when the body had none.
    public init(_ text: String?, code: Int) {
        switch text {
        case "NotFound": self = .notFound
        case "AlreadyExists": self = .alreadyExists
        case "Conflict": self = .conflict
        case "Invalid": self = .invalid
        case "BadRequest": self = .badRequest
        case "Unauthorized": self = .unauthorized
        case "Forbidden": self = .forbidden
        case "MethodNotAllowed": self = .methodNotAllowed
        case "Expired", "Gone": self = .expired
        case "TooManyRequests": self = .tooManyRequests
        case "InternalError": self = .internalError
        case "ServerTimeout": self = .serverTimeout
        case "Timeout": self = .timeout
        case "ServiceUnavailable": self = .serviceUnavailable
        case "UnsupportedMediaType": self = .unsupportedMediaType
        case let text? where !text.isEmpty: self = .other(text)
        default: self = Self(code: code)
        }
    }

    private init(code: Int) {
        self = switch code {
        case 400: .badRequest
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 409: .conflict
        case 410: .expired
        case 415: .unsupportedMediaType
        case 422: .invalid
        case 429: .tooManyRequests
        case 503: .serviceUnavailable
        case 504: .timeout
        default: code >= 500 ? .internalError : .other("HTTP \(code)")
        }
    }

    /// The reason as the API writes it.
    public var description: String {
        switch self {
        case .notFound: "NotFound"
        case .alreadyExists: "AlreadyExists"
        case .conflict: "Conflict"
        case .invalid: "Invalid"
        case .badRequest: "BadRequest"
        case .unauthorized: "Unauthorized"
        case .forbidden: "Forbidden"
        case .methodNotAllowed: "MethodNotAllowed"
        case .expired: "Expired"
        case .tooManyRequests: "TooManyRequests"
        case .internalError: "InternalError"
        case .serverTimeout: "ServerTimeout"
        case .timeout: "Timeout"
        case .serviceUnavailable: "ServiceUnavailable"
        case .unsupportedMediaType: "UnsupportedMediaType"
        case .other(let text): text
        }
    }
}
