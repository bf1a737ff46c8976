import Foundation

/// How Tack authenticates to Prometheus: an `Authorization` header. Its description, debug
/// description and mirror never show the token or password.
public enum PrometheusCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// No `Authorization` header.
    case none
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)
    /// `Authorization: Basic <base64(username:password)>`.
    case basic(username: String, password: String)

    /// The `Authorization` header value, if any.
    var authorization: String? {
        switch self {
        case .none: nil
        case .bearer(let token): "Bearer \(token)"
        case .basic(let username, let password): "Basic \(Data("\(username):\(password)".utf8).base64EncodedString())"
        }
    }

    /// The values that must never be shown: the token, the password, and the encoded header value.
    var secrets: [String] {
        switch self {
        case .none: []
        case .bearer(let token): [token]
        case .basic(_, let password): [password, String((authorization ?? "").dropFirst("Basic ".count))]
        }
    }

    /// `text` with every secret replaced by `<redacted>`, for messages that echo what a server said.
    func redacting(_ text: String) -> String {
        secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
    }

    /// `none`, `bearer token (redacted)` or `basic auth as alice (password redacted)`.
    public var description: String {
        switch self {
        case .none: "none"
        case .bearer: "bearer token (redacted)"
        case .basic(let username, _): "basic auth as \(username) (password redacted)"
        }
    }

    public var debugDescription: String { description }

    /// A mirror without children, so `dump` and reflection show no secret.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
}
