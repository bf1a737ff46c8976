import Foundation
import TackCore
import TackEngine
import Testing

extension ExecutionDeciderTests {
    /// A step that waits for a person, and the call the rollout makes right after `promote`.
    struct PromotionWait: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var cluster: String
        var serving: Track
        var afterPromote: DriverAction
    }

    static let promotionWaits = [
        PromotionWait(testDescription: "a canary pause without a duration",
                      cluster: F.canary(F.aws, steps: "[{setWeight: 20}, {pause: {}}, {setWeight: 60}]"), serving: .stable,
                      afterPromote: .scale(app: "shop", track: .canary, replicas: 2)),
        PromotionWait(testDescription: "blue-green with autoPromote false",
                      cluster: F.blueGreen(F.aws, targetSize: 2, previewReplicas: 2, autoPromote: false), serving: .active,
                      afterPromote: .setTraffic(app: "shop", .all(to: .preview))),
    ]

    @Test("a step that waits for promote pauses the execution without calls until a person promotes", arguments: promotionWaits)
    func waitsForPromote(_ wait: PromotionWait) throws {
        var sim = DeciderSimulation(try F.plan(F.deploy(wait.cluster), F.monitor, F.rollback()))
        sim.accounts.seed(F.aws, wait.serving, Self.v1, replicas: wait.serving == .stable ? 3 : 2)

        #expect(sim.run { $0.execution.phase == .paused })
        #expect(sim.execution.pauseReason?.contains("waiting for promote") == true)
        let calls = sim.accounts.calls
        #expect(sim.run { $0.now >= F.t0.addingTimeInterval(600) })
        #expect(sim.execution.phase == .paused && sim.accounts.calls == calls)

        sim.judge(.promote)
        sim.pass()
        #expect(sim.execution.phase != .paused)
        #expect(sim.rollout(F.aws).analysisEpoch == 1)
        #expect(sim.run { $0.accounts.calls.count > calls.count })
        #expect(sim.accounts.calls[calls.count].action == wait.afterPromote)
        #expect(sim.runToEnd() == .succeeded)
        #expect(sim.accounts.violations == [])
    }

    @Test("promote after a monitor pause does not skip an analysis step that is still measuring")
    func promoteKeepsRunningAnalysis() throws {
        // The monitor fails once, 5s in, while the analysis step (latency, 5 rounds) measures a healthy canary.
        let failsAt = F.t0.addingTimeInterval(5)
        var sim = try Self.canary(
            steps: "[{setWeight: 20}, {analysis: {count: 5, interval: 2s, conditions: ['latency > 1s']}}]", trigger: "manual"
        ) { spec, time, accounts in
            let failing = spec.name == AnalysisSpec.monitorName(epoch: 0) && time >= failsAt
            return Metrics.byTraffic(failing ? .errorRate(0.31) : .healthy)(spec, time, accounts)
        }
        #expect(sim.run { $0.execution.phase == .paused })
        #expect(sim.rollout(F.aws).step == 2, "paused on the analysis step")
        #expect(sim.rounds(F.aws, AnalysisSpec.stepName(2, epoch: 0)).count < 5)

        sim.judge(.promote)
        #expect(sim.runToEnd() == .succeeded)
        #expect(!sim.events.contains { $0.message.contains("skipped by promote") })
        let rounds = sim.rounds(F.aws, AnalysisSpec.stepName(2, epoch: 1))
        #expect(rounds.filter(\.counted).count == 5, "the gate measured afresh before promotion")
        let promoted = try #require(sim.accounts.calls.first { $0.action == Self.spec(.stable, Self.v2, 3) })
        #expect(rounds.last.map { $0.time <= promoted.time } == true)
    }
}
