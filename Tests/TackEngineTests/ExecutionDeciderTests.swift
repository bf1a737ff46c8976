import Foundation
import TackCore
import TackEngine
import Testing

/// The decider driven through whole rollouts on simulated accounts: no I/O, no sleeps, a fake clock.
/// More cases are in `Decider/ExecutionDeciderTests+*.swift`.
@Suite("execution decider")
struct ExecutionDeciderTests {
    typealias F = DeciderFixtures

    static let v1 = F.image("v1")
    static let v2 = F.image("v2")

    static func spec(_ track: Track, _ image: ImageRef, _ replicas: Int) -> DriverAction {
        .apply(TrackSpec(app: "shop", track: track, image: image, replicas: replicas))
    }

    /// A canary account's way back: all traffic to stable, then the canary removed.
    static let canaryRollback: [DriverAction] = [.setTraffic(app: "shop", .all(to: .stable)), .delete(app: "shop", track: .canary)]

    // MARK: - First deployment

    @Test("a first deployment makes the new version serve at once, without a canary or preview",
          arguments: zip(["canary", "bluegreen"], [Track.stable, .active]))
    func firstDeployment(strategy: String, serving: Track) throws {
        let cluster = strategy == "canary" ? F.canary(F.aws, steps: "[{setWeight: 20}, {pause: 1m}]")
            : F.blueGreen(F.aws, targetSize: 3)
        var sim = DeciderSimulation(try F.plan(F.deploy(cluster), F.monitor, F.rollback()))
        sim.accounts.readiness = { _, _ in .afterPasses(2) }

        #expect(sim.runToEnd() == .succeeded)
        #expect(sim.calls(in: F.aws) == [Self.spec(serving, Self.v2, 3), .setTraffic(app: "shop", .all(to: serving))])
        let calls = sim.accounts.calls
        #expect(calls[1].pass - calls[0].pass >= 2, "traffic waits until the replicas are ready")
        #expect(sim.accounts.status(F.aws) == WorkloadStatus(
            app: "shop", tracks: [TrackStatus(track: serving, image: Self.v2, desired: 3, updated: 3, ready: 3, available: 3)],
            traffic: .all(to: serving)))
        let rollout = sim.rollout(F.aws)
        #expect(rollout.mode == .initial && rollout.phase == .succeeded && rollout.previousImage == nil)
        #expect(sim.rounds.isEmpty, "nothing to compare a first version with")
        #expect(sim.accounts.violations == [])
    }

    // MARK: - Canary walk

    /// A canary of 3 in aws (stable v1) with `steps`, watched by the monitor.
    static func canary(steps: String = "[{setWeight: 20}, {pause: 10s}]", trigger: String = "automatic",
                       options: EngineOptions = DeciderSimulation.options,
                       metrics: @escaping MetricsScript = Metrics.byTraffic()) throws -> DeciderSimulation {
        var sim = DeciderSimulation(try F.plan(F.deploy(F.canary(F.aws, steps: steps)), F.monitor, F.rollback(trigger)),
                                    options: options, metrics: metrics)
        sim.accounts.seed(F.aws, .stable, v1, replicas: 3)
        return sim
    }

    @Test("a canary starts without traffic, takes its share once ready, pauses, then is promoted and removed")
    func canaryWalk() throws {
        var sim = try Self.canary()
        sim.accounts.readiness = { _, _ in .afterPasses(2) }

        #expect(sim.runToEnd() == .succeeded)
        #expect(sim.calls(in: F.aws) == [
            Self.spec(.canary, Self.v2, 0),
            .scale(app: "shop", track: .canary, replicas: 1),
            .setTraffic(app: "shop", .canary(20)),
            Self.spec(.stable, Self.v2, 3),
            .setTraffic(app: "shop", .all(to: .stable)),
            .delete(app: "shop", track: .canary),
        ])
        let calls = sim.accounts.calls
        #expect(calls[2].pass - calls[1].pass >= 2, "the weight waits until the canary's replica is ready")
        #expect(calls[3].time.timeIntervalSince(calls[2].time) >= 10, "promotion waits for the 10s pause")
        #expect(calls[4].pass - calls[3].pass >= 2, "traffic moves once the new stable is rolled out")
        #expect(sim.phases == [.deploying, .progressing, .promoting, .succeeded])
        for pass in sim.passes {
            let stable = try #require(pass.workloads[F.aws]?[.stable])
            #expect(stable.desired == 3 && stable.ready >= 3, "pass \(pass.number): stable \(stable.ready)/\(stable.desired)")
        }
        #expect(sim.accounts.status(F.aws) == WorkloadStatus(
            app: "shop", tracks: [TrackStatus(track: .stable, image: Self.v2, desired: 3, updated: 3, ready: 3, available: 3)],
            traffic: .all(to: .stable)))
        let rollout = sim.rollout(F.aws)
        #expect(rollout.mode == .progressive && rollout.previousImage == Self.v1 && rollout.phase == .succeeded)
        #expect(sim.accounts.violations == [])
    }

    @Test("a timed pause completes only once its duration has passed", arguments: [5, 30, 90])
    func timedPause(seconds: Int) throws {
        var sim = try Self.canary(steps: "[{setWeight: 20}, {pause: \(seconds)s}, {setWeight: 40}]")
        #expect(sim.run { $0.rollout(F.aws).step == 2 })
        let started = try #require(sim.rollout(F.aws).stepStartedAt)
        #expect(sim.run { $0.rollout(F.aws).step == 3 })
        let completed = try #require(sim.events.last { $0.kind == .stepCompleted && $0.message.contains("pause") })
        #expect(completed.time.timeIntervalSince(started) >= Double(seconds))
        #expect(completed.time.timeIntervalSince(started) < Double(seconds) + 5.5, "nor much later (one resync)")
        #expect(sim.calls(in: F.aws).last == .scale(app: "shop", track: .canary, replicas: 2))
    }

    // MARK: - Idempotence

    /// Whole rollouts the idempotence test replays pass by pass.
    enum Scenario: String, CaseIterable, Sendable {
        case canaryWalk, blueGreen, canaryRollback, blueGreenRollback, twoAccounts
    }

    static func simulation(_ scenario: Scenario) throws -> DeciderSimulation {
        switch scenario {
        case .canaryWalk:
            var sim = try canary(steps: "[{setWeight: 20}, {pause: 4s}, {setWeight: 100}]")
            sim.accounts.readiness = { _, _ in .afterPasses(2) }
            return sim
        case .canaryRollback:
            return try canary(metrics: Metrics.byTraffic(.errorRate(0.31)))
        case .blueGreen, .blueGreenRollback:
            var sim = try blueGreen(metrics: scenario == .blueGreen ? Metrics.byTraffic() : Metrics.failingAfterSwitch())
            sim.accounts.readiness = { _, _ in .afterPasses(1) }
            return sim
        case .twoAccounts:
            let plan = try F.plan(F.deploy(F.canary(F.aws, steps: "[{setWeight: 50}]"), F.blueGreen(F.gcp, scaleDownDelay: "2s")),
                                  F.monitor, F.rollback())
            var sim = DeciderSimulation(plan)
            sim.accounts.seed(F.aws, .stable, v1, replicas: 3)
            sim.accounts.seed(F.gcp, .active, v1, replicas: 2)
            sim.accounts.readiness = { account, _ in account == F.aws ? .afterPasses(3) : .instant }
            return sim
        }
    }

    @Test("deciding the same observation twice gives the same calls, and a pass after a crash repeats no call that took effect",
          arguments: Scenario.allCases)
    func idempotent(_ scenario: Scenario) throws {
        var sim = try Self.simulation(scenario)
        try sim.runReplayingEachPass()
        let expected: ExecutionPhase = scenario == .canaryRollback || scenario == .blueGreenRollback ? .rolledBack : .succeeded
        #expect(sim.execution.phase == expected)
        #expect(sim.accounts.violations == [])
    }

    // MARK: - Already current

    /// What runs in an account that already has the new version, and the calls that finish it.
    struct Leftovers: Sendable, CustomTestStringConvertible {
        var name: String
        var strategy: String
        var seed: [(Track, ImageRef, Int, Int)]
        var calls: [DriverAction]
        var testDescription: String { name }
    }

    static let leftovers: [Leftovers] = [
        Leftovers(name: "nothing left", strategy: "canary", seed: [(.stable, v2, 3, 100)], calls: []),
        Leftovers(name: "a canary with traffic", strategy: "canary", seed: [(.stable, v2, 3, 80), (.canary, v2, 1, 20)],
                  calls: [.setTraffic(app: "shop", .all(to: .stable)), .delete(app: "shop", track: .canary)]),
        Leftovers(name: "a canary of an old image", strategy: "canary", seed: [(.stable, v2, 3, 100), (.canary, v1, 1, 0)],
                  calls: [.delete(app: "shop", track: .canary)]),
        Leftovers(name: "a preview", strategy: "bluegreen", seed: [(.active, v2, 3, 100), (.preview, v2, 1, 0)],
                  calls: [.delete(app: "shop", track: .preview)]),
    ]

    @Test("an account that already runs the new version only has its leftovers cleaned up", arguments: leftovers)
    func alreadyCurrent(_ leftovers: Leftovers) throws {
        let cluster = leftovers.strategy == "canary" ? F.canary(F.aws, steps: "[{setWeight: 20}]") : F.blueGreen(F.aws, targetSize: 3)
        var sim = DeciderSimulation(try F.plan(F.deploy(cluster), F.monitor, F.rollback()))
        for (track, image, replicas, traffic) in leftovers.seed {
            sim.accounts.seed(F.aws, track, image, replicas: replicas, traffic: traffic)
        }
        #expect(sim.runToEnd() == .succeeded)
        #expect(sim.calls(in: F.aws) == leftovers.calls)
        let rollout = sim.rollout(F.aws)
        #expect(rollout.mode == .current && rollout.phase == .succeeded)
        #expect(sim.rounds.isEmpty, "nothing new to measure")
        #expect(sim.accounts.violations == [])
    }
}
