import TackYAML

/// A decoded kubeconfig user: a token, a token file, a client certificate or an exec plugin.
struct KubeconfigUser: Sendable {
    /// `token`; wins over `tokenFile`.
    var token: String?
    /// `tokenFile`, resolved against the kubeconfig's directory and checked to be readable.
    var tokenFile: String?
    /// The client certificate and key, from their `-data` fields or files.
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
    /// The exec plugin, without cluster information yet.
    var exec: ExecPluginConfiguration?
    /// Whether the exec plugin wants `spec.cluster`.
    var provideClusterInfo: Bool
    /// The directory of the kubeconfig that defines the user, where relative commands resolve.
    var directory: String

    static let keys = [
        "token", "tokenFile", "client-certificate", "client-certificate-data", "client-key", "client-key-data",
        "exec", "extensions",
    ]
    static let refused: [String: String] = {
        let basic = "basic authentication (username/password) is not supported; use a token, a client certificate or an exec plugin"
        let impersonation = "impersonation (as, as-uid, as-groups, as-user-extra) is not supported; give the user its own credentials"
        return [
            "username": basic, "password": basic,
            "auth-provider": "auth-provider was removed from client-go (Kubernetes 1.26); use an exec plugin instead "
                + "(gke-gcloud-auth-plugin for GKE, kubelogin for AKS, aws eks get-token for EKS)",
            "as": impersonation, "as-uid": impersonation, "as-groups": impersonation, "as-user-extra": impersonation,
        ]
    }()

    /// Decodes `entry`, reading its certificate files; every problem is thrown with its place.
    static func decode(_ entry: KubeconfigEntry) throws(KubeError) -> KubeconfigUser {
        let reader = KubeconfigReader(path: entry.file)
        let decoded = decode(entry, reader: reader)
        try reader.check()
        guard let decoded else { throw .configuration("\(entry.file): \(entry.what) could not be read") }
        return decoded
    }

    private static func decode(_ entry: KubeconfigEntry, reader: KubeconfigReader) -> KubeconfigUser? {
        let what = entry.what
        if let pairs = entry.body.mapping {
            // Remember every secret first, so no message below (nor a refusal) can carry one.
            for pair in pairs where ["token", "password", "client-certificate-data", "client-key-data"].contains(pair.key.scalar?.value ?? "") {
                reader.remember(pair.value)
            }
        }
        guard let body = reader.mapping(entry.body, what: what, keys: keys, refusing: refused) else { return nil }
        let token = reader.secret(body, "token", what: what)
        var tokenFile: String?
        if token == nil, let node = body["tokenFile"], let written = reader.yaml.string(node, what: "tokenFile of \(what)") {
            let file = reader.resolve(written)
            if reader.readFile(file, at: node, what: "tokenFile of \(what)") != nil { tokenFile = file }
        }
        let certificate = body.has("client-certificate-data")
            ? reader.pemData(body, "client-certificate-data", what: what)
            : reader.pemFile(body, "client-certificate", what: what)
        let key = body.has("client-key-data")
            ? reader.pemData(body, "client-key-data", what: what)
            : reader.pemFile(body, "client-key", what: what)
        let hasCertificate = body.has("client-certificate-data") || body.has("client-certificate")
        let hasKey = body.has("client-key-data") || body.has("client-key")
        if hasCertificate != hasKey {
            let missing = hasCertificate ? "client-key (or client-key-data)" : "client-certificate (or client-certificate-data)"
            reader.error("\(what) has half a client certificate: add \(missing)", at: entry.body)
        }
        var exec: ExecPluginConfiguration?
        var provideClusterInfo = false
        if let node = body["exec"], let decoded = decodeExec(node, entry: entry, reader: reader) {
            (exec, provideClusterInfo) = decoded
        }
        return KubeconfigUser(
            token: token, tokenFile: tokenFile, clientCertificatePEM: certificate, clientKeyPEM: key,
            exec: exec, provideClusterInfo: provideClusterInfo, directory: reader.directory)
    }
}
