import Foundation
import KubeAPI
import Testing

@Suite("Exec credential plugins")
struct CredentialExecPluginTests {
    static let script = KubeconfigFixtures.path("exec-plugin.sh")
    static let v1 = "client.authentication.k8s.io/v1"
    static let v1beta1 = "client.authentication.k8s.io/v1beta1"

    /// A kubeconfig whose user runs the fixture plugin with `exec` lines added.
    private func kubeconfig(in directory: TemporaryDirectory, exec: String, cluster: String = "") throws -> String {
        try directory.write("config", """
            current-context: dev
            clusters:
            - name: c
              cluster:
                server: https://api.example:6443
            \(cluster)
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            users:
            - name: u
              user:
                exec:
                  command: \(Self.script)
            \(exec)
            """)
    }

    /// A plugin source made directly, with the fixture script and a manual clock.
    private func plugin(
        _ directory: TemporaryDirectory, environment: [String: String] = [:], apiVersion: ExecPluginConfiguration.APIVersion = .v1,
        clock: ManualClock = ManualClock(), timeout: Duration = .seconds(30), command: String = script, installHint: String? = nil
    ) -> ExecCredentialPlugin {
        let configuration = ExecPluginConfiguration(
            command: command, apiVersion: apiVersion, installHint: installHint, timeout: timeout, origin: "user \"u\" of test")
        return ExecCredentialPlugin(
            configuration, directory: directory.path,
            environment: ["PATH": "/usr/bin:/bin", "PLUGIN_COUNT_FILE": directory.file("count")].merging(environment) { $1 },
            now: clock.function)
    }

    private func runs(_ directory: TemporaryDirectory) -> Int {
        directory.read("count")?.split(separator: "\n").count ?? 0
    }

    @Test("the plugin gets KUBERNETES_EXEC_INFO, its args and env over the process environment; its token is used")
    func execInfoAndEnvironment() async throws {
        let directory = try TemporaryDirectory()
        let path = try kubeconfig(in: directory, exec: """
                  apiVersion: client.authentication.k8s.io/v1
                  interactiveMode: Never
                  args: [get-token, --cluster, main]
                  env:
                  - {name: PLUGIN_GREETING, value: from-kubeconfig}
                  - {name: PLUGIN_TOKEN, value: v1-token}
            """)
        let made = try connection(path, environment: [
            "PLUGIN_GREETING": "from-process", "PLUGIN_BASE": "inherited",
            "PLUGIN_INFO_FILE": directory.file("info"), "PLUGIN_ENV_FILE": directory.file("env"),
        ])
        #expect(made.credentials is ExecCredentialPlugin)
        #expect(try await bearerToken(made) == "v1-token")
        #expect(directory.read("env") == "greeting=from-kubeconfig\nbase=inherited\nargs=get-token --cluster main\n")
        let info = try JSONValue.parse(Array((directory.read("info") ?? "").utf8))
        #expect(info == ["apiVersion": .string(Self.v1), "kind": "ExecCredential", "spec": ["interactive": false]])
    }

    @Test("provideClusterInfo sends the server, CA data, TLS server name and the exec extension's config")
    func clusterInfo() async throws {
        let directory = try TemporaryDirectory()
        let ca = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n"
        try directory.write("ca.crt", ca)
        let path = try directory.write("config", """
            current-context: dev
            clusters:
            - name: c
              cluster:
                server: https://api.example:6443
                certificate-authority: ca.crt
                tls-server-name: api.internal
                extensions:
                - name: other
                  extension: {ignored: true}
                - name: client.authentication.k8s.io/exec
                  extension:
                    audience: tack
                    retries: 3
                    verbose: false
                    quoted: "3"
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            users:
            - name: u
              user:
                exec:
                  command: \(Self.script)
                  apiVersion: client.authentication.k8s.io/v1beta1
                  provideClusterInfo: true
            """)
        let made = try connection(path, environment: ["PLUGIN_INFO_FILE": directory.file("info")])
        #expect(try await bearerToken(made) == "fixture-token")
        let info = try JSONValue.parse(Array((directory.read("info") ?? "").utf8))
        #expect(info["apiVersion"] == .string(Self.v1beta1))
        #expect(info[path: ["spec", "interactive"]] == false)
        #expect(info[path: ["spec", "cluster"]] == [
            "server": "https://api.example:6443",
            "certificate-authority-data": .string(Data(ca.utf8).base64EncodedString()),
            "tls-server-name": "api.internal",
            "config": ["audience": "tack", "retries": 3, "verbose": false, "quoted": "3"],
        ])
    }

    @Test("a relative command resolves against the kubeconfig's directory")
    func relativeCommand() async throws {
        let made = try connection(KubeconfigFixtures.path("exec.yaml"))
        #expect(try await bearerToken(made) == "relative-command-token")
    }

    @Test("v1 and v1beta1 plugins work; a reply with another apiVersion fails and says both")
    func apiVersions() async throws {
        let directory = try TemporaryDirectory()
        #expect(try await plugin(directory, apiVersion: .v1).credential() == .bearerToken("fixture-token"))
        #expect(try await plugin(directory, apiVersion: .v1beta1).credential() == .bearerToken("fixture-token"))
        let mismatched = plugin(directory, environment: ["PLUGIN_API_VERSION": Self.v1beta1], apiVersion: .v1)
        let error = await kubeErrorAsync { try await mismatched.credential() }
        #expect(error?.description == "credentials: exec plugin \"\(Self.script)\" (user \"u\" of test) answered apiVersion "
            + "\"\(Self.v1beta1)\", but the kubeconfig asks for \(Self.v1); they must match (change exec.apiVersion or update the plugin)")
    }

    @Test("an unexpired credential is not fetched again, one about to expire is, and invalidate() forces a run")
    func expiryCaching() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(try #require(ISO8601DateFormatter().date(from: "2030-01-01T00:00:00Z")))
        let source = plugin(directory, environment: ["PLUGIN_EXPIRY": "2030-01-01T00:10:00Z"], clock: clock)
        #expect(try await source.credential() == .bearerToken("fixture-token"))
        #expect(try await source.credential() == .bearerToken("fixture-token"))
        clock.advance(9 * 60)
        #expect(try await source.credential() == .bearerToken("fixture-token"))
        #expect(runs(directory) == 1)
        clock.advance(51)             // 9 s before expiry: inside the refresh margin
        _ = try await source.credential()
        #expect(runs(directory) == 2)
        await source.invalidate()
        _ = try await source.credential()
        #expect(runs(directory) == 3)
    }

    @Test("a credential without expirationTimestamp is kept until invalidate()")
    func noExpiry() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let source = plugin(directory, clock: clock)
        _ = try await source.credential()
        clock.advance(86_400 * 30)
        _ = try await source.credential()
        #expect(runs(directory) == 1)
        await source.invalidate()
        _ = try await source.credential()
        #expect(runs(directory) == 2)
    }

    @Test("callers asking at once share one plugin run")
    func sharedRun() async throws {
        let directory = try TemporaryDirectory()
        let source = plugin(directory, environment: ["PLUGIN_MODE": "slow"])
        let tokens = try await withThrowingTaskGroup(of: KubeCredential.self) { group in
            for _ in 0..<8 { group.addTask { try await source.credential() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(tokens == Array(repeating: .bearerToken("fixture-token"), count: 8))
        #expect(runs(directory) == 1)
    }

    @Test("a client certificate reply needs both halves")
    func certificateReplies() async throws {
        let directory = try TemporaryDirectory()
        let credential = try await plugin(directory, environment: ["PLUGIN_MODE": "cert"]).credential()
        guard case .clientCertificate(let certificate, let key) = credential else {
            Issue.record("expected a client certificate, got \(credential)")
            return
        }
        #expect(String(decoding: certificate, as: UTF8.self).hasPrefix("-----BEGIN CERTIFICATE-----\nMIIBfixture"))
        #expect(String(decoding: key, as: UTF8.self).hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let half = await kubeErrorAsync { try await plugin(directory, environment: ["PLUGIN_MODE": "half-cert"]).credential() }
        #expect(half?.description.hasSuffix("answered status.clientCertificateData without status.clientKeyData; both are required") == true)
    }

    @Test("a missing command is an error with the installHint")
    func missingCommand() async throws {
        let directory = try TemporaryDirectory()
        let hint = "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin"
        let bare = await kubeErrorAsync { try await plugin(directory, command: "tack-no-such-plugin", installHint: hint).credential() }
        #expect(bare?.description == "credentials: exec plugin \"tack-no-such-plugin\" (user \"u\" of test) not found in PATH\n\(hint)")
        let relative = await kubeErrorAsync { try await plugin(directory, command: "./bin/absent", installHint: hint).credential() }
        #expect(relative?.description.contains("\(directory.path)/bin/absent does not exist\n\(hint)") == true, "\(String(describing: relative))")
    }

    @Test("a failing plugin's error names the command and status and shows stderr's first line, never stdout")
    func failingPlugin() async throws {
        let directory = try TemporaryDirectory()
        let failing = plugin(directory, environment: ["PLUGIN_MODE": "fail", "PLUGIN_TOKEN": "stdout-secret-token"])
        let error = await kubeErrorAsync { try await failing.credential() }
        #expect(error?.description == "credentials: exec plugin \"\(Self.script)\" (user \"u\" of test) exited with status 3: "
            + "error: the identity provider refused the login")
        let garbage = plugin(directory, environment: ["PLUGIN_MODE": "garbage", "PLUGIN_TOKEN": "stdout-secret-token"])
        let notJSON = await kubeErrorAsync { try await garbage.credential() }
        #expect(notJSON?.description.contains("printed no ExecCredential JSON") == true)
        for text in [error?.description, notJSON?.description] {
            #expect(text?.contains("stdout-secret-token") == false)
        }
    }

    @Test("a failing plugin's stderr keeps its advice but not its stdout token, a JWT, a long base64 or hex run")
    func failingPluginStderrIsRedacted() async throws {
        let directory = try TemporaryDirectory()
        let jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6InRhY2sifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bG9yYSJ9.c2lnbmF0dXJl"
        let base64 = "c3NvLXNlc3Npb246N2YzYSB3aXRoIGEgcmVmcmVzaCBzZWNyZXQ="
        let hex = "3f786850e387550fdab836ed7e6dc881de23001b"
        let stderr = "error: token stdout-secret-token expired (id \(jwt), session \(base64), cache \(hex)); "
            + "run aws sso login --profile gke_lora-prod_us-west1_lora-prod"
        let failing = plugin(directory, environment: ["PLUGIN_MODE": "leak", "PLUGIN_TOKEN": "stdout-secret-token", "PLUGIN_STDERR": stderr])
        let error = await kubeErrorAsync { try await failing.credential() }
        #expect(error?.description == "credentials: exec plugin \"\(Self.script)\" (user \"u\" of test) exited with status 1: "
            + "error: token <redacted> expired (id <redacted>, session <redacted>, cache <redacted>); "
            + "run aws sso login --profile gke_lora-prod_us-west1_lora-prod")
    }

    @Test("a plugin that hangs is killed after its timeout")
    func hangingPlugin() async throws {
        let directory = try TemporaryDirectory()
        let start = ContinuousClock.now
        let error = await kubeErrorAsync {
            try await plugin(directory, environment: ["PLUGIN_MODE": "hang"], timeout: .milliseconds(300)).credential()
        }
        // The plugin sleeps 30 s: ending well before that means it was killed, however loaded the machine is.
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(error?.description.contains("did not finish within 0.3 seconds and was killed") == true)
    }

    @Test("interactiveMode Always is refused, and v1 requires interactiveMode")
    func interactiveMode() throws {
        let directory = try TemporaryDirectory()
        let always = try kubeconfig(in: directory, exec: """
                  apiVersion: client.authentication.k8s.io/v1beta1
                  interactiveMode: Always
            """)
        let error = kubeError { try connection(always) }
        #expect(error?.description.contains("\(always):14:24: interactiveMode of exec of user \"u\" is Always, but Tack runs plugins without a terminal") == true, "\(String(describing: error))")
        let missing = try kubeconfig(in: directory, exec: "      apiVersion: client.authentication.k8s.io/v1")
        let v1 = kubeError { try connection(missing) }
        #expect(v1?.description.contains("interactiveMode of exec of user \"u\" is required with client.authentication.k8s.io/v1") == true)
        let alpha = try kubeconfig(in: directory, exec: "      apiVersion: client.authentication.k8s.io/v1alpha1")
        let old = kubeError { try connection(alpha) }
        #expect(old?.description.contains("v1alpha1 was removed in Kubernetes 1.24") == true)
    }
}
