import TackCore
import TackPipeline

/// Wires the accounts of a revision to the drivers and metrics sources that reach them; the CLI
/// and the daemon provide one, so the engine never imports a driver.
public protocol AccountConnector: Sendable {
    /// The driver of a deployment account.
    func driver(for account: Account) async throws -> any ClusterDriver
    /// The metrics source of a metrics account.
    func metrics(for account: MetricsAccount) async throws -> any MetricsSource
}
