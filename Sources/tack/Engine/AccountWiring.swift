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
/// stay the same and rollouts use it, so its watches keep running), metrics accounts to
/// Prometheus (the embedded one for `kind: local`).
actor AccountWiring: AccountConnector {
    let runtime: LocalRuntime
    /// False under `tack controller --no-local-runtime`: local accounts are refused.
    let runsLocalRuntime: Bool
    private var http: CurlHTTPClient?
    private var kubernetesDrivers: [String: KubernetesConnection] = [:]

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
            if var existing = kubernetesDrivers[account.name], existing.settings == settings {
                existing.lastUsed = .now
                kubernetesDrivers[account.name] = existing
                return existing.driver
            }
            // Settings changed (the accounts file was reloaded): the old driver's watches and its
            // client's connections end before the new ones start.
            kubernetesDrivers.removeValue(forKey: account.name)?.shutdown()
            let (driver, client) = try kubernetesDriver(account.name, settings)
            kubernetesDrivers[account.name] = KubernetesConnection(settings: settings, driver: driver, client: client, lastUsed: .now)
            return driver
        }
    }

    /// Shuts down the drivers of Kubernetes accounts that no rollout asked for during `idle` before
    /// `now`, with their watches and connections, and returns those accounts' names. A rollout
    /// that needs one again gets a new driver, which lists the objects afresh.
    ///
    /// Every pass of an active rollout asks for its drivers, so only accounts that no running
    /// rollout uses any more (the pipeline moved to other accounts, or every rollout ended) go.
    func releaseIdleDrivers(idle: Duration, now: ContinuousClock.Instant = .now) -> [String] {
        let idleAccounts = kubernetesDrivers.filter { now - $0.value.lastUsed > idle }.keys.sorted()
        for name in idleAccounts { kubernetesDrivers.removeValue(forKey: name)?.shutdown() }
        return idleAccounts
    }

    /// The client of a Kubernetes account's current driver, if one was made.
    func kubernetesClient(_ account: String) -> KubeClient? {
        kubernetesDrivers[account]?.client
    }

    /// How a Kubernetes account's client paces its requests: the account's `qps` and `burst`,
    /// else the client's defaults.
    private static func clientOptions(_ settings: KubernetesAccount) -> KubeClientOptions {
        var options = KubeClientOptions(userAgent: "tack/\(TackVersion.current)")
        if let qps = settings.qps { options.qps = qps }
        if let burst = settings.burst { options.burst = burst }
        return options
    }

    /// A driver for a Kubernetes account and its client: its kubeconfig context (or the pod's service account).
    private func kubernetesDriver(_ name: String, _ settings: KubernetesAccount) throws -> (KubernetesDriver, KubeClient) {
        let client: KubeClient
        do {
            let kubeconfig = settings.kubeconfig.map { ($0 as NSString).expandingTildeInPath }
            let connection = try KubeconfigLoader.connection(kubeconfig: kubeconfig, context: settings.context)
            client = try KubeClient(connection: connection, options: Self.clientOptions(settings))
        } catch {
            throw EngineError.unavailable(account: name, reason: error.description)
        }
        let routing: KubernetesWorkloadOptions.Routing = switch (settings.traffic, settings.gateway) {
        case (.gatewayAPI, let gateway?): .gatewayAPI(parent: GatewayRef(namespace: gateway.namespace, name: gateway.name))
        default: .replicas
        }
        let driver = KubernetesDriver(account: name, client: client, options: KubernetesWorkloadOptions(namespace: settings.namespace, routing: routing),
                                      resolver: RegistryResolver(transport: try transport()))
        return (driver, client)
    }

    /// A Kubernetes account's driver and client, the settings they were made with, and when a
    /// rollout last asked for them.
    private struct KubernetesConnection {
        let settings: KubernetesAccount
        let driver: KubernetesDriver
        let client: KubeClient
        var lastUsed: ContinuousClock.Instant

        /// Ends the driver's watches and the client's connections.
        func shutdown() {
            driver.shutdown()
            client.shutdown()
        }
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
