import TackYAML

/// How to run a client-go exec credential plugin: a kubeconfig user's `exec` entry, plus the
/// cluster information sent to it when `provideClusterInfo` is set.
public struct ExecPluginConfiguration: Sendable {
    /// The `ExecCredential` versions Tack speaks; the plugin must answer with the one asked for.
    public enum APIVersion: String, Sendable, CaseIterable {
        case v1 = "client.authentication.k8s.io/v1"
        case v1beta1 = "client.authentication.k8s.io/v1beta1"
    }

    /// The command as written: a path (relative ones resolve against the kubeconfig's directory)
    /// or a bare name looked up in `PATH`.
    public var command: String
    /// The arguments.
    public var arguments: [String]
    /// Variables set for the plugin over the process environment, in order (a later one wins).
    public var environment: [(name: String, value: String)]
    /// The version of `ExecCredential` exchanged.
    public var apiVersion: APIVersion
    /// What to tell a user when the command is not installed.
    public var installHint: String?
    /// The `spec.cluster` object sent in `KUBERNETES_EXEC_INFO` (only with `provideClusterInfo: true`).
    public var cluster: JSONValue?
    /// The longest a run may take before the plugin is killed.
    public var timeout: Duration
    /// Where the entry was written, for messages: `user "eks" of /home/me/.kube/config`.
    public var origin: String

    /// A plugin configuration.
    public init(
        command: String, arguments: [String] = [], environment: [(name: String, value: String)] = [],
        apiVersion: APIVersion = .v1, installHint: String? = nil, cluster: JSONValue? = nil,
        timeout: Duration = .seconds(30), origin: String = ""
    ) {
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.apiVersion = apiVersion
        self.installHint = installHint
        self.cluster = cluster
        self.timeout = timeout
        self.origin = origin
    }

    /// The `KUBERNETES_EXEC_INFO` value: an `ExecCredential` with `spec.interactive: false` and,
    /// when set, `spec.cluster`.
    var execInfo: String {
        var spec: JSONValue = ["interactive": false]
        if let cluster { spec["cluster"] = cluster }
        let info: JSONValue = ["apiVersion": .string(apiVersion.rawValue), "kind": "ExecCredential", "spec": spec]
        return String(decoding: info.jsonBytes, as: UTF8.self)
    }
}

extension ExecPluginConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The command and the names of the variables set, never their values, which may be secret.
    public var description: String {
        let names = environment.map(\.name).joined(separator: ", ")
        return "exec plugin \(command.quoted(upTo: 1024)) (\(apiVersion.rawValue), env: [\(names)])"
    }

    public var debugDescription: String { description }

    /// Hides the arguments and variable values from `dump` and mirrors.
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
