import FakeKubeAPI
import Foundation
import KubeAPI
import Testing

/// A kubeconfig `tokenFile` end to end, as projected service-account tokens rotate: the fake API
/// server behind nginx's TLS front (client certificates optional, as kube-apiserver asks for them)
/// stands in for kube-apiserver; the fake checks the bearer token.
@Suite("Client authentication: a rotating token file through a TLS front")
struct ClientAuthTokenFileTests {
    typealias Cluster = ClientAuthTests.Cluster

    /// Two tokens of the same length, so a rewrite in place keeps the file's size.
    static let one = "token-one-5c1f0d"
    static let two = "token-two-8e3b2a"

    /// A kubeconfig whose user reads `./token` beside it, which holds `token`; its client.
    static func client(_ cluster: Cluster, token: String) throws -> (client: KubeClient, tokenPath: String) {
        let tokenPath = try cluster.folder.write("token", token + "\n")
        let path = try cluster.writeKubeconfig(
            cluster: ["certificate-authority-data: \(ClientAuthTests.base64(cluster.certificates.caPEM))"], user: ["tokenFile: ./token"])
        return (try cluster.client(path), tokenPath)
    }

    /// Rewrites the token file in place (same inode; the same size, as the tokens have) and puts
    /// its modification time back to `modified`: a change only reading the file shows.
    static func rewriteUnseen(_ path: String, _ token: String, modified: Date) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data((token + "\n").utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
    }

    /// The current time in whole seconds, as a filesystem with coarse timestamps records writes.
    static var wholeSecond: Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    @Test("a token rotated where the file's size, inode and time cannot show it: 401, the client re-reads the file and succeeds")
    func rotationBehindTheStamp() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            try cluster.createConfigMap("settings")
            cluster.fake.requireToken(Self.one)
            let (client, tokenPath) = try Self.client(cluster, token: Self.one)
            defer { client.shutdown() }
            let written = Self.wholeSecond
            try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: tokenPath)
            #expect(try await client.get(.configMaps, name: "settings").name == "settings")

            // The server rotates; the file is rewritten in place with a token of the same size and
            // the same modification time. Only the server's 401 tells the client.
            cluster.fake.requireToken(Self.two)
            try Self.rewriteUnseen(tokenPath, Self.two, modified: written)

            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(cluster.fake.requests.map(\.bearerToken) == [Self.one, Self.one, Self.two])
            let log = await cluster.front.accessLog(count: 3)
            #expect(log.map(\.status) == [200, 401, 200])
            #expect(log.allSatisfy { $0.clientVerify == "NONE" }, "\(log)")
            cluster.expectNoSecrets(in: ClientAuthTests.descriptions(of: client), tokens: [Self.one, Self.two])
        }
    }

    @Test("a watch opened after a rotation the file's stamp cannot show gets 401, re-reads the token file and streams")
    func watchAfterRotation() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            cluster.fake.requireToken(Self.one)
            let (client, tokenPath) = try Self.client(cluster, token: Self.one)
            defer { client.shutdown() }
            let written = Self.wholeSecond
            try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: tokenPath)
            let list = try await client.list(.configMaps)

            cluster.fake.requireToken(Self.two)
            try Self.rewriteUnseen(tokenPath, Self.two, modified: written)
            let stream = try await client.watch(.configMaps, resourceVersion: list.resourceVersion, timeoutSeconds: 30)
            defer { stream.cancel() }
            let watchdog = Task {
                try await Task.sleep(for: .seconds(10))
                stream.cancel()
            }
            defer { watchdog.cancel() }
            try cluster.createConfigMap("later")
            var events = stream.makeAsyncIterator()
            let event = try await events.next()
            #expect(event?.kind == .added)
            #expect(event?.object.name == "later")

            let requests = cluster.fake.requests
            #expect(requests.map(\.bearerToken) == [Self.one, Self.one, Self.two])
            #expect(requests.map(\.isWatch) == [false, true, true])
            #expect(await cluster.front.accessLog(count: 2).map(\.status).prefix(2) == [200, 401])
        }
    }

    @Test("a token file replaced by a new file (as kubelet swaps projected tokens) is read before the next request, with no 401")
    func rotationSeenByStamp() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            try cluster.createConfigMap("settings")
            cluster.fake.requireToken(Self.one)
            let (client, tokenPath) = try Self.client(cluster, token: Self.one)
            defer { client.shutdown() }
            #expect(try await client.get(.configMaps, name: "settings").name == "settings")

            cluster.fake.requireToken(Self.two)
            try Data((Self.two + "\n").utf8).write(to: URL(fileURLWithPath: tokenPath), options: .atomic)
            #expect(try await client.list(.configMaps).items.count == 1)
            #expect(cluster.fake.requests.map(\.bearerToken) == [Self.one, Self.two])
            #expect(await cluster.front.accessLog(count: 2).map(\.status) == [200, 200])
        }
    }

    @Test("in a pod: the service account's CA, token and namespace reach the server, and a hidden token rotation recovers on 401")
    func inClusterServiceAccount() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            let root = cluster.folder.file("serviceaccount")
            try cluster.folder.write("serviceaccount/ca.crt", String(decoding: cluster.certificates.caPEM, as: UTF8.self))
            try cluster.folder.write("serviceaccount/namespace", "tack-system")
            let tokenPath = try cluster.folder.write("serviceaccount/token", Self.one + "\n")
            let written = Self.wholeSecond
            try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: tokenPath)
            cluster.fake.requireToken(Self.one)
            let connection = try InClusterConfig.connection(
                environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(cluster.front.port)], root: root)
            #expect(connection.server == cluster.server)
            let client = try KubeClient(connection: connection, options: KubeClientOptions(maxRetries: 0, requestTimeout: .seconds(10)))
            defer { client.shutdown() }
            #expect(try await client.list(.configMaps).items.isEmpty)

            cluster.fake.requireToken(Self.two)
            try Self.rewriteUnseen(tokenPath, Self.two, modified: written)
            #expect(try await client.list(.configMaps).items.isEmpty)
            #expect(cluster.fake.requests.map(\.path) == Array(repeating: "/api/v1/namespaces/tack-system/configmaps", count: 3))
            #expect(cluster.fake.requests.map(\.bearerToken) == [Self.one, Self.one, Self.two])
            cluster.expectNoSecrets(in: ClientAuthTests.descriptions(of: client), tokens: [Self.one, Self.two])
        }
    }

    @Test("a token the server no longer accepts and the file still holds: one re-read, then 401 Unauthorized without the token")
    func staleToken() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            cluster.fake.requireToken(Self.two)
            let (client, _) = try Self.client(cluster, token: Self.one)
            defer { client.shutdown() }
            let error = await kubeErrorAsync { try await client.get(.configMaps, name: "settings") }
            #expect(error?.reason == .unauthorized)
            #expect(error?.description == "GET /api/v1/namespaces/default/configmaps/settings answered 401 Unauthorized: Unauthorized")
            #expect(cluster.fake.requests.map(\.bearerToken) == [Self.one, Self.one])
            cluster.expectNoSecrets(in: [error?.description ?? ""] + ClientAuthTests.descriptions(of: client), tokens: [Self.one, Self.two])
        }
    }
}
