import Foundation
import KubeAPI
import TackCore
import TackEngine
import TackHTTP
import TackKubernetes
import TackLocal
import TackPipeline
import TackPrometheus
import TackServer

/// Wires accounts to drivers and metrics sources: `kind: local` accounts to the local runtime,
/// `kind: kubernetes` accounts to a Kubernetes driver (one per account, kept while its settings
/// stay the same, so its watches keep running), metrics accounts to Prometheus (the embedded one
/// for `kind: local`).
actor AccountWiring: AccountConnector {
    let runtime: LocalRuntime
    /// False under `tack controller --no-local-runtime`: local accounts are refused.
    let runsLocalRuntime: Bool
    private var http: CurlHTTPClient?
    private var kubernetesDrivers: [String: (settings: KubernetesAccount, driver: KubernetesDriver)] = [:]

    init(runtime: LocalRuntime, runsLocalRuntime: Bool = true) {
        self.runtime = runtime
        self.runsLocalRuntime = runsLocalRuntime
    }

    func driver(for account: Account) async throws -> any ClusterDriver {
        switch account.kind {
        case .local:
            guard runsLocalRuntime else { throw Self.noLocalRuntime(account.name) }
            return LocalDriver(account: account.name, runtime: runtime)
        case .kubernetes(let settings):
            if let existing = kubernetesDrivers[account.name], existing.settings == settings { return existing.driver }
            kubernetesDrivers[account.name]?.driver.shutdown()
            let driver = try kubernetesDriver(account.name, settings)
            kubernetesDrivers[account.name] = (settings, driver)
            return driver
        }
    }

    /// A driver for a Kubernetes account: its kubeconfig context (or the pod's service account).
    private func kubernetesDriver(_ name: String, _ settings: KubernetesAccount) throws -> KubernetesDriver {
        let client: KubeClient
        do {
            let kubeconfig = settings.kubeconfig.map { ($0 as NSString).expandingTildeInPath }
            let connection = try KubeconfigLoader.connection(kubeconfig: kubeconfig, context: settings.context)
            client = try KubeClient(connection: connection, options: KubeClientOptions(userAgent: "tack/\(TackVersion.current)"))
        } catch {
            throw EngineError.unavailable(account: name, reason: error.description)
        }
        let routing: KubernetesWorkloadOptions.Routing = switch (settings.traffic, settings.gateway) {
        case (.gatewayAPI, let gateway?): .gatewayAPI(parent: GatewayRef(namespace: gateway.namespace, name: gateway.name))
        default: .replicas
        }
        return KubernetesDriver(account: name, client: client, options: KubernetesWorkloadOptions(namespace: settings.namespace, routing: routing),
                                resolver: RegistryResolver(transport: try transport()))
    }

    private static func noLocalRuntime(_ account: String) -> EngineError {
        .unavailable(account: account, reason: "the local runtime is off in this controller (--no-local-runtime)")
    }

    func metrics(for account: MetricsAccount) async throws -> any MetricsSource {
        let base: String
        switch account.source {
        case .local:
            guard runsLocalRuntime else { throw Self.noLocalRuntime(account.name) }
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
