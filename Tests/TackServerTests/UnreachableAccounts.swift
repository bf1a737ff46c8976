import TackCore
import TackEngine
import TackPipeline

/// Stands in for clusters and a Prometheus that cannot be reached (a network partition): every
/// driver and metrics source fails to connect. An execution therefore keeps failing and, past
/// the progress deadline, rolls back and ends Failed, without any real runtime.
struct UnreachableAccounts: AccountConnector {
    func driver(for account: Account) async throws -> any ClusterDriver {
        throw EngineError.unavailable(account: account.name, reason: "connection refused (test double)")
    }

    func metrics(for account: MetricsAccount) async throws -> any MetricsSource {
        throw EngineError.unavailable(account: account.name, reason: "connection refused (test double)")
    }
}
