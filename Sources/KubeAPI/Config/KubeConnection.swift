import TackHTTP

/// Everything needed to talk to one cluster: where it is, how to trust it, who we are, and the
/// default namespace. Made from a kubeconfig context or the in-cluster service account.
public struct KubeConnection: Sendable {
    /// The API server's base URL, such as `https://10.0.0.1:6443`.
    public var server: String
    /// CA, server name, skip-verify, and a static client certificate from the kubeconfig.
    public var tls: TLSConfiguration
    /// An HTTP(S) or SOCKS5 proxy for every request, from the cluster's `proxy-url`.
    public var proxyURL: String?
    /// The namespace of the context, or `default`.
    public var namespace: String
    /// The credentials, asked before each request.
    public var credentials: any CredentialSource
    /// Where the settings came from, for messages: `context "prod" of /home/me/.kube/config`.
    public var origin: String

    /// A connection.
    public init(
        server: String, tls: TLSConfiguration = TLSConfiguration(), proxyURL: String? = nil, namespace: String = "default",
        credentials: any CredentialSource = FixedCredential(.none), origin: String
    ) {
        self.server = server
        self.tls = tls
        self.proxyURL = proxyURL
        self.namespace = namespace
        self.credentials = credentials
        self.origin = origin
    }
}

extension KubeConnection: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The server, namespace and origin; TLS as sizes only, and a proxy without its userinfo.
    public var description: String {
        let proxy = proxyURL.map { url -> String in
            guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
            return String(url[..<scheme.upperBound]) + "<redacted>@" + String(url[url.index(after: at)...])
        }
        return "KubeConnection(server: \(server), namespace: \(namespace), proxy: \(proxy ?? "none"), tls: \(tls), origin: \(origin))"
    }

    public var debugDescription: String { description }

    /// Hides credentials from `dump` and mirrors.
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description])
    }
}
