import Foundation
import TackCore
import TackEngine

/// Values the store tests build on.
enum StoreFixtures {
    /// A time with a fraction that a lossy date encoding would round.
    static let t0 = Date(timeIntervalSinceReferenceDate: 796_000_000.123_456_789)

    /// The accounts of a two-stage pipeline: aws-dev first, then both prod accounts.
    static let accounts = [
        AccountRollout(account: "aws-dev", stage: 0),
        AccountRollout(account: "aws-prod", stage: 1),
        AccountRollout(account: "gcp-prod", stage: 1),
    ]

    /// A revision of `app` whose files hash to `digest`.
    static func revision(_ app: String = "shop", digest: String, number: Int = 0) -> PipelineRevision {
        PipelineRevision(
            app: app, number: number, digest: digest, pipelinePath: "/etc/tack/\(app).yaml",
            pipelineText: "app: \(app)\n# \(digest)\n", accountsPath: "/etc/tack/accounts.yaml",
            accountsText: "accounts: []\n", appliedAt: t0)
    }

    /// `rollout` with every field set.
    static func everyField(_ rollout: AccountRollout, now: Date) -> AccountRollout {
        var rollout = rollout
        rollout.phase = .progressing
        rollout.mode = .progressive
        rollout.step = 3
        rollout.stepStartedAt = now
        let digest = "sha256:" + String(repeating: "a", count: 64)
        rollout.image = ImageRef(domain: "registry.local", path: "shop/web", tag: "v2", digest: digest)
        rollout.previousImage = ImageRef(domain: nil, path: "shop/web", tag: "v1", digest: nil)
        rollout.analysisEpoch = 2
        rollout.monitorStartedAt = now.addingTimeInterval(-0.1)
        rollout.waitingFor = "analysis step.3.2"
        rollout.error = "connection refused"
        rollout.errorSince = now.addingTimeInterval(-30.25)
        rollout.failures = 4
        rollout.retryAt = now.addingTimeInterval(1.0 / 3.0)
        return rollout
    }

    /// A round of `analysis` in `account` with the given measurements.
    static func round(_ executionID: Int64, _ account: String, _ analysis: String, _ round: Int,
                      _ measurements: [MeasurementRecord], counted: Bool = true) -> AnalysisRecord {
        AnalysisRecord(
            executionID: executionID, account: account, analysis: analysis, round: round, counted: counted,
            time: t0.addingTimeInterval(Double(round) / 7), measurements: measurements)
    }

    /// An errorRate measurement with value `value`.
    static func errorRate(_ value: Double?, phase: String = "successful") -> MeasurementRecord {
        MeasurementRecord(
            condition: "errorRate > 5%", metric: "errorRate", phase: phase, value: value, stableValue: 0.001,
            limit: 0.05, requests: 1234, reason: "errorRate \(value ?? 0) <= 5%")
    }

    /// Runs `body` with the path of a database file in a new temporary directory (not yet created),
    /// removed afterwards.
    static func withDatabase<T>(_ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory.appendingPathComponent("state/engine.db").path)
    }
}
