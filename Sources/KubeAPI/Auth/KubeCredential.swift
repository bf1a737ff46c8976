/// What proves the client's identity on one request. Its description, debug description and
/// mirror never show the token or key.
public enum KubeCredential: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// No credential (a cluster that allows anonymous requests, or mutual TLS set in `KubeConnection.tls`).
    case none
    /// `Authorization: Bearer <token>`.
    case bearerToken(String)
    /// A client certificate and key (PEM), as exec plugins may return.
    case clientCertificate(certificatePEM: [UInt8], keyPEM: [UInt8])

    /// The kind of credential, never its bytes.
    public var description: String {
        switch self {
        case .none: "none"
        case .bearerToken: "bearer token (redacted)"
        case .clientCertificate: "client certificate (redacted)"
        }
    }

    public var debugDescription: String { description }

    /// A mirror without children, so `dump` and reflection show no secret.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
}

/// Where a connection's credentials come from: fixed, a token file re-read when it changes, an
/// exec plugin cached until expiry. Asked before every request.
public protocol CredentialSource: Sendable {
    /// The credential to send now.
    func credential() async throws(KubeError) -> KubeCredential
    /// Forgets a cached credential after the server answered 401, so the next call fetches a fresh one.
    func invalidate() async
}

/// A credential that never changes.
public struct FixedCredential: CredentialSource {
    let value: KubeCredential

    /// A source that always gives `value`.
    public init(_ value: KubeCredential) {
        self.value = value
    }

    public func credential() async throws(KubeError) -> KubeCredential { value }
    public func invalidate() async {}
}
