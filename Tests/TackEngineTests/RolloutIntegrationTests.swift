import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TackCore
import TackEngine
import Testing

/// Whole rollouts on the real local runtime with a real Prometheus: two accounts, a canary in
/// `aws` and blue-green in `gcp`, with load on every listener while they run.
@Suite("Rollouts on the local runtime", .serialized)
struct RolloutIntegrationTests {
    /// Deploys v1 as the first version everywhere.
    private func deployFirstVersion(_ harness: EngineHarness) async throws {
        let first = try await harness.rollOut(Pipelines.both("v1"))
        #expect(first.phase == .succeeded, "first deployment: \(first.message ?? "")")
        #expect(try await harness.versions("aws") == [.stable: "v1"])
        #expect(try await harness.versions("gcp") == [.active: "v1"])
    }

    @Test("a healthy version promotes in both accounts: canary in one, blue-green in the other")
    func healthyVersionPromotes() async throws {
        try await EngineHarness.with { harness in
            try await deployFirstVersion(harness)
            harness.startLoad()
            let execution = try await harness.rollOut(Pipelines.both("v2"))
            #expect(execution.phase == .succeeded, "\(execution.message ?? "")")
            #expect(execution.accounts.allSatisfy { $0.phase == .succeeded })
            let aws = try await harness.status("aws"), gcp = try await harness.status("gcp")
            #expect(try await harness.versions("aws") == [.stable: "v2"])
            #expect(try await harness.versions("gcp") == [.active: "v2"])
            #expect(aws.traffic == .all(to: .stable) && aws[.stable]?.available == 2)
            #expect(gcp.traffic == .all(to: .active) && gcp[.active]?.available == 2)
            #expect(harness.load.mainFailures == 0, "\(harness.load.snapshot)")
            let measured = try harness.store.rounds(executionID: execution.id).filter(\.counted)
            #expect(Set(measured.map(\.account)) == ["aws", "gcp"], "both accounts were judged on data")
        }
    }

    @Test("a version with a 30% error rate is rolled back in both accounts, with the cause recorded")
    func errorSpikeRollsBack() async throws {
        try await EngineHarness.with { harness in
            try await deployFirstVersion(harness)
            harness.startLoad()
            let execution = try await harness.rollOut(Pipelines.both("bad", pause: "30s"))
            #expect(execution.phase == .rolledBack, "\(execution.message ?? "")")
            let cause = try #require(execution.cause)
            #expect(cause.metric == "errorRate" && cause.condition == "errorRate > 5%")
            #expect((cause.value ?? 0) > 0.2 && cause.limit == 0.05)
            #expect(["aws", "gcp"].contains(cause.account))
            #expect(execution.accounts.allSatisfy { $0.phase == .rolledBack })
            #expect(try await harness.versions("aws") == [.stable: "v1"])
            #expect(try await harness.versions("gcp") == [.active: "v1"])
            #expect(try await harness.status("aws").traffic == .all(to: .stable))
            #expect(try await harness.status("gcp").traffic == .all(to: .active))
        }
    }

    @Test("a p99 latency regression above 2 s is rolled back")
    func latencyRegressionRollsBack() async throws {
        try await EngineHarness.with { harness in
            try await deployFirstVersion(harness)
            harness.startLoad()
            let execution = try await harness.rollOut(Pipelines.both("slow", pause: "30s"))
            #expect(execution.phase == .rolledBack, "\(execution.message ?? "")")
            let cause = try #require(execution.cause)
            #expect(cause.metric == "latency.p99" && (cause.value ?? 0) > 2)
            #expect(try await harness.versions("aws") == [.stable: "v1"])
            #expect(try await harness.versions("gcp") == [.active: "v1"])
        }
    }

    @Test("a canary without traffic never promotes: the rollout pauses for a person")
    func noTrafficNeverPromotes() async throws {
        try await EngineHarness.with { harness in
            try await deployFirstVersion(harness)
            let outcome = try await harness.apply(Pipelines.both("v2"))
            let execution = try await harness.waitUntilEnded(outcome.execution.id, timeout: .seconds(90), orPaused: true)
            #expect(execution.phase == .paused, "\(execution.message ?? "")")
            #expect(execution.pauseReason?.contains("Inconclusive") == true, "\(execution.pauseReason ?? "")")
            #expect(try await harness.status("aws")[.stable]?.image.tag == "v1")
            #expect(try await harness.status("gcp")[.active]?.image.tag == "v1")
        }
    }

    @Test("Prometheus stopped in the middle of the analysis never promotes")
    func prometheusStoppedNeverPromotes() async throws {
        try await EngineHarness.with { harness in
            try await deployFirstVersion(harness)
            harness.startLoad()
            let outcome = try await harness.apply(Pipelines.both("v2", pause: "20s"))
            // Wait until the monitor has judged the canary on real data, then stop Prometheus.
            let deadline = ContinuousClock.now + .seconds(60)
            while try harness.store.rounds(executionID: outcome.execution.id).filter({ $0.counted && $0.account == "aws" }).isEmpty {
                try #require(ContinuousClock.now < deadline, "the monitor never measured the canary")
                try await Task.sleep(for: .milliseconds(250))
            }
            let prometheus = try #require(try await harness.runtime.snapshot().prometheus)
            kill(prometheus.pid, SIGSTOP)
            defer { kill(prometheus.pid, SIGCONT) }
            let execution = try await harness.waitUntilEnded(outcome.execution.id, timeout: .seconds(90), orPaused: true)
            #expect(execution.phase == .rolledBack || execution.phase == .paused, "\(execution.phase): \(execution.message ?? "")")
            #expect(execution.message?.contains("Error") == true, "\(execution.message ?? "")")
            #expect(try await harness.status("aws")[.stable]?.image.tag == "v1")
            #expect(try await harness.status("gcp")[.active]?.image.tag == "v1")
        }
    }
}
