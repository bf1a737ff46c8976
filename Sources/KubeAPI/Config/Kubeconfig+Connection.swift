import Foundation
import TackHTTP
import TackYAML

extension Kubeconfig {
    /// The connection of context `name` (nil: `current-context`): its cluster's server, TLS and
    /// proxy, its user's credentials and its namespace. `environment` is what exec plugins inherit.
    public func connection(context name: String? = nil, environment: [String: String]) throws(KubeError) -> KubeConnection {
        let contextEntry = try contextEntry(named: name)
        let context = try KubeconfigContext.decode(contextEntry)
        guard let clusterEntry = clusters[context.cluster] else {
            throw missing("cluster", context.cluster, in: clusters, at: context.clusterNode, of: contextEntry)
        }
        let cluster = try KubeconfigCluster.decode(clusterEntry)
        var user: KubeconfigUser?
        if let userName = context.user, let userNode = context.userNode {
            guard let userEntry = users[userName] else { throw missing("user", userName, in: users, at: userNode, of: contextEntry) }
            user = try KubeconfigUser.decode(userEntry)
        }
        let tls = TLSConfiguration(
            caPEM: cluster.caPEM, clientCertificatePEM: user?.clientCertificatePEM, clientKeyPEM: user?.clientKeyPEM,
            serverName: cluster.tlsServerName, insecureSkipVerify: cluster.insecureSkipTLSVerify)
        return KubeConnection(
            server: cluster.server, tls: tls, proxyURL: cluster.proxyURL, namespace: context.namespace ?? "default",
            credentials: credentials(user, cluster: cluster, environment: environment),
            origin: "\(contextEntry.what) of \(contextEntry.file)")
    }

    /// The context entry asked for, or the current one; not found names the files and the contexts there are.
    private func contextEntry(named name: String?) throws(KubeError) -> KubeconfigEntry {
        let contextList = contextNames.isEmpty ? "there are no contexts" : "contexts: \(contextNames.listed())"
        guard let chosen = name ?? currentContext else {
            throw .configuration("no context was chosen and current-context is not set in \(filesListed); \(contextList)")
        }
        if let entry = contexts[chosen] { return entry }
        var message = "context \(chosen.quoted) not found in \(filesListed); \(contextList)"
        if let suggestion = Suggestion.closest(to: chosen, in: contextNames) { message += " (did you mean \"\(suggestion)\"?)" }
        if name == nil { message += "; it is the current-context" }
        throw .configuration(message)
    }

    /// The error for a context naming a cluster or user that no file defines.
    private func missing(
        _ kind: String, _ name: String, in entries: [String: KubeconfigEntry], at node: YAMLNode, of context: KubeconfigEntry
    ) -> KubeError {
        let names = entries.keys.sorted()
        var message = "\(context.file):\(node.mark): \(context.what) uses \(kind) \(name.quoted), which is not defined in \(filesListed); "
            + (names.isEmpty ? "there are no \(kind)s" : "\(kind)s: \(names.listed())")
        if let suggestion = Suggestion.closest(to: name, in: names) { message += " (did you mean \"\(suggestion)\"?)" }
        return .configuration(message)
    }

    /// The user's credential source. As in client-go, a token or a static client certificate makes
    /// an exec plugin unused; `token` wins over `tokenFile`.
    private func credentials(
        _ user: KubeconfigUser?, cluster: KubeconfigCluster, environment: [String: String]
    ) -> any CredentialSource {
        guard let user else { return FixedCredential(.none) }
        if let token = user.token { return FixedCredential(.bearerToken(token)) }
        if let file = user.tokenFile { return TokenFileCredential(path: file) }
        if user.clientCertificatePEM != nil { return FixedCredential(.none) }
        guard var exec = user.exec else { return FixedCredential(.none) }
        if user.provideClusterInfo { exec.cluster = Self.clusterInfo(cluster) }
        return ExecCredentialPlugin(exec, directory: user.directory, environment: environment)
    }

    /// `spec.cluster` for an exec plugin, as client-go fills it (empty fields left out).
    static func clusterInfo(_ cluster: KubeconfigCluster) -> JSONValue {
        var info: JSONValue = ["server": .string(cluster.server)]
        if let name = cluster.tlsServerName { info["tls-server-name"] = .string(name) }
        if cluster.insecureSkipTLSVerify { info["insecure-skip-tls-verify"] = true }
        if let ca = cluster.caPEM { info["certificate-authority-data"] = .string(Data(ca).base64EncodedString()) }
        if let proxy = cluster.writtenProxyURL { info["proxy-url"] = .string(proxy) }
        if cluster.disableCompression { info["disable-compression"] = true }
        if let config = cluster.execExtension { info["config"] = config }
        return info
    }
}
