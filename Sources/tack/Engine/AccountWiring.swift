import Foundation
import TackCore
import TackEngine
import TackHTTP
import TackLocal
import TackPipeline
import TackPrometheus

/// Wires accounts to drivers and metrics sources: `kind: local` accounts to the local runtime,
/// metrics accounts to Prometheus (the embedded one for `kind: local`).
actor AccountWiring: AccountConnector {
    let runtime: LocalRuntime
    private var http: CurlHTTPClient?

    init(runtime: LocalRuntime) {
        self.runtime = runtime
    }

    func driver(for account: Account) async throws -> any ClusterDriver {
        switch account.kind {
        case .local:
            return LocalDriver(account: account.name, runtime: runtime)
        case .kubernetes:
            throw EngineError.unavailable(account: account.name, reason: "kubernetes accounts are not supported by this build yet")
        }
    }

    func metrics(for account: MetricsAccount) async throws -> any MetricsSource {
        let base: String
        switch account.source {
        case .local:
            guard let url = try await runtime.prometheusURL() else {
                throw EngineError.unavailable(account: account.name, reason: "the embedded Prometheus is not running (tack up starts it)")
            }
            base = url
        case .url(let url):
            base = url
        }
        let client = PrometheusClient(baseURL: base, transport: try transport(), credentials: try credentials(account))
        return PrometheusMetricsSource(client: client)
    }

    private func transport() throws -> CurlHTTPClient {
        if let http { return http }
        let client = try CurlHTTPClient()
        http = client
        return client
    }

    private func credentials(_ account: MetricsAccount) throws -> PrometheusCredentials {
        switch account.auth {
        case .none: return .none
        case .bearerToken(let reference): return .bearer(token: try secret(reference, account: account.name))
        case .basic(let username, let password): return .basic(username: username, password: try secret(password, account: account.name))
        }
    }

    /// Reads a secret; errors name where it was looked for, never its value.
    private func secret(_ reference: SecretReference, account: String) throws -> String {
        switch reference {
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw EngineError.unavailable(account: account, reason: "cannot read the secret from \(reference)")
            }
            return text.hasSuffix("\n") ? String(text.dropLast()) : text
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw EngineError.unavailable(account: account, reason: "\(reference) is not set")
            }
            return value
        }
    }
}
