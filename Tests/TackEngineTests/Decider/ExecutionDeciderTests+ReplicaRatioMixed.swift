import Foundation
import TackCore
import TackEngine
import Testing

/// Replica-routed accounts beside weighted ones, in the other strategies, and after a crash.
extension ExecutionDeciderTests {
    @Test("in one stage, a weighted account sets weights while a replica-routed one only moves replicas")
    func mixedRouting() throws {
        var sim = try Self.mixedRouting()

        #expect(sim.runToEnd() == .succeeded)
        #expect(sim.calls(in: F.aws) == [
            Self.spec(.canary, Self.v2, 0),
            .scale(app: "shop", track: .canary, replicas: 1),
            .setTraffic(app: "shop", .canary(20)),
            Self.spec(.stable, Self.v2, 3),
            .setTraffic(app: "shop", .all(to: .stable)),
            .delete(app: "shop", track: .canary),
        ], "the weighted account does what it does alone")
        #expect(sim.calls(in: F.gke) == [
            Self.spec(.canary, Self.v2, 0),
            .scale(app: "shop", track: .canary, replicas: 1),
            .scale(app: "shop", track: .stable, replicas: 4),
            Self.spec(.stable, Self.v2, 5),
            .delete(app: "shop", track: .canary),
        ])
        for pass in sim.passes {
            let aws = try #require(pass.workloads[F.aws]?[.stable])
            #expect(aws.desired == 3, "pass \(pass.number): the weighted stable keeps its size")
        }
        #expect(Self.completedSteps(sim, F.gke).contains("setWeight 20%: stable v1 4/4, canary v2 1/1 (stable=80 canary=20)"))
        #expect(Self.completedSteps(sim, F.aws).contains("setWeight 20%: stable v1 3/3, canary v2 1/1 (stable=80 canary=20)"))
        #expect(sim.execution.accounts.map(\.phase) == [.succeeded, .succeeded])
        #expect(sim.accounts.violations == [])
    }

    /// A canary with `setWeight 20` and a 10s pause in aws (weighted, stable v1 ×3) and gke (by replicas, stable v1 ×5).
    static func mixedRouting() throws -> DeciderSimulation {
        let steps = "[{setWeight: 20}, {pause: 10s}]"
        var sim = DeciderSimulation(try F.plan(F.deploy(F.canary(F.aws, steps: steps), F.canary(F.gke, targetSize: 5, steps: steps)),
                                               F.monitor, F.rollback()))
        sim.accounts.seed(F.aws, .stable, v1, replicas: 3)
        sim.accounts.seed(F.gke, .stable, v1, replicas: 5)
        sim.accounts.minimumReady[F.gke] = 5
        sim.accounts.readiness = { account, _ in account == F.gke ? .afterPasses(3) : .afterPasses(1) }
        return sim
    }

    /// A rollout in the replica-routed account that is no canary with weights, and the calls it makes there.
    struct ReplicaRoutedCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var cluster: String
        var seed: [(Track, ImageRef, Int)]
        /// Healthy until the preview takes live traffic, then failing; it rolls back.
        var failsAfterSwitch = false
        var calls: [DriverAction]
    }

    static let replicaRoutedCases = [
        ReplicaRoutedCase(testDescription: "a first canary deployment: stable serves alone, nothing to set",
                          cluster: F.canary(F.gke, steps: "[{setWeight: 20}]"), seed: [],
                          calls: [spec(.stable, v2, 3)]),
        ReplicaRoutedCase(testDescription: "a first blue-green deployment: the Service selects active",
                          cluster: F.blueGreen(F.gke, targetSize: 3), seed: [],
                          calls: [spec(.active, v2, 3), .setTraffic(app: "shop", .all(to: .active))]),
        ReplicaRoutedCase(testDescription: "blue-green switches the Service to the preview",
                          cluster: F.blueGreen(F.gke), seed: [(.active, v1, 2)],
                          calls: [spec(.preview, v2, 1), .scale(app: "shop", track: .preview, replicas: 2),
                                  .setTraffic(app: "shop", .all(to: .preview)), .replace(app: "shop", track: .active, with: .preview)]),
        ReplicaRoutedCase(testDescription: "a blue-green rollback switches the Service back",
                          cluster: F.blueGreen(F.gke), seed: [(.active, v1, 2)], failsAfterSwitch: true,
                          calls: [spec(.preview, v2, 1), .scale(app: "shop", track: .preview, replicas: 2),
                                  .setTraffic(app: "shop", .all(to: .preview)),
                                  .setTraffic(app: "shop", .all(to: .active)), .delete(app: "shop", track: .preview)]),
        ReplicaRoutedCase(testDescription: "already current with a serving canary: the canary deleted",
                          cluster: F.canary(F.gke, steps: "[{setWeight: 20}]"), seed: [(.stable, v2, 3), (.canary, v2, 1)],
                          calls: [.delete(app: "shop", track: .canary)]),
        ReplicaRoutedCase(testDescription: "already current with a canary of an old image: the canary deleted",
                          cluster: F.canary(F.gke, steps: "[{setWeight: 20}]"), seed: [(.stable, v2, 3), (.canary, v1, 1)],
                          calls: [.delete(app: "shop", track: .canary)]),
    ]

    @Test("in a replica-routed account, first deployments, clean-ups and blue-green work, and blue-green still sets traffic",
          arguments: replicaRoutedCases)
    func replicaRoutedOtherSteps(_ rollout: ReplicaRoutedCase) throws {
        var sim = DeciderSimulation(try F.plan(F.deploy(rollout.cluster), F.monitor, F.rollback()), metrics: rollout.failsAfterSwitch ? Metrics.failingAfterSwitch() : Metrics.byTraffic())
        for (track, image, replicas) in rollout.seed {
            sim.accounts.seed(F.gke, track, image, replicas: replicas)
        }
        sim.accounts.readiness = { _, _ in .afterPasses(1) }

        #expect(sim.runToEnd() == (rollout.failsAfterSwitch ? .rolledBack : .succeeded))
        #expect(sim.calls(in: F.gke) == rollout.calls)
        let serving: Track = rollout.cluster.contains("strategy: canary") ? .stable : .active
        let image = rollout.failsAfterSwitch ? Self.v1 : Self.v2
        let size = sim.accounts.status(F.gke)[serving]?.desired ?? 0
        #expect(sim.accounts.status(F.gke) == WorkloadStatus(
            app: "shop", tracks: [TrackStatus(track: serving, image: image, desired: size, updated: size, ready: size, available: size)],
            traffic: .all(to: serving)))
        #expect(sim.accounts.violations == [])
    }

    /// Replica-routed rollouts the idempotence test replays pass by pass.
    enum ReplicaScenario: String, CaseIterable, Sendable {
        case walk, rounded, rollback, superseded, mixed
    }

    static func replicaSimulation(_ scenario: ReplicaScenario) throws -> DeciderSimulation {
        switch scenario {
        case .walk: return try replicaCanary(steps: "[{setWeight: 20}, {setWeight: 50}, {pause: 4s}, {setWeight: 100}]")
        case .rounded: return try replicaCanary(steps: "[{setWeight: 10}, {setWeight: 30}]")
        case .rollback:
            return try replicaCanary(steps: "[{setWeight: 50}, {pause: 1m}]") { spec, time, accounts in
                accounts.status(spec.account).traffic[.canary] >= 60 ? .errorRate(0.31) : Metrics.byTraffic()(spec, time, accounts)
            }
        case .superseded:
            var sim = try replicaCanary(steps: "[{setWeight: 40}]")
            sim.accounts.seed(F.gke, .stable, v1, replicas: 2)
            sim.accounts.seed(F.gke, .canary, F.image("v1b"), replicas: 3)
            return sim
        case .mixed: return try mixedRouting()
        }
    }

    @Test("by replica ratio, deciding a pass again gives the same calls, and a pass after a crash repeats no call that took effect",
          arguments: ReplicaScenario.allCases)
    func replicaIdempotent(_ scenario: ReplicaScenario) throws {
        var sim = try Self.replicaSimulation(scenario)
        try sim.runReplayingEachPass()
        #expect(sim.execution.phase == (scenario == .rollback ? .rolledBack : .succeeded))
        #expect(sim.accounts.violations == [])
    }
}
