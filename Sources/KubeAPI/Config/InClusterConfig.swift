import Foundation
import TackHTTP

/// The connection of a pod's service account, as client-go's `InClusterConfig` makes it: the API
/// server from `KUBERNETES_SERVICE_HOST`/`_PORT`, the CA, token and namespace from the mounted secret.
public enum InClusterConfig {
    /// Where Kubernetes mounts the service account's token, CA and namespace.
    public static let defaultRoot = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The in-cluster connection. The token is re-read as it rotates (a `TokenFileCredential`);
    /// the namespace is `default` when the namespace file is absent. Outside a pod, a clear error.
    public static func connection(
        environment: [String: String] = ProcessInfo.processInfo.environment, root: String = defaultRoot
    ) throws(KubeError) -> KubeConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw .configuration("not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
                + "are not set; use a kubeconfig instead")
        }
        guard let number = Int(port), (1...65535).contains(number) else {
            throw .configuration("in-cluster: KUBERNETES_SERVICE_PORT is not a port number")
        }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:%".contains($0) }) else {
            throw .configuration("in-cluster: KUBERNETES_SERVICE_HOST is not a host name or IP address")
        }
        let tokenPath = (root as NSString).appendingPathComponent("token")
        let caPath = (root as NSString).appendingPathComponent("ca.crt")
        let namespacePath = (root as NSString).appendingPathComponent("namespace")
        // Checked now, as client-go does, so a pod without a mounted token fails at start.
        if case .failure(let problem) = KubeconfigReader.read(tokenPath, limit: 1 << 20) {
            throw .configuration("in-cluster: the service account token \(tokenPath) \(problem.reason) (is automountServiceAccountToken off?)")
        }
        let caPEM: [UInt8]
        switch KubeconfigReader.read(caPath, limit: 1 << 20) {
        case .success(let bytes) where bytes.containsPEMBlock: caPEM = bytes
        case .success: throw .configuration("in-cluster: \(caPath) holds no PEM certificate")
        case .failure(let problem): throw .configuration("in-cluster: the cluster CA \(caPath) \(problem.reason)")
        }
        var namespace = "default"
        if case .success(let bytes) = KubeconfigReader.read(namespacePath, limit: 4096) {
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty {
                guard text.isDNSLabel else { throw .configuration("in-cluster: \(namespacePath) does not hold a namespace name") }
                namespace = text
            }
        }
        // IPv6 addresses are bracketed, as Go's JoinHostPort does.
        let authority = host.contains(":") ? "[\(host)]:\(number)" : "\(host):\(number)"
        return KubeConnection(
            server: "https://\(authority)", tls: TLSConfiguration(caPEM: caPEM), namespace: namespace,
            credentials: TokenFileCredential(path: tokenPath), origin: "the in-cluster service account (\(root))")
    }
}
