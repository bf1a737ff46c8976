import TackCore
/// The accounts Tack may deploy to and the Prometheus servers it may query (`tack.yaml`).
public struct AccountsFile: Sendable, Hashable {
    /// Deployment targets.
    public var accounts: [Account]
    /// Metrics sources.
    public var metricsAccounts: [MetricsAccount]

    /// An accounts file.
    public init(accounts: [Account], metricsAccounts: [MetricsAccount]) {
        self.accounts = accounts
        self.metricsAccounts = metricsAccounts
    }

    /// The account with this name.
    public func account(named name: String) -> Account? {
        accounts.first { $0.name == name }
    }

    /// The metrics account with this name.
    public func metricsAccount(named name: String) -> MetricsAccount? {
        metricsAccounts.first { $0.name == name }
    }
}

/// A place Tack deploys to.
public struct Account: Sendable, Hashable {
    /// Where the replicas run.
    public enum Kind: Sendable, Hashable {
        /// On this machine, with the embedded runtime.
        case local
        /// In a Kubernetes cluster.
        case kubernetes(KubernetesAccount)

        /// The kind as written.
        public var name: String {
            switch self {
            case .local: "local"
            case .kubernetes: "kubernetes"
            }
        }
    }

    /// The account's name.
    public var name: String
    /// The label monitor stages select accounts by (e.g. aws, gcp); defaults to the name.
    public var scope: String
    /// Where the replicas run.
    public var kind: Kind

    /// An account.
    public init(name: String, scope: String, kind: Kind) {
        self.name = name
        self.scope = scope
        self.kind = kind
    }
}

/// How Tack reaches a Kubernetes cluster and splits traffic there.
public struct KubernetesAccount: Sendable, Hashable {
    /// How traffic is split between tracks.
    public enum Traffic: String, Sendable, Hashable, CaseIterable {
        /// By the ratio of ready replicas behind one Service.
        case replicas
        /// By the weights of a Gateway API HTTPRoute.
        case gatewayAPI
    }

    /// The kubeconfig file; nil means `$KUBECONFIG` or `~/.kube/config`.
    public var kubeconfig: String?
    /// The context; nil means the kubeconfig's current context.
    public var context: String?
    /// The namespace Tack's objects live in.
    public var namespace: String
    /// How traffic is split.
    public var traffic: Traffic
    /// The Gateway the HTTPRoute attaches to, with `traffic: gatewayAPI`.
    public var gateway: GatewayReference?
    /// Requests per second to the API server on average (`qps`); nil means the client's default.
    public var qps: Double?
    /// Requests sent at once before `qps` applies (`burst`); nil means the client's default.
    public var burst: Int?

    /// A Kubernetes account.
    public init(kubeconfig: String? = nil, context: String? = nil, namespace: String = "default", traffic: Traffic = .replicas,
                gateway: GatewayReference? = nil, qps: Double? = nil, burst: Int? = nil) {
        self.kubeconfig = kubeconfig
        self.context = context
        self.namespace = namespace
        self.traffic = traffic
        self.gateway = gateway
        self.qps = qps
        self.burst = burst
    }
}

/// A Gateway API Gateway by namespace and name (`gateway: NAMESPACE/NAME`).
public struct GatewayReference: Sendable, Hashable, CustomStringConvertible {
    /// The Gateway's namespace.
    public var namespace: String
    /// The Gateway's name.
    public var name: String

    /// A reference.
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// `NAMESPACE/NAME`.
    public var description: String { "\(namespace)/\(name)" }
}

/// A Prometheus server Tack queries.
public struct MetricsAccount: Sendable, Hashable {
    /// Which Prometheus.
    public enum Source: Sendable, Hashable {
        /// The embedded Prometheus of the local runtime.
        case local
        /// A Prometheus at this base URL.
        case url(String)
    }

    /// The account's name.
    public var name: String
    /// Which Prometheus.
    public var source: Source
    /// How requests authenticate.
    public var auth: MetricsAuth

    /// A metrics account.
    public init(name: String, source: Source, auth: MetricsAuth = .none) {
        self.name = name
        self.source = source
        self.auth = auth
    }
}

/// How requests to Prometheus authenticate.
public enum MetricsAuth: Sendable, Hashable {
    case none
    /// `Authorization: Bearer` with the token read from the reference.
    case bearerToken(SecretReference)
    /// HTTP basic auth with the password read from the reference.
    case basic(username: String, password: SecretReference)
}

/// Where a secret is read from at run time; the secret itself never appears in a file Tack reads.
public enum SecretReference: Sendable, Hashable, CustomStringConvertible {
    /// A file holding the secret (trailing newline ignored).
    case file(String)
    /// An environment variable holding the secret.
    case environment(String)

    /// `file PATH` or `environment variable NAME` (never the secret).
    public var description: String {
        switch self {
        case .file(let path): "file \(path)"
        case .environment(let name): "environment variable \(name)"
        }
    }
}
