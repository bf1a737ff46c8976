import Foundation
import KubeAPI
import Testing

@Suite("In-cluster config")
struct InClusterConfigTests {
    static let ca = "-----BEGIN CERTIFICATE-----\nMIIBcluster\n-----END CERTIFICATE-----\n"

    private func serviceAccount(namespace: String? = "rollouts") throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        try root.write("token", "pod-token-1\n")
        try root.write("ca.crt", Self.ca)
        if let namespace { try root.write("namespace", namespace) }
        return root
    }

    @Test("the service host, port, CA and namespace make the connection; the token file is re-read as it rotates")
    func inCluster() async throws {
        let root = try serviceAccount()
        let made = try InClusterConfig.connection(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"], root: root.path)
        #expect(made.server == "https://10.96.0.1:443")
        #expect(made.tls.caPEM == Array(Self.ca.utf8))
        #expect(made.namespace == "rollouts")
        #expect(made.credentials is TokenFileCredential)
        #expect(try await bearerToken(made) == "pod-token-1")
        try root.write("token", "pod-token-2-rotated\n")
        #expect(try await bearerToken(made) == "pod-token-2-rotated")
    }

    @Test("an IPv6 service host is bracketed, and a missing namespace file means default")
    func ipv6AndDefaultNamespace() throws {
        let root = try serviceAccount(namespace: nil)
        let made = try InClusterConfig.connection(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00:10:96::1", "KUBERNETES_SERVICE_PORT": "6443"], root: root.path)
        #expect(made.server == "https://[fd00:10:96::1]:6443")
        #expect(made.namespace == "default")
    }

    @Test("outside a pod, or without a mounted token, the error says so")
    func notInCluster() throws {
        let root = try serviceAccount()
        let outside = kubeError { try InClusterConfig.connection(environment: [:], root: root.path) }
        #expect(outside?.description.contains("not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set") == true)
        try FileManager.default.removeItem(atPath: root.file("token"))
        let noToken = kubeError {
            try InClusterConfig.connection(environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"], root: root.path)
        }
        #expect(noToken?.description.contains("the service account token \(root.file("token")) does not exist") == true)
    }
}
