import FakeKubeAPI
import Foundation
import KubeAPI
import Testing

/// Forwards to another credential source and counts how often the client invalidated it.
private actor CountingCredentials: CredentialSource {
    let base: any CredentialSource
    private(set) var invalidations = 0

    init(_ base: any CredentialSource) {
        self.base = base
    }

    func credential() async throws(KubeError) -> KubeCredential {
        try await base.credential()
    }

    func invalidate() async {
        invalidations += 1
        await base.invalidate()
    }
}

/// Bearer tokens from a rotating token file, 401 handling and secrecy, against the fake API server
/// standing in for kube-apiserver, which checks the token.
@Suite("Kubernetes client: credentials against the fake API server")
struct KubeClientCredentialTests {
    /// Two tokens of the same length, so that a rewrite in place keeps the file's size.
    static let first = "sa-token-1111aaaa"
    static let second = "sa-token-2222bbbb"

    /// A modification time whole seconds long, so that setting it again gives the same stamp.
    static let written = Date(timeIntervalSince1970: 1_800_000_000)

    /// Writes a token file with the fixed modification time.
    static func writeTokenFile(_ directory: TemporaryDirectory, _ token: String) throws -> String {
        let path = try directory.write("token", token + "\n")
        try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: path)
        return path
    }

    /// Rewrites `path` in place with `token` and puts the modification time back, so that the
    /// file's size, inode and time cannot show the change (as on a filesystem with coarse times).
    static func rewriteUnnoticed(_ path: String, _ token: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data((token + "\n").utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: path)
    }

    @Test("after the server rotates the token, a 401 makes the client re-read the rewritten token file and the request succeeds")
    func rotatedTokenFile() async throws {
        let directory = try TemporaryDirectory()
        let path = try Self.writeTokenFile(directory, Self.first)
        let source = CountingCredentials(TokenFileCredential(path: path))
        try await KubeClientHarness.with(options: FakeKubeAPIOptions(requiredToken: Self.first), credentials: source) { kube in
            try kube.server.create(.configMaps, namespace: "prod", KubeClientHarness.configMap("settings"))
            #expect(try await kube.client.get(.configMaps, name: "settings").name == "settings")

            kube.server.requireToken(Self.second)
            try Self.rewriteUnnoticed(path, Self.second)
            #expect(try await kube.client.get(.configMaps, name: "settings").name == "settings")
            #expect(kube.calls.map(\.bearerToken) == [Self.first, Self.first, Self.second])
            #expect(await source.invalidations == 1)

            // Watches refresh the same way.
            kube.server.requireToken(Self.first)
            try Self.rewriteUnnoticed(path, Self.first)
            let stream = try await kube.client.watch(.configMaps, resourceVersion: kube.server.resourceVersion)
            stream.cancel()
            #expect(kube.watches.map(\.bearerToken) == [Self.second, Self.first])
            #expect(await source.invalidations == 2)
        }
    }

    @Test("a wrong token that stays wrong is a typed Unauthorized after exactly one refresh, for requests and watches")
    func wrongToken() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("token", "not-the-right-token\n")
        let source = CountingCredentials(TokenFileCredential(path: path))
        try await KubeClientHarness.with(options: FakeKubeAPIOptions(requiredToken: Self.first), credentials: source) { kube in
            let error = await kubeErrorAsync { try await kube.client.get(.configMaps, name: "settings") }
            #expect(error?.reason == .unauthorized)
            if case .status(let status) = error {
                #expect(status.code == 401)
                #expect(status.message == "Unauthorized")
            }
            #expect(kube.calls.count == 2)
            #expect(await source.invalidations == 1)

            let watchError = await kubeErrorAsync { try await kube.client.watch(.configMaps, resourceVersion: nil) }
            #expect(watchError?.reason == .unauthorized)
            #expect(kube.watches.count == 2)
            #expect(await source.invalidations == 2)
            #expect(!(error?.description.contains("not-the-right-token") ?? true))
        }
    }

    @Test("the client, its connection and its errors never show the token, in descriptions, debug descriptions or dumps")
    func noTokenInDescriptions() async throws {
        let secret = "secret-bearer-token-9f8e7d"
        try await KubeClientHarness.with(options: FakeKubeAPIOptions(requiredToken: "another-token"),
                                         credentials: FixedCredential(.bearerToken(secret))) { kube in
            let unauthorized = await kubeErrorAsync { try await kube.client.get(.configMaps, name: "settings") }
            #expect(unauthorized?.reason == .unauthorized)
            kube.server.requireToken(secret)
            kube.server.dropNext(1) { $0.method == "POST" }
            let transport = await kubeErrorAsync { try await kube.client.create(.configMaps, KubeClientHarness.configMap("settings")) }
            guard case .transport = transport else {
                Issue.record("expected a transport error, got \(String(describing: transport))")
                return
            }
            #expect(kube.calls.last?.bearerToken == secret)

            var texts: [String] = []
            for value in [kube.client, kube.client.connection, unauthorized as Any, transport as Any] as [Any] {
                texts.append(String(describing: value))
                texts.append(String(reflecting: value))
                var dumped = ""
                dump(value, to: &dumped)
                texts.append(dumped)
            }
            for text in texts {
                #expect(!text.contains(secret), "\(text)")
                #expect(!text.contains("another-token"), "\(text)")
            }
        }
    }
}
