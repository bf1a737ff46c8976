import FakeKubeAPI
import Foundation
import KubeAPI
import TestSupport
import Testing

/// What the end-to-end authentication suites (`ClientAuth…Tests`) share. kube-apiserver cannot run
/// here, so the fake API server with a real nginx as its TLS front stands in for it: nginx checks
/// the server and client certificates, the fake checks bearer tokens. Each test writes a kubeconfig
/// into a folder of its own and goes the way a user does: kubeconfig file →
/// `KubeconfigLoader.connection` → `KubeClient` → HTTPS.
enum ClientAuthTests {
    /// The namespace every test works in (the context's).
    static let namespace = "default"

    /// Which certificate the TLS front serves.
    enum ServerCertificate {
        /// Valid for 127.0.0.1 and localhost, the URL's host.
        case loopback
        /// Valid for `kube.test` only.
        case named
    }

    /// A running stand-in for kube-apiserver and a folder for the kubeconfig and the files it names.
    struct Cluster: Sendable {
        let fake: FakeKubeAPIServer
        let front: TLSFront
        let certificates: TestCertificates
        let folder: TemporaryDirectory

        /// The API server's URL, as a kubeconfig gives it.
        var server: String { front.url }

        /// Runs `body` with the fake and nginx started; both are stopped and the folder removed
        /// afterwards, whether `body` throws or not.
        static func with(
            serverCertificate: ServerCertificate = .loopback, clientCertificates: TLSFront.ClientCertificates = .required,
            _ body: (Cluster) async throws -> Void
        ) async throws {
            let certificates = try await TestCertificates.shared()
            let folder = try TemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: folder.path) }
            let certificate = serverCertificate == .loopback ? certificates.server : certificates.namedServer
            try await FakeKubeAPIServer.with { fake in
                try await TLSFront.with(
                    upstream: fake.baseURL, certificate: certificate, clientCA: certificates.caPath, clientCertificates: clientCertificates
                ) { front in
                    try await body(Cluster(fake: fake, front: front, certificates: certificates, folder: folder))
                }
            }
        }

        /// Writes a kubeconfig with one context `e2e` whose cluster has the front's URL and the `cluster`
        /// lines, and whose user (when `user` is given) has the `user` lines; returns its path.
        @discardableResult
        func writeKubeconfig(_ name: String = "config", cluster: [String] = [], user: [String]?) throws -> String {
            func indented(_ lines: [String]) -> String { lines.map { "    " + $0 }.joined(separator: "\n") }
            var text = """
                apiVersion: v1
                kind: Config
                current-context: e2e
                clusters:
                - name: e2e
                  cluster:
                    server: \(server)
                \(indented(cluster))
                contexts:
                - name: e2e
                  context:
                    cluster: e2e
                    namespace: \(ClientAuthTests.namespace)

                """
            if let user {
                text += """
                        user: e2e
                    users:
                    - name: e2e
                      user:
                    \(indented(user))

                    """
            }
            return try folder.write(name, text)
        }

        /// The connection a user of the kubeconfig at `path` gets, with an environment of only `PATH`.
        func connection(_ path: String) throws(KubeError) -> KubeConnection {
            try KubeconfigLoader.connection(kubeconfig: path, environment: ["PATH": "/usr/bin:/bin"], homeDirectory: "/nonexistent-home")
        }

        /// A client of the kubeconfig at `path`, quick to give up: no retries, a 10 s timeout.
        func client(_ path: String) throws -> KubeClient {
            try KubeClient(connection: connection(path), options: KubeClientOptions(maxRetries: 0, requestTimeout: .seconds(10)))
        }

        /// Creates ConfigMap `name` (`data.greeting: hello`) in the fake, for the client to read.
        func createConfigMap(_ name: String) throws {
            let object: JSONValue = [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["greeting": "hello"],
            ]
            _ = try fake.create(.configMaps, namespace: ClientAuthTests.namespace, object)
        }

        /// Records an issue for every token in `tokens` and every piece of a test client key that
        /// one of `texts` shows.
        func expectNoSecrets(in texts: [String], tokens: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
            ClientAuthTests.expectNoSecrets(in: texts, tokens: tokens, certificates: certificates, sourceLocation: sourceLocation)
        }
    }

    /// Records an issue for each secret that `leaks` finds in `texts`.
    static func expectNoSecrets(
        in texts: [String], tokens: [String], certificates: TestCertificates, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for leak in leaks(in: texts, tokens: tokens, certificates: certificates) {
            Issue.record("a message shows a secret: \(leak)", sourceLocation: sourceLocation)
        }
    }

    /// The texts among `texts` that show a token in `tokens`, a piece of a client key of
    /// `certificates`, or `PRIVATE KEY`.
    static func leaks(in texts: [String], tokens: [String], certificates: TestCertificates) -> [String] {
        let needles = tokens + certificates.keyMarkers + ["PRIVATE KEY"]
        return texts.filter { text in needles.contains { text.contains($0) } }
    }

    /// Every way a connection and its client can be printed: descriptions, debug descriptions, `dump`.
    static func descriptions(of client: KubeClient) -> [String] {
        func dumped(_ value: Any) -> String {
            var text = ""
            dump(value, to: &text)
            return text
        }
        let connection = client.connection
        return [
            String(describing: connection), String(reflecting: connection), dumped(connection),
            String(describing: connection.credentials), String(reflecting: connection.credentials), dumped(connection.credentials),
            String(describing: client), String(reflecting: client), dumped(client),
        ]
    }

    /// The base64 of `bytes`, as a kubeconfig's `*-data` fields hold PEM files.
    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
