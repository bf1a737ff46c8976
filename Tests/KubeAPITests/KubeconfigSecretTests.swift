import Foundation
import KubeAPI
import Testing

@Suite("Kubeconfig secrets")
struct KubeconfigSecretTests {
    static let token = "sekret-token-4f2a9c"
    static let keyText = "sekret-key-material-77e1"
    static let keyData = Data("-----BEGIN PRIVATE KEY-----\n\(keyText)\n-----END PRIVATE KEY-----\n".utf8).base64EncodedString()
    static let envValue = "sekret-env-value-31b8"
    static let password = "sekret-password-0d9e"

    /// Every secret, and enough of the base64 to recognise it.
    static let secrets = [token, keyText, keyData, String(keyData.prefix(24)), envValue, password]

    /// Kubeconfigs that are each wrong in a way near a secret.
    static let broken: [String] = [
        // A token where a mapping belongs.
        "users: [{name: u, user: \(token)}]",
        // Refused keys beside secrets.
        "users: [{name: u, user: {token: \(token), password: \(password), client-key-data: \(keyData)}}]",
        // Data that is not base64 and data that is not PEM.
        "users: [{name: u, user: {client-certificate-data: \"\(token)!!\", client-key-data: \(keyData)}}]",
        "users: [{name: u, user: {client-certificate-data: \(Data(token.utf8).base64EncodedString()), client-key-data: \(keyData)}}]",
        // A misspelt key holding a token, and a token that is a list.
        "users: [{name: u, user: {tokn: \(token), exec: {command: x, apiVersion: v9, env: [{name: A, value: \(envValue)}]}}}]",
        "users: [{name: u, user: {token: [\(token)], client-key-data: \(keyData)}}]",
        // An exec env value that is a list beside another that is a secret.
        "users: [{name: u, user: {exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Always, env: [{name: A, value: \(envValue)}, {name: B, value: [\(token)]}]}}}]",
    ]

    @Test("no kubeconfig error carries a token, key, password, env value or *-data bytes", arguments: broken)
    func errorsAreSecretFree(users: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("config", """
            current-context: dev
            clusters: [{name: c, cluster: {server: "https://x.example"}}]
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            \(users)
            """)
        let error = try #require(kubeError { try connection(path) })
        for secret in Self.secrets {
            #expect(!error.description.contains(secret), "\(error.description)")
        }
    }

    @Test("a YAML syntax error that quotes a token-shaped alias shows its place but not the token")
    func syntaxErrorsAreSecretFree() throws {
        let directory = try TemporaryDirectory()
        let token = "c3NvLXNlc3Npb246N2YzYSB3aXRoIGEgcmVmcmVzaCBzZWNyZXQ"
        let path = try directory.write("config", """
            current-context: dev
            users: [{name: u, user: {token: *\(token)}}]
            """)
        let error = try #require(kubeError { try connection(path) })
        #expect(error.description == "kubeconfig: \(path):2:33: unknown alias *<redacted>; define an anchor &<redacted> before using it")
    }

    @Test("a connection's description, debug description and dump show no secret")
    func connectionsAreSecretFree() throws {
        let directory = try TemporaryDirectory()
        let certificate = Data("-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n".utf8).base64EncodedString()
        let path = try directory.write("config", """
            current-context: dev
            clusters: [{name: c, cluster: {server: "https://x.example"}}]
            contexts:
            - {name: dev, context: {cluster: c, user: u}}
            - {name: plugin, context: {cluster: c, user: p}}
            users:
            - {name: u, user: {token: \(Self.token), client-certificate-data: \(certificate), client-key-data: \(Self.keyData)}}
            - name: p
              user:
                exec:
                  command: plugin
                  apiVersion: client.authentication.k8s.io/v1beta1
                  args: [--flag]
                  env: [{name: SECRET, value: \(Self.envValue)}]
            """)
        for context in ["dev", "plugin"] {
            let made = try connection(path, context: context)
            var dumped = ""
            dump(made, to: &dumped)
            for text in [String(describing: made), String(reflecting: made), dumped, String(describing: made.credentials)] {
                for secret in Self.secrets {
                    #expect(!text.contains(secret), "\(text)")
                }
            }
        }
    }

    @Test("credentials describe their kind only")
    func credentialDescriptions() {
        let credential = KubeCredential.bearerToken(Self.token)
        var dumped = ""
        dump(credential, to: &dumped)
        for text in [credential.description, String(reflecting: credential), dumped] {
            #expect(!text.contains(Self.token))
        }
    }
}
