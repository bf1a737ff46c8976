import FakeKubeAPI
import Foundation
import KubeAPI
import TestSupport
import Testing

/// What a user sees when authentication fails end to end (fake API server behind nginx's TLS front
/// standing in for kube-apiserver): every error and every printed connection or client names the
/// request, file or plugin, never a token or a piece of a client key.
@Suite("Client authentication: no secret in errors or descriptions")
struct ClientAuthSecretTests {
    typealias Cluster = ClientAuthTests.Cluster

    static let refused = "refused-token-0b6e2f"

    @Test("the scan these tests rely on finds a token, a line of a client key's PEM and a stretch of its base64")
    func scanFindsLeaks() async throws {
        let certificates = try await TestCertificates.shared()
        let keyLines = String(decoding: certificates.clientKeyPEM, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("-----") }
        let kubeconfigData = ClientAuthTests.base64(certificates.execClientKeyPEM)
        #expect(certificates.keyMarkers.count >= 9)
        let leaked = ["Authorization: Bearer \(Self.refused)", "key: …\(keyLines[1])…", "client-key-data: \(kubeconfigData)"]
        for text in leaked {
            #expect(ClientAuthTests.leaks(in: [text], tokens: [Self.refused], certificates: certificates) == [text])
        }
        let clean = "GET /api/v1/namespaces/default/configmaps answered 401 Unauthorized: Unauthorized"
        #expect(ClientAuthTests.leaks(in: [clean], tokens: [Self.refused], certificates: certificates).isEmpty)
    }

    @Test("an exec plugin whose token the server refuses: one re-run, then 401, and neither message nor client shows the token")
    func refusedExecToken() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            cluster.fake.requireToken("some-other-token")
            let (client, plugin) = try ClientAuthExecPluginTests.setUp(cluster, token: Self.refused)
            defer { client.shutdown() }
            let error = await kubeErrorAsync { try await client.list(.configMaps) }
            #expect(error?.reason == .unauthorized)
            #expect(plugin.runs == 2)
            #expect(cluster.fake.requests.map(\.bearerToken) == [Self.refused, Self.refused])
            cluster.expectNoSecrets(in: [error?.description ?? ""] + ClientAuthTests.descriptions(of: client), tokens: [Self.refused])
        }
    }

    @Test("an exec plugin that fails after printing a token: a credentials error with its stderr line, without the token")
    func failingPlugin() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            let (client, plugin) = try ClientAuthExecPluginTests.setUp(cluster, token: Self.refused)
            defer { client.shutdown() }
            try plugin.write("fail", "")
            let error = await kubeErrorAsync { try await client.get(.configMaps, name: "settings") }
            guard case .credentials(let message)? = error else {
                Issue.record("expected a credentials error, got \(String(describing: error))")
                return
            }
            #expect(message.contains("exited with status 3: error: the identity provider refused the login"), "\(message)")
            #expect(cluster.fake.requests.isEmpty)
            cluster.expectNoSecrets(in: [error?.description ?? ""] + ClientAuthTests.descriptions(of: client), tokens: [Self.refused])
        }
    }

    @Test("a client key given where the certificate belongs is refused when the client is made, without the key's bytes")
    func keyInTheCertificateField() async throws {
        try await Cluster.with { cluster in
            let key = ClientAuthTests.base64(cluster.certificates.clientKeyPEM)
            let path = try cluster.writeKubeconfig(
                cluster: ["certificate-authority-data: \(ClientAuthTests.base64(cluster.certificates.caPEM))"],
                user: ["client-certificate-data: \(key)", "client-key-data: \(key)"])
            let connection = try cluster.connection(path)
            let error = kubeError { try KubeClient(connection: connection) }
            guard case .configuration(let message)? = error else {
                Issue.record("expected a configuration error, got \(String(describing: error))")
                return
            }
            #expect(message.contains("the client certificate is not a PEM certificate"), "\(message)")
            #expect(message.contains(path), "\(message)")
            var dumped = ""
            dump(connection, to: &dumped)
            cluster.expectNoSecrets(in: [error?.description ?? "", String(describing: connection), String(reflecting: connection), dumped])
        }
    }

    @Test("every client of these flows prints without a token or key: static certificate, token file, exec token and exec certificate")
    func descriptionsAfterUse() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            try cluster.createConfigMap("settings")
            let certificates = cluster.certificates
            let token = "described-token-73ac19"
            cluster.fake.requireToken(where: { $0 == token })
            let caData = "certificate-authority-data: \(ClientAuthTests.base64(certificates.caPEM))"
            try cluster.folder.write("token", token)
            let staticCertificate = try cluster.client(cluster.writeKubeconfig("static", cluster: [caData], user: [
                "client-certificate-data: \(ClientAuthTests.base64(certificates.clientCertificatePEM))",
                "client-key-data: \(ClientAuthTests.base64(certificates.clientKeyPEM))",
                "token: \(token)",
            ]))
            let tokenFile = try cluster.client(cluster.writeKubeconfig("token-file", cluster: [caData], user: ["tokenFile: token"]))
            let (execToken, _) = try ClientAuthExecPluginTests.setUp(cluster, token: token)
            let clients = [staticCertificate, tokenFile, execToken]
            defer { clients.forEach { $0.shutdown() } }

            for client in clients {
                #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            }
            // The exec plugin now hands out a certificate; the next call after an invalidation fetches it.
            let execPlugin = try #require(execToken.connection.credentials as? ExecCredentialPlugin)
            let pluginState = ClientAuthExecPluginTests.Plugin(directory: cluster.folder.file("plugin-state"))
            try pluginState.write("certificate.pem", String(decoding: certificates.execClientCertificatePEM, as: UTF8.self))
            try pluginState.write("key.pem", String(decoding: certificates.execClientKeyPEM, as: UTF8.self))
            await execPlugin.invalidate()
            cluster.fake.requireToken(nil)
            #expect(try await execToken.get(.configMaps, name: "settings").name == "settings")
            #expect(await cluster.front.accessLog(count: 4).last?.clientSubject == "CN=tack-exec-client")

            for client in clients {
                cluster.expectNoSecrets(in: ClientAuthTests.descriptions(of: client), tokens: [token])
            }
        }
    }
}
