import FakeKubeAPI
import Foundation
import KubeAPI
import Testing

/// A kubeconfig `exec` plugin end to end (client.authentication.k8s.io/v1, a script beside the
/// kubeconfig): the fake API server behind nginx's TLS front stands in for kube-apiserver; the fake
/// checks tokens, nginx checks the client certificates a plugin hands out.
@Suite("Client authentication: exec credential plugins through a TLS front")
struct ClientAuthExecPluginTests {
    typealias Cluster = ClientAuthTests.Cluster

    static let first = "exec-token-first-91d3"
    static let second = "exec-token-second-4a7c"

    /// The plugin's folder: what it answers (set by the test) and what it records.
    struct Plugin {
        let directory: String

        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name), options: .atomic)
        }

        func read(_ name: String) -> String {
            (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
        }

        /// How many times the plugin ran.
        var runs: Int { read("count").split(separator: "\n").count }

        /// The `KUBERNETES_EXEC_INFO` of the last run.
        func execInfo() throws -> JSONValue { try JSONValue.parse(Array(read("exec-info").utf8)) }
    }

    /// Copies the fixture plugin beside the kubeconfig (executable) and writes a kubeconfig whose
    /// user runs it as `./plugin.sh` with `env`, `args` and `provideClusterInfo: true`; the cluster
    /// carries an exec extension for `spec.cluster.config`. The plugin answers `token` at first.
    static func setUp(_ cluster: Cluster, token: String) throws -> (client: KubeClient, plugin: Plugin) {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/auth/plugin.sh")
        let script = cluster.folder.file("plugin.sh")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let plugin = Plugin(directory: cluster.folder.file("plugin-state"))
        try FileManager.default.createDirectory(atPath: plugin.directory, withIntermediateDirectories: true)
        try plugin.write("token", token)
        let path = try cluster.writeKubeconfig(
            cluster: [
                "certificate-authority-data: \(ClientAuthTests.base64(cluster.certificates.caPEM))",
                "extensions:",
                "- name: client.authentication.k8s.io/exec",
                "  extension: {audience: e2e}",
            ],
            user: [
                "exec:",
                "  apiVersion: client.authentication.k8s.io/v1",
                "  interactiveMode: Never",
                "  command: ./plugin.sh",
                "  args: [--cluster, e2e]",
                "  provideClusterInfo: true",
                "  env:",
                "  - name: PLUGIN_STATE_DIR",
                "    value: \(plugin.directory)",
                "  - name: PLUGIN_GREETING",
                "    value: hello-from-kubeconfig",
            ])
        return (try cluster.client(path), plugin)
    }

    @Test("requests carry the plugin's token, the plugin runs once for both, and it got env, args and the cluster's info")
    func token() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            try cluster.createConfigMap("settings")
            cluster.fake.requireToken(Self.first)
            let (client, plugin) = try Self.setUp(cluster, token: Self.first)
            defer { client.shutdown() }

            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(try await client.list(.configMaps).items.count == 1)
            #expect(plugin.runs == 1)
            #expect(cluster.fake.requests.map(\.bearerToken) == [Self.first, Self.first])

            let info = try plugin.execInfo()
            #expect(info["apiVersion"] == "client.authentication.k8s.io/v1")
            #expect(info["kind"] == "ExecCredential")
            #expect(info[path: ["spec", "interactive"]] == false)
            #expect(info[path: ["spec", "cluster", "server"]] == .string(cluster.server))
            let caData = ClientAuthTests.base64(cluster.certificates.caPEM)
            #expect(info[path: ["spec", "cluster", "certificate-authority-data"]] == .string(caData))
            #expect(info[path: ["spec", "cluster", "config"]] == ["audience": "e2e"])
            #expect(plugin.read("environment") == "greeting=hello-from-kubeconfig\npath=/usr/bin:/bin\nargs=--cluster e2e\n")
            cluster.expectNoSecrets(in: ClientAuthTests.descriptions(of: client), tokens: [Self.first])
        }
    }

    @Test("after the server rotates the token, the 401 runs the plugin again and the request succeeds with its new token")
    func rotation() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            try cluster.createConfigMap("settings")
            cluster.fake.requireToken(Self.first)
            let (client, plugin) = try Self.setUp(cluster, token: Self.first)
            defer { client.shutdown() }
            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(plugin.runs == 1)

            cluster.fake.requireToken(Self.second)
            try plugin.write("token", Self.second)
            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(plugin.runs == 2)
            #expect(cluster.fake.requests.map(\.bearerToken) == [Self.first, Self.first, Self.second])
            #expect(await cluster.front.accessLog(count: 3).map(\.status) == [200, 401, 200])

            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(plugin.runs == 2)
            cluster.expectNoSecrets(in: ClientAuthTests.descriptions(of: client), tokens: [Self.first, Self.second])
        }
    }

    @Test("a plugin answering clientCertificateData and clientKeyData authenticates through the front's client-certificate check")
    func clientCertificate() async throws {
        try await Cluster.with(clientCertificates: .required) { cluster in
            try cluster.createConfigMap("settings")
            let (client, plugin) = try Self.setUp(cluster, token: Self.first)
            defer { client.shutdown() }
            try plugin.write("certificate.pem", String(decoding: cluster.certificates.execClientCertificatePEM, as: UTF8.self))
            try plugin.write("key.pem", String(decoding: cluster.certificates.execClientKeyPEM, as: UTF8.self))
            // The kubeconfig itself has no client certificate.
            #expect(client.connection.tls.clientCertificatePEM == nil)

            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(try await client.list(.configMaps).items.count == 1)
            #expect(plugin.runs == 1)
            let log = await cluster.front.accessLog(count: 2)
            #expect(log.map(\.status) == [200, 200])
            #expect(log.allSatisfy { $0.clientVerify == "SUCCESS" && $0.clientSubject == "CN=tack-exec-client" }, "\(log)")
            #expect(cluster.fake.requests.count == 2)
            #expect(cluster.fake.requests.allSatisfy { !$0.hasAuthorization })
            cluster.expectNoSecrets(in: ClientAuthTests.descriptions(of: client))
        }
    }

    @Test("an expirationTimestamp in the past makes the next request run the plugin again; one in the future does not")
    func expiry() async throws {
        try await Cluster.with(clientCertificates: .optional) { cluster in
            try cluster.createConfigMap("settings")
            cluster.fake.requireToken(Self.first)
            let (client, plugin) = try Self.setUp(cluster, token: Self.first)
            defer { client.shutdown() }
            try plugin.write("expiry", "2020-01-01T00:00:00Z")

            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(plugin.runs == 1)
            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(plugin.runs == 2)

            let formatter = ISO8601DateFormatter()
            try plugin.write("expiry", formatter.string(from: Date().addingTimeInterval(3600)))
            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(plugin.runs == 3)
            #expect(try await client.get(.configMaps, name: "settings").name == "settings")
            #expect(plugin.runs == 3)
            #expect(cluster.fake.requests.count == 4)
            #expect(await cluster.front.accessLog(count: 4).map(\.status) == [200, 200, 200, 200])
        }
    }
}
