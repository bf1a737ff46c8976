import Foundation
import KubeAPI
import Testing

@Suite("Kubeconfig loading")
struct KubeconfigLoaderTests {
    let a = KubeconfigFixtures.path("merge-a.yaml")
    let b = KubeconfigFixtures.path("merge-b.yaml")
    let none = KubeconfigFixtures.path("merge-none.yaml")

    private func load(_ list: String) throws(KubeError) -> Kubeconfig {
        try KubeconfigLoader.load(environment: ["KUBECONFIG": list], homeDirectory: "/nonexistent-home")
    }

    @Test("KUBECONFIG files merge first-wins: current-context and whole named entries come from the first file")
    func mergeFirstWins() async throws {
        let merged = try load("\(a):\(b)")
        #expect(merged.files == [a, b])
        #expect(merged.currentContext == "dev")
        #expect(merged.contextNames == ["dev", "prod"])

        let dev = try merged.connection(environment: [:])
        #expect(dev.server == "https://a.example:6443")     // cluster "shared" of the first file
        #expect(dev.tls.insecureSkipVerify == false)         // not merged key by key from the second
        #expect(dev.namespace == "team-a")                   // context "dev" of the first file
        #expect(try await bearerToken(dev) == "token-from-a")
        #expect(dev.origin == "context \"dev\" of \(a)")

        let prod = try merged.connection(context: "prod", environment: [:])
        #expect(prod.server == "https://prod.example:6443")
        #expect(prod.namespace == "default")
        #expect(try await bearerToken(prod) == "token-from-a")   // user "alice" is the first file's
    }

    @Test("with the files swapped, the other file's current-context and entries win")
    func mergeSwapped() throws {
        let merged = try load("\(b):\(a)")
        #expect(merged.currentContext == "prod")
        let error = kubeError { try merged.connection(environment: [:]) }
        // User "alice" now comes from merge-b.yaml, whose tokenFile is missing.
        #expect(error?.description.contains("merge-b.yaml:") == true)
        #expect(error?.description.contains("does-not-exist does not exist") == true)
    }

    @Test("current-context comes from the first file that sets it")
    func currentContextFromFirstSetter() throws {
        let merged = try load("\(none):\(b):\(a)")
        #expect(merged.currentContext == "prod")
        #expect(merged.contextNames == ["dev", "prod", "staging"])
        let staging = try merged.connection(context: "staging", environment: [:])
        #expect(staging.server == "https://other.example")
        #expect(staging.credentials is FixedCredential)
    }

    @Test("empty KUBECONFIG entries and missing files are skipped; none existing is an error")
    func missingFilesSkipped() throws {
        let merged = try load(":/nonexistent/one::\(a):/nonexistent/two:")
        #expect(merged.files == [a])
        let error = kubeError { try load("/nonexistent/one:/nonexistent/two") }
        #expect(error?.description == "kubeconfig: none of the files in KUBECONFIG exists: /nonexistent/one, /nonexistent/two")
    }

    @Test("an explicit kubeconfig wins over KUBECONFIG, which wins over ~/.kube/config")
    func pathPrecedence() throws {
        let home = try TemporaryDirectory()
        let homeConfig = try home.write(".kube/config", "current-context: x\n")
        #expect(try KubeconfigLoader.paths(kubeconfig: b, environment: ["KUBECONFIG": a], homeDirectory: home.path) == [b])
        #expect(try KubeconfigLoader.paths(kubeconfig: nil, environment: ["KUBECONFIG": a], homeDirectory: home.path) == [a])
        #expect(try KubeconfigLoader.paths(kubeconfig: nil, environment: ["KUBECONFIG": ""], homeDirectory: home.path) == [homeConfig])
        let missing = kubeError { try KubeconfigLoader.paths(kubeconfig: "/nonexistent/config", environment: [:], homeDirectory: home.path) }
        #expect(missing?.description == "kubeconfig: the kubeconfig file /nonexistent/config does not exist")
        let noHome = kubeError { try KubeconfigLoader.paths(kubeconfig: nil, environment: [:], homeDirectory: "/nonexistent-home") }
        #expect(noHome?.description.contains("/nonexistent-home/.kube/config does not exist and KUBECONFIG is not set") == true)
    }

    @Test("a relative certificate-authority resolves against the kubeconfig's directory, not the working directory")
    func relativeCertificateAuthority() throws {
        let expected = try #require(FileManager.default.contents(atPath: KubeconfigFixtures.path("certs/ca.crt")))
        #expect(FileManager.default.currentDirectoryPath != KubeconfigFixtures.directory)
        let dev = try connection(a)
        #expect(dev.tls.caPEM == [UInt8](expected))
    }

    @Test("certificate-authority-data overrides certificate-authority, whose file is then not read")
    func dataOverridesPath() throws {
        let directory = try TemporaryDirectory()
        let pem = "-----BEGIN CERTIFICATE-----\nMIIBdata\n-----END CERTIFICATE-----\n"
        let path = try directory.write("config", """
            current-context: c
            clusters:
            - name: c
              cluster:
                server: https://10.0.0.1:6443
                certificate-authority: missing-ca.crt
                certificate-authority-data: \(Data(pem.utf8).base64EncodedString())
                tls-server-name: api.internal
            contexts:
            - name: c
              context: {cluster: c}
            """)
        let made = try connection(path)
        #expect(made.tls.caPEM == Array(pem.utf8))
        #expect(made.tls.serverName == "api.internal")
        #expect(made.credentials is FixedCredential)
    }

    @Test("the chosen context's namespace is used, default otherwise")
    func contextAndNamespace() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("config", """
            current-context: one
            clusters:
            - {name: c1, cluster: {server: "https://one.example"}}
            - {name: c2, cluster: {server: "https://two.example:8443/prefix/"}}
            contexts:
            - {name: one, context: {cluster: c1}}
            - {name: two, context: {cluster: c2, namespace: payments}}
            """)
        let one = try connection(path)
        #expect(one.server == "https://one.example")
        #expect(one.namespace == "default")
        let two = try connection(path, context: "two")
        #expect(two.server == "https://two.example:8443/prefix")
        #expect(two.namespace == "payments")
    }

    @Test("an unknown context names the file and lists the contexts there are")
    func unknownContext() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("config", """
            clusters: [{name: c, cluster: {server: "https://x.example"}}]
            contexts:
            - {name: dev, context: {cluster: c}}
            - {name: staging, context: {cluster: c}}
            """)
        let error = kubeError { try connection(path, context: "prod") }
        #expect(error?.description == "kubeconfig: context \"prod\" not found in \(path); contexts: dev, staging")
        let noCurrent = kubeError { try connection(path) }
        #expect(noCurrent?.description == "kubeconfig: no context was chosen and current-context is not set in \(path); contexts: dev, staging")
        let typo = kubeError { try connection(path, context: "stagign") }
        #expect(typo?.description.hasSuffix("(did you mean \"staging\"?)") == true)
    }

    @Test("a context naming an undefined cluster or user points at the name with file:line:column")
    func undefinedReferences() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("config", """
            current-context: dev
            clusters: [{name: main, cluster: {server: "https://x.example"}}]
            users: [{name: admin, user: {token: abcdefgh}}]
            contexts:
            - name: dev
              context:
                cluster: mian
                user: ghost
            """)
        let error = kubeError { try connection(path) }
        #expect(error?.description == "kubeconfig: \(path):7:14: context \"dev\" uses cluster \"mian\", which is not defined in \(path); clusters: main (did you mean \"main\"?)")
        try directory.write("config", try #require(directory.read("config")).replacingOccurrences(of: "mian", with: "main"))
        let user = kubeError { try connection(path) }
        #expect(user?.description == "kubeconfig: \(path):8:11: context \"dev\" uses user \"ghost\", which is not defined in \(path); users: admin")
    }

    @Test("a bad value is reported with file:line:column, what is wrong and what is allowed")
    func badNodePosition() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("config", """
            current-context: dev
            clusters:
            - name: dev
              cluster:
                server: https://10.0.0.1:6443
                insecure-skip-tls-verify: yes-please
                sever: https://typo.example
            contexts:
            - {name: dev, context: {cluster: dev}}
            """)
        let error = try #require(kubeError { try connection(path) })
        let lines = error.description.split(separator: "\n").map(String.init)
        #expect(lines == [
            "kubeconfig: \(path):6:31: insecure-skip-tls-verify of cluster \"dev\" must be true or false; got \"yes-please\"",
            "\(path):7:5: unknown key \"sever\" in cluster \"dev\"; did you mean \"server\"?",
        ])
    }

    @Test("a YAML syntax error and a top-level typo name the file and position")
    func syntaxAndTopLevel() throws {
        let directory = try TemporaryDirectory()
        let broken = try directory.write("broken", "clusters:\n- name: x\n  cluster: {server: [\n")
        let syntax = kubeError { try connection(broken) }
        #expect(syntax?.description.hasPrefix("kubeconfig: \(broken):") == true)
        #expect(syntax?.description.contains("invalid YAML") == true)
        let typo = try directory.write("typo", "current_context: dev\n")
        let top = kubeError { try connection(typo) }
        #expect(top?.description == "kubeconfig: \(typo):1:1: unknown key \"current_context\" in a kubeconfig; did you mean \"current-context\"?")
    }

    @Test("basic auth and auth-provider are refused with what to use instead")
    func refusedUserKinds() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("config", """
            current-context: dev
            clusters: [{name: c, cluster: {server: "https://x.example"}}]
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            users:
            - name: u
              user:
                username: admin
                password: hunter2-secret
                auth-provider: {name: gcp}
            """)
        let error = try #require(kubeError { try connection(path) })
        #expect(error.description.contains("\(path):7:5: basic authentication (username/password) is not supported"))
        #expect(error.description.contains("\(path):9:5: auth-provider was removed from client-go"))
        #expect(error.description.contains("use an exec plugin"))
        #expect(!error.description.contains("hunter2-secret"))
    }

    @Test("token wins over tokenFile")
    func tokenPrecedence() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("token", "file-token\n")
        let both = try directory.write("both", """
            current-context: dev
            clusters: [{name: c, cluster: {server: "https://x.example"}}]
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            users: [{name: u, user: {token: inline-token, tokenFile: token}}]
            """)
        #expect(try await bearerToken(connection(both)) == "inline-token")
        let fileOnly = try directory.write("file-only", """
            current-context: dev
            clusters: [{name: c, cluster: {server: "https://x.example"}}]
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            users: [{name: u, user: {tokenFile: token}}]
            """)
        let made = try connection(fileOnly)
        #expect(made.credentials is TokenFileCredential)
        #expect(try await bearerToken(made) == "file-token")
    }

    @Test("a client certificate and key, from files or data, become static mutual TLS")
    func clientCertificate() async throws {
        let directory = try TemporaryDirectory()
        let certificate = "-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n"
        let key = "-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n"
        try directory.write("pki/client.crt", certificate)
        let path = try directory.write("config", """
            current-context: dev
            clusters: [{name: c, cluster: {server: "https://x.example"}}]
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            users:
            - name: u
              user:
                client-certificate: pki/client.crt
                client-key-data: \(Data(key.utf8).base64EncodedString())
            """)
        let made = try connection(path)
        #expect(made.tls.clientCertificatePEM == Array(certificate.utf8))
        #expect(made.tls.clientKeyPEM == Array(key.utf8))
        #expect(try await made.credentials.credential() == .none)

        let half = try directory.write("half", """
            current-context: dev
            clusters: [{name: c, cluster: {server: "https://x.example"}}]
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            users: [{name: u, user: {client-certificate: pki/client.crt}}]
            """)
        let error = kubeError { try connection(half) }
        #expect(error?.description.contains("user \"u\" has half a client certificate: add client-key (or client-key-data)") == true)
    }

    @Test("server, proxy-url and insecure settings are checked; socks5 lets the proxy resolve names")
    func clusterSettings() throws {
        let directory = try TemporaryDirectory()
        func cluster(_ body: String) throws -> String {
            try directory.write("config", """
                current-context: dev
                clusters:
                - name: c
                  cluster: {\(body)}
                contexts: [{name: dev, context: {cluster: c}}]
                """)
        }
        let socks = try connection(cluster("server: \"https://x.example\", proxy-url: \"socks5://proxy:1080\""))
        #expect(socks.proxyURL == "socks5h://proxy:1080")
        let http = try connection(cluster("server: \"https://x.example\", proxy-url: \"http://proxy:3128\""))
        #expect(http.proxyURL == "http://proxy:3128")

        let badProxy = kubeError { try connection(cluster("server: \"https://x.example\", proxy-url: \"ftp://bob:pw-secret@proxy\"")) }
        #expect(badProxy?.description.contains("proxy-url of cluster \"c\" must start with http://, https:// or socks5://") == true)
        #expect(badProxy?.description.contains("pw-secret") == false)

        let noScheme = kubeError { try connection(cluster("server: \"10.0.0.1:6443\"")) }
        #expect(noScheme?.description.contains("server of cluster \"c\" must be an https:// URL") == true)

        let pem = Data("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n".utf8).base64EncodedString()
        let both = kubeError { try connection(cluster("server: \"https://x.example\", certificate-authority-data: \(pem), insecure-skip-tls-verify: true")) }
        #expect(both?.description.contains("sets both a certificate authority and insecure-skip-tls-verify: true") == true)

        let notPEM = kubeError { try connection(cluster("server: \"https://x.example\", certificate-authority-data: \(Data("plain".utf8).base64EncodedString())")) }
        #expect(notPEM?.description.contains("certificate-authority-data of cluster \"c\" decodes to no PEM block") == true)
    }
}
