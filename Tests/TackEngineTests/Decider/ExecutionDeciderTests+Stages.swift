import Foundation
import TackCore
import TackEngine
import Testing

extension ExecutionDeciderTests {
    @Test("accounts of one stage advance in parallel: one account's slow replicas do not hold the other")
    func parallelAccounts() throws {
        let plan = try F.plan(F.deploy(F.canary(F.aws, steps: "[{setWeight: 50}]"),
                                       F.canary(F.gcp, targetSize: 2, steps: "[{setWeight: 50}]")))
        var sim = DeciderSimulation(plan)
        sim.accounts.seed(F.aws, .stable, Self.v1, replicas: 3)
        sim.accounts.seed(F.gcp, .stable, Self.v1, replicas: 2)
        sim.accounts.readiness = { account, _ in account == F.aws ? .afterPasses(30) : .instant }

        sim.pass()
        #expect(sim.passes[0].decision.actions.map(\.account).sorted() == [F.aws, F.gcp], "both start in the first pass")
        #expect(sim.run { $0.rollout(F.gcp).phase == .succeeded })
        #expect(sim.rollout(F.aws).phase == .progressing, "aws still waits for its canary")
        #expect(sim.execution.phase == .progressing)
        #expect(sim.runToEnd() == .succeeded)
        #expect(sim.accounts.violations == [])
    }

    @Test("an unreachable account does not hold the other back; unreachable past the progress deadline fails the execution",
          arguments: [20, nil] as [Int?])
    func unreachableAccount(outage: Int?) throws {
        let plan = try F.plan(F.deploy(F.canary(F.aws, steps: "[{setWeight: 50}, {pause: 10s}]"),
                                       F.canary(F.gcp, targetSize: 2, steps: "[{setWeight: 50}]")))
        var sim = DeciderSimulation(plan, options: EngineOptions(progressDeadline: .seconds(60)))
        sim.accounts.seed(F.aws, .stable, Self.v1, replicas: 3)
        sim.accounts.seed(F.gcp, .stable, Self.v1, replicas: 2)
        sim.accounts.unreachable[F.gcp] = "connect to gcp-us-west1: connection refused"

        #expect(sim.run { $0.rollout(F.aws).phase == .succeeded })
        #expect(sim.calls(in: F.gcp) == [])
        #expect(sim.rollout(F.gcp).error == "connect to gcp-us-west1: connection refused")
        #expect(sim.events.contains { $0.kind == .driverError && $0.account == F.gcp })

        if let outage {
            #expect(sim.run { $0.now >= F.t0.addingTimeInterval(Double(outage)) })
            sim.accounts.unreachable = [:]
            #expect(sim.runToEnd() == .succeeded)
            #expect(sim.execution.accounts.map(\.phase) == [.succeeded, .succeeded])
            #expect(sim.rollout(F.gcp).error == nil)
        } else {
            #expect(sim.runToEnd() == .failed)
            let rollback = try #require(sim.firstPass { $0.phase == .rollingBack })
            let after = rollback.observation.now.timeIntervalSince(F.t0)
            #expect(after > 60 && after <= 66, "rolled back \(after)s after gcp first failed")
            #expect(sim.execution.message?.contains("account \(F.gcp) kept failing") == true)
            #expect(try Self.rollbackCalls(sim, F.aws) == [Self.spec(.stable, Self.v1, 3)])
            #expect(sim.accounts.status(F.aws)[.stable]?.image == Self.v1)
            #expect(sim.calls(in: F.gcp) == [])
        }
        #expect(sim.accounts.violations == [])
    }

    @Test("stages run in order: a later stage's accounts start only after every account of the earlier stage succeeded")
    func stagesInOrder() throws {
        let plan = try F.plan(
            F.deploy(F.canary(F.aws, steps: "[{setWeight: 50}]"), F.blueGreen(F.gcp, scaleDownDelay: "4s")),
            F.deploy(F.canary(F.azure, steps: "[{setWeight: 50}]")),
            F.monitor, F.rollback())
        var sim = DeciderSimulation(plan)
        sim.accounts.seed(F.aws, .stable, Self.v1, replicas: 3)
        sim.accounts.seed(F.gcp, .active, Self.v1, replicas: 2)
        sim.accounts.seed(F.azure, .stable, Self.v1, replicas: 3)
        sim.accounts.readiness = { account, _ in account == F.aws ? .afterPasses(8) : .instant }

        #expect(sim.runToEnd() == .succeeded)
        let stageOneDone = try #require(sim.firstPass { $0.accounts.filter { $0.stage == 0 }.allSatisfy { $0.phase == .succeeded } })
        let azureStarts = try #require(sim.accounts.calls.first { $0.account == F.azure })
        #expect(azureStarts.pass >= stageOneDone.number)
        #expect(sim.passes.prefix(stageOneDone.number).allSatisfy { $0.decision.execution.rollout(F.azure)?.phase == .pending })
        let stages = sim.events.filter { $0.kind == .stageStarted }.map(\.message)
        #expect(stages.first == "stage 1 (deploy) started")
        #expect(stages.contains("stage 2 (deploy) started"))
        #expect(sim.execution.accounts.allSatisfy { $0.phase == .succeeded })
        #expect(sim.accounts.violations == [])
    }

    /// A manual judgment stage and what ends its wait.
    struct JudgmentCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var stage: String
        var ending: ExecutionPhase
        var promotes: Bool
    }

    static let judgments = [
        JudgmentCase(testDescription: "no timeout: waits for promote",
                     stage: "- type: manualJudgment\n  instructions: compare the checkout funnels", ending: .succeeded, promotes: true),
        JudgmentCase(testDescription: "timeout with rollback",
                     stage: "- type: manualJudgment\n  timeout: 5m\n  onTimeout: rollback", ending: .rolledBack, promotes: false),
        JudgmentCase(testDescription: "timeout with continue",
                     stage: "- type: manualJudgment\n  timeout: 5m\n  onTimeout: continue", ending: .succeeded, promotes: false),
    ]

    @Test("a manual judgment stage pauses until promote, or until its timeout rolls back or continues", arguments: judgments)
    func manualJudgment(_ judgment: JudgmentCase) throws {
        let plan = try F.plan(F.deploy(F.canary(F.aws, steps: "[{setWeight: 50}]")), judgment.stage,
                              F.deploy(F.canary(F.gcp, targetSize: 2, steps: "[{setWeight: 50}]")))
        var sim = DeciderSimulation(plan)
        sim.accounts.seed(F.aws, .stable, Self.v1, replicas: 3)
        sim.accounts.seed(F.gcp, .stable, Self.v1, replicas: 2)

        #expect(sim.run { $0.execution.phase == .paused })
        #expect(sim.execution.stage == 1 && sim.rollout(F.aws).phase == .succeeded)
        #expect(sim.execution.pauseReason?.hasPrefix("manual judgment") == true)
        let started = try #require(sim.execution.stageStartedAt)
        let calls = sim.accounts.calls
        #expect(sim.run { $0.now >= started.addingTimeInterval(299) })
        #expect(sim.execution.phase == .paused && sim.accounts.calls == calls, "waits without calls")
        let waiting = sim.passes.drop { $0.decision.execution.phase != .paused }.dropFirst()
        #expect(!waiting.isEmpty && waiting.allSatisfy { $0.decision.events.isEmpty }, "nor events")
        #expect(sim.calls(in: F.gcp) == [])

        if judgment.promotes {
            #expect(sim.run { $0.now >= started.addingTimeInterval(3_600) })
            #expect(sim.execution.phase == .paused, "no timeout: waits as long as it takes")
            sim.judge(.promote)
        }
        #expect(sim.runToEnd() == judgment.ending)
        let resumed = try #require(sim.firstPass { $0.stage > 1 || $0.phase == .rollingBack })
        #expect(resumed.observation.now >= started.addingTimeInterval(300))
        #expect(resumed.observation.now < started.addingTimeInterval(judgment.promotes ? 3_610 : 306))
        switch judgment.ending {
        case .rolledBack:
            #expect(try Self.rollbackCalls(sim, F.aws) == [Self.spec(.stable, Self.v1, 3)])
            #expect(sim.execution.accounts.map(\.phase) == [.rolledBack, .skipped])
            #expect(sim.calls(in: F.gcp) == [])
        default:
            #expect(sim.execution.accounts.map(\.phase) == [.succeeded, .succeeded])
            #expect(sim.accounts.status(F.gcp)[.stable]?.image == Self.v2)
        }
        #expect(sim.accounts.violations == [])
    }
}

extension Execution {
    /// The rollout of `account` (its first, when it is in several stages).
    func rollout(_ account: String) -> AccountRollout? {
        accounts.first { $0.account == account }
    }
}
