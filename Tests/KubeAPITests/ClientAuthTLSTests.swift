import FakeKubeAPI
import Foundation
import KubeAPI
import TackHTTP
import TestSupport
import Testing

/// A kubeconfig's TLS settings end to end: the fake API server behind a real nginx TLS front (which
/// requires a client certificate the test CA signed) stands in for kube-apiserver's TLS listener.
@Suite("Client authentication: TLS and client certificates through a TLS front")
struct ClientAuthTLSTests {
    typealias Cluster = ClientAuthTests.Cluster

    /// The `certificate-authority-data` line trusting the test CA.
    static func caData(_ cluster: Cluster) -> String {
        "certificate-authority-data: \(ClientAuthTests.base64(cluster.certificates.caPEM))"
    }

    /// The user lines of the static client certificate `tack-client`, as data.
    static func clientCertificateData(_ cluster: Cluster) -> [String] {
        [
            "client-certificate-data: \(ClientAuthTests.base64(cluster.certificates.clientCertificatePEM))",
            "client-key-data: \(ClientAuthTests.base64(cluster.certificates.clientKeyPEM))",
        ]
    }

    @Test("a kubeconfig with certificate-authority-data and client-certificate-data/client-key-data gets and lists through the TLS front")
    func clientCertificateData() async throws {
        try await Cluster.with { cluster in
            try cluster.createConfigMap("settings")
            try cluster.createConfigMap("other")
            let path = try cluster.writeKubeconfig(cluster: [Self.caData(cluster)], user: Self.clientCertificateData(cluster))
            let client = try cluster.client(path)
            defer { client.shutdown() }

            let object = try await client.get(.configMaps, name: "settings")
            #expect(object[path: ["data", "greeting"]] == "hello")
            let list = try await client.list(.configMaps)
            #expect(list.items.compactMap(\.name).sorted() == ["other", "settings"])

            // nginx checked the certificate; the fake saw the requests, which carried no token.
            let log = await cluster.front.accessLog(count: 2)
            #expect(log.map(\.status) == [200, 200])
            #expect(log.allSatisfy { $0.clientVerify == "SUCCESS" && $0.clientSubject == "CN=tack-client" }, "\(log)")
            let paths = cluster.fake.requests.map(\.path)
            #expect(paths == ["/api/v1/namespaces/default/configmaps/settings", "/api/v1/namespaces/default/configmaps"])
            #expect(cluster.fake.requests.allSatisfy { !$0.hasAuthorization })
            cluster.expectNoSecrets(in: ClientAuthTests.descriptions(of: client))
        }
    }

    @Test("client keys in PKCS#1 (RSA PRIVATE KEY, as kubeadm and kind write) and SEC1 (EC PRIVATE KEY) form authenticate too")
    func olderKeyForms() async throws {
        try await Cluster.with { cluster in
            try cluster.createConfigMap("settings")
            let certificates = cluster.certificates
            let pairs = [
                ("rsa", certificates.rsaClientCertificatePEM, certificates.rsaClientKeyPEM, "CN=tack-rsa-client"),
                ("ec", certificates.ecClientCertificatePEM, certificates.ecClientKeyPEM, "CN=tack-ec-client"),
            ]
            for (index, (name, certificate, key, subject)) in pairs.enumerated() {
                let path = try cluster.writeKubeconfig(name, cluster: [Self.caData(cluster)], user: [
                    "client-certificate-data: \(ClientAuthTests.base64(certificate))",
                    "client-key-data: \(ClientAuthTests.base64(key))",
                ])
                let client = try cluster.client(path)
                defer { client.shutdown() }
                #expect(try await client.get(.configMaps, name: "settings").name == "settings", "\(name)")
                #expect(await cluster.front.accessLog(count: index + 1).last?.clientSubject == subject)
            }
        }
    }

    @Test("without a client certificate the TLS front refuses: a 400 Status error from nginx that names no key")
    func missingClientCertificate() async throws {
        try await Cluster.with { cluster in
            try cluster.createConfigMap("settings")
            // The client certificate sits in another user the context does not use.
            let path = try cluster.writeKubeconfig(cluster: [Self.caData(cluster)], user: nil)
            let client = try cluster.client(path)
            defer { client.shutdown() }

            let error = await kubeErrorAsync { try await client.get(.configMaps, name: "settings") }
            // nginx finishes the handshake and answers 400 "No required SSL certificate was sent"
            // (an HTML page, not a Status), which the client types as BadRequest.
            guard case .status(let status)? = error else {
                Issue.record("expected a Status error, got \(String(describing: error))")
                return
            }
            #expect(status.code == 400)
            #expect(status.reason == .badRequest)
            #expect(status.request == "GET /api/v1/namespaces/default/configmaps/settings")
            #expect(error?.description == "GET /api/v1/namespaces/default/configmaps/settings answered 400 BadRequest: HTTP 400")
            #expect(await cluster.front.accessLog(count: 1).map(\.status) == [400])
            #expect(cluster.fake.requests.isEmpty)
            cluster.expectNoSecrets(in: [error?.description ?? ""] + ClientAuthTests.descriptions(of: client))
        }
    }

    @Test("a client certificate another CA signed is refused by the TLS front with 400")
    func untrustedClientCertificate() async throws {
        try await Cluster.with { cluster in
            let certificates = cluster.certificates
            let path = try cluster.writeKubeconfig(cluster: [Self.caData(cluster)], user: [
                "client-certificate-data: \(ClientAuthTests.base64(certificates.strangerCertificatePEM))",
                "client-key-data: \(ClientAuthTests.base64(certificates.strangerKeyPEM))",
            ])
            let client = try cluster.client(path)
            defer { client.shutdown() }

            let error = await kubeErrorAsync { try await client.list(.configMaps) }
            // nginx takes any certificate in the handshake and answers 400 "The SSL certificate error".
            guard case .status(let status)? = error else {
                Issue.record("expected a Status error, got \(String(describing: error))")
                return
            }
            #expect(status.code == 400)
            let log = await cluster.front.accessLog(count: 1)
            #expect(log.map(\.status) == [400])
            #expect(log.first?.clientVerify.hasPrefix("FAILED") == true, "\(log)")
            #expect(cluster.fake.requests.isEmpty)
            cluster.expectNoSecrets(in: [error?.description ?? ""] + ClientAuthTests.descriptions(of: client))
        }
    }

    @Test("a CA that did not sign the server's certificate fails TLS verification as KubeError.transport of kind .tls")
    func untrustedServer() async throws {
        try await Cluster.with { cluster in
            let path = try cluster.writeKubeconfig(
                cluster: ["certificate-authority-data: \(ClientAuthTests.base64(cluster.certificates.otherCAPEM))"],
                user: Self.clientCertificateData(cluster))
            let client = try cluster.client(path)
            defer { client.shutdown() }

            let error = await kubeErrorAsync { try await client.get(.configMaps, name: "settings") }
            guard case .transport(let transport)? = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(transport.kind == .tls)
            #expect(transport.attempts == 1)
            #expect(transport.host == "127.0.0.1:\(cluster.front.port)")
            #expect(await cluster.front.accessLog(count: 0).isEmpty)
            #expect(cluster.fake.requests.isEmpty)
            cluster.expectNoSecrets(in: [error?.description ?? ""] + ClientAuthTests.descriptions(of: client))
        }
    }

    @Test("certificate-authority (a bundle), client-certificate and client-key paths resolve against the kubeconfig's directory")
    func relativePaths() async throws {
        try await Cluster.with { cluster in
            try cluster.createConfigMap("settings")
            let certificates = cluster.certificates
            // A bundle whose first CA signed nothing here: the second one must be found.
            try cluster.folder.write("kube/pki/ca.crt", String(decoding: certificates.otherCAPEM + certificates.caPEM, as: UTF8.self))
            try cluster.folder.write("kube/pki/client.crt", String(decoding: certificates.clientCertificatePEM, as: UTF8.self))
            try cluster.folder.write("keys/client.key", String(decoding: certificates.clientKeyPEM, as: UTF8.self))
            let path = try cluster.writeKubeconfig(
                "kube/config", cluster: ["certificate-authority: pki/ca.crt"],
                user: ["client-certificate: ./pki/client.crt", "client-key: ../keys/client.key"])
            // The working directory is not the kubeconfig's: only resolving against the file finds them.
            #expect(FileManager.default.currentDirectoryPath != (path as NSString).deletingLastPathComponent)
            #expect(!FileManager.default.fileExists(atPath: "pki/ca.crt"))

            let client = try cluster.client(path)
            defer { client.shutdown() }
            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(await cluster.front.accessLog(count: 1).map(\.clientSubject) == ["CN=tack-client"])
        }
    }

    @Test("tls-server-name: kube.test verifies a certificate valid only for kube.test while the URL says 127.0.0.1")
    func tlsServerName() async throws {
        try await Cluster.with(serverCertificate: .named) { cluster in
            try cluster.createConfigMap("settings")
            let caData = Self.caData(cluster)
            let user = Self.clientCertificateData(cluster)
            #expect(cluster.server.hasPrefix("https://127.0.0.1:"))

            // Without the name, the certificate does not match the URL's host.
            let plain = try cluster.client(cluster.writeKubeconfig("plain", cluster: [caData], user: user))
            defer { plain.shutdown() }
            let mismatch = await kubeErrorAsync { try await plain.get(.configMaps, name: "settings") }
            if case .transport(let transport)? = mismatch {
                #expect(transport.kind == .tls)
            } else {
                Issue.record("expected a TLS failure, got \(String(describing: mismatch))")
            }

            let named = try cluster.client(cluster.writeKubeconfig(
                "named", cluster: [caData, "tls-server-name: \(TestCertificates.namedServerName)"], user: user))
            defer { named.shutdown() }
            #expect(try await named.get(.configMaps, name: "settings").name == "settings")
            #expect(await cluster.front.accessLog(count: 1).map(\.status) == [200])
            #expect(cluster.fake.requests.count == 1)
            cluster.expectNoSecrets(in: [mismatch?.description ?? ""] + ClientAuthTests.descriptions(of: named))
        }
    }

    @Test("a watch streams events through the TLS front as they happen (nginx does not buffer them)")
    func watchThroughFront() async throws {
        try await Cluster.with { cluster in
            let path = try cluster.writeKubeconfig(cluster: [Self.caData(cluster)], user: Self.clientCertificateData(cluster))
            let client = try cluster.client(path)
            defer { client.shutdown() }
            let list = try await client.list(.configMaps)
            let stream = try await client.watch(.configMaps, resourceVersion: list.resourceVersion, timeoutSeconds: 30)
            defer { stream.cancel() }
            let watchdog = Task {
                try await Task.sleep(for: .seconds(10))
                stream.cancel()
            }
            defer { watchdog.cancel() }

            var names: [String] = []
            var events = stream.makeAsyncIterator()
            for name in ["first", "second"] {
                try cluster.createConfigMap(name)
                // Each event must arrive while the stream stays open, before the next change.
                while let event = try await events.next() {
                    if event.kind == .added, let added = event.object.name {
                        names.append(added)
                        break
                    }
                }
            }
            #expect(names == ["first", "second"])
        }
    }
}
