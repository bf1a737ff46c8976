import Foundation
import TackCore
import TackEngine
import Testing

extension ExecutionDeciderTests {
    /// The calls made in `account` from the pass the rollback started in.
    static func rollbackCalls(_ sim: DeciderSimulation, _ account: String) throws -> [DriverAction] {
        let start = try #require(sim.firstPass { $0.phase == .rollingBack }).number
        return sim.accounts.calls.filter { $0.pass >= start && $0.account == account }.map(\.action)
    }

    @Test("a failed errorRate check rolls back every account, traffic first, and skips the stages not started")
    func failedMonitorRollsBack() throws {
        let plan = try F.plan(
            F.deploy(F.canary(F.aws, steps: "[{setWeight: 20}, {pause: 5m}]"), F.blueGreen(F.gcp, scaleDownDelay: "5m")),
            F.deploy(F.canary(F.azure, steps: "[{setWeight: 20}]")),
            F.monitor, F.rollback())
        let failsAt = F.t0.addingTimeInterval(60)
        var sim = DeciderSimulation(plan) { spec, time, accounts in
            let reading = Metrics.byTraffic()(spec, time, accounts)
            return spec.account == F.aws && time >= failsAt && reading.requests > 0 ? .errorRate(0.31) : reading
        }
        sim.accounts.seed(F.aws, .stable, Self.v1, replicas: 3)
        sim.accounts.seed(F.gcp, .active, Self.v1, replicas: 2)
        sim.accounts.seed(F.azure, .stable, Self.v1, replicas: 3)

        #expect(sim.run { $0.now >= failsAt })
        #expect(sim.execution.phase == .progressing)
        #expect(sim.accounts.status(F.aws).traffic == .canary(20), "aws pauses with 20% on its canary")
        #expect(sim.accounts.status(F.gcp).traffic == .all(to: .preview), "gcp has switched and keeps its old color")

        #expect(sim.runToEnd() == .rolledBack)
        #expect(try Self.rollbackCalls(sim, F.aws) == Self.canaryRollback)
        #expect(try Self.rollbackCalls(sim, F.gcp) == [.setTraffic(app: "shop", .all(to: .active)), .delete(app: "shop", track: .preview)])
        #expect(sim.calls(in: F.azure) == [])
        let cause = try #require(sim.execution.cause)
        #expect(cause.account == F.aws && cause.metric == "errorRate" && cause.condition == "errorRate > 5%")
        #expect(cause.value == 0.31 && cause.limit == 0.05)
        #expect(sim.execution.rollbackEnding == .rolledBack)
        #expect(sim.execution.accounts.map(\.phase) == [.rolledBack, .rolledBack, .skipped])
        #expect(sim.accounts.status(F.aws) == WorkloadStatus(
            app: "shop", tracks: [TrackStatus(track: .stable, image: Self.v1, desired: 3, updated: 3, ready: 3, available: 3)],
            traffic: .all(to: .stable)))
        #expect(sim.events.contains { $0.kind == .rollbackStarted && $0.message.contains("errorRate > 5% in \(F.aws)") })
        #expect(sim.accounts.violations == [])
    }

    @Test("under trigger manual a failed condition pauses without calls; promote resumes with fresh analyses, abort rolls back",
          arguments: [Judgment.promote, .abort])
    func manualTrigger(_ judgment: Judgment) throws {
        // Errors until a person promotes past them (the analyses' epoch 1 measures a fixed version).
        var sim = try Self.canary(trigger: "manual") { spec, time, accounts in
            let reading: Reading = spec.name == AnalysisSpec.monitorName(epoch: 0) ? .errorRate(0.31) : .healthy
            return Metrics.byTraffic(reading)(spec, time, accounts)
        }
        #expect(sim.run { $0.execution.phase == .paused })
        #expect(sim.passes.last?.decision.actions == [], "pausing makes no call")
        let cause = try #require(sim.execution.cause)
        #expect(cause.account == F.aws && cause.metric == "errorRate" && cause.value == 0.31 && cause.limit == 0.05)
        #expect(sim.execution.pauseReason?.contains("promote to go on, abort to roll back") == true)

        let calls = sim.accounts.calls
        for _ in 0..<30 { sim.pass() }
        #expect(sim.execution.phase == .paused && sim.accounts.calls == calls, "a paused execution waits without calls")

        sim.judge(judgment)
        let decision = sim.pass()
        #expect(decision.execution.judgment == nil)
        #expect(decision.events.contains { $0.kind == .judgment })
        switch judgment {
        case .promote:
            #expect(decision.execution.phase != .paused && decision.execution.pauseReason == nil && decision.execution.cause == nil)
            #expect(sim.rollout(F.aws).analysisEpoch == 1)
            #expect(sim.runToEnd() == .succeeded)
            #expect(!sim.rounds(F.aws, AnalysisSpec.monitorName(epoch: 1)).isEmpty, "the monitor measured afresh")
            #expect(sim.calls(in: F.aws).suffix(3) == [
                Self.spec(.stable, Self.v2, 3), .setTraffic(app: "shop", .all(to: .stable)), .delete(app: "shop", track: .canary),
            ])
        case .abort:
            #expect(sim.runToEnd() == .aborted)
            #expect(try Self.rollbackCalls(sim, F.aws) == Self.canaryRollback)
            #expect(sim.rollout(F.aws).phase == .rolledBack)
        }
        #expect(sim.accounts.violations == [])
    }

    @Test("a canary that gets no requests is never promoted: rounds do not count while it warms up, then it pauses",
          arguments: zip([15, 2], [15.0, 6.0]))
    func noTraffic(warmUp: Int, effectiveWarmUp: Double) throws {
        var sim = try Self.canary(steps: "[{setWeight: 20}]", options: EngineOptions(warmUp: .seconds(warmUp)),
                                  metrics: Metrics.always(.noTraffic))

        #expect(sim.run { $0.execution.phase == .paused })
        let started = try #require(sim.rollout(F.aws).monitorStartedAt)
        let rounds = sim.rounds(F.aws, AnalysisSpec.monitorName(epoch: 0))
        let warmUpEnds = started.addingTimeInterval(effectiveWarmUp)
        #expect(rounds.count >= 2)
        #expect(rounds.dropLast().allSatisfy { !$0.counted && $0.time < warmUpEnds }, "not counted while warming up")
        #expect(rounds.last.map { $0.counted && $0.time >= warmUpEnds } == true, "counted after")
        #expect(sim.execution.pauseReason?.contains("Inconclusive") == true)
        #expect(sim.execution.cause?.account == F.aws)

        for _ in 0..<60 { sim.pass() }
        #expect(sim.execution.phase == .paused)
        #expect(!sim.calls(in: F.aws).contains { if case .apply(let spec) = $0 { spec.track == .stable } else { false } },
                "the stable track never gets the new image")
        #expect(sim.accounts.status(F.aws)[.stable]?.image == Self.v1)
    }

    @Test("an analysis step that fails rolls back; one that passes its count of rounds lets the canary go on",
          arguments: [0.2, 1.5])
    func analysisStep(latency: Double) throws {
        var sim = try Self.canary(
            steps: "[{setWeight: 20}, {analysis: {count: 3, interval: 2s, conditions: ['latency > 1s']}}, {setWeight: 50}]",
            metrics: Metrics.byTraffic(.latency(latency)))
        let name = AnalysisSpec.stepName(2, epoch: 0)
        if latency > 1 {
            #expect(sim.runToEnd() == .rolledBack)
            #expect(sim.rounds(F.aws, name).count == 1)
            let cause = try #require(sim.execution.cause)
            #expect(cause.account == F.aws && cause.metric == "latency.p99" && cause.value == 1.5 && cause.limit == 1)
            #expect(sim.execution.message?.contains("the analysis of step 3") == true)
            #expect(try Self.rollbackCalls(sim, F.aws) == Self.canaryRollback)
        } else {
            #expect(sim.run { $0.rollout(F.aws).step > 2 })
            let rounds = sim.rounds(F.aws, name)
            #expect(rounds.count == 3 && rounds.allSatisfy(\.counted))
            #expect(rounds[2].time.timeIntervalSince(rounds[0].time) >= 4)
            let measuring = sim.accounts.calls.filter { $0.time >= rounds[0].time && $0.time < rounds[2].time }
            #expect(measuring == [], "nothing moves while the analysis measures")
            #expect(sim.calls(in: F.aws).last == .scale(app: "shop", track: .canary, replicas: 2), "the next step starts")
            #expect(sim.runToEnd() == .succeeded)
            #expect(sim.calls(in: F.aws).contains(.setTraffic(app: "shop", .canary(50))))
        }
        #expect(sim.accounts.violations == [])
    }

    @Test("a new version whose replicas never become ready rolls back as failed once the progress deadline has passed",
          arguments: ["canary", "bluegreen"])
    func crashLoop(strategy: String) throws {
        let (cluster, serving, candidate) = strategy == "canary"
            ? (F.canary(F.aws, steps: "[{setWeight: 20}]"), Track.stable, Track.canary)
            : (F.blueGreen(F.aws, targetSize: 3), Track.active, Track.preview)
        var sim = DeciderSimulation(try F.plan(F.deploy(cluster)), options: EngineOptions(progressDeadline: .seconds(60)))
        sim.accounts.seed(F.aws, serving, Self.v1, replicas: 3)
        let crash = "replica shop-1 exited with status 1 and restarted 4 times (back-off)"
        sim.accounts.readiness = { _, image in image == Self.v2 ? .never(crash) : .instant }

        #expect(sim.runToEnd() == .failed)
        #expect(sim.execution.rollbackEnding == .failed)
        let rollback = try #require(sim.firstPass { $0.phase == .rollingBack })
        let waitStarted = try #require(sim.accounts.calls.last { $0.pass < rollback.number }).time
        let waited = rollback.observation.now.timeIntervalSince(waitStarted)
        #expect(waited > 60 && waited < 62, "rolled back \(waited)s after the replicas were asked for")
        #expect(sim.execution.message?.contains("progress deadline") == true)
        #expect(sim.execution.message?.contains(crash) == true)
        #expect(try Self.rollbackCalls(sim, F.aws) == [.delete(app: "shop", track: candidate)])
        #expect(sim.accounts.status(F.aws) == WorkloadStatus(
            app: "shop", tracks: [TrackStatus(track: serving, image: Self.v1, desired: 3, updated: 3, ready: 3, available: 3)],
            traffic: .all(to: serving)))
        #expect(sim.accounts.violations == [])
    }

    @Test("a new version the cluster gives up on (ProgressDeadlineExceeded) rolls back at once, without waiting for Tack's deadline",
          arguments: ["canary", "bluegreen"])
    func clusterGaveUp(strategy: String) throws {
        let (cluster, serving, candidate) = strategy == "canary"
            ? (F.canary(F.aws, steps: "[{setWeight: 20}]"), Track.stable, Track.canary)
            : (F.blueGreen(F.aws, targetSize: 3), Track.active, Track.preview)
        var sim = DeciderSimulation(try F.plan(F.deploy(cluster)), options: EngineOptions(progressDeadline: .seconds(600)))
        sim.accounts.seed(F.aws, serving, Self.v1, replicas: 3)
        let failure = #"deployment "shop-canary" exceeded its progress deadline"#
        sim.accounts.readiness = { _, image in image == Self.v2 ? .fails(failure) : .instant }

        #expect(sim.runToEnd() == .failed)
        let rollback = try #require(sim.firstPass { $0.phase == .rollingBack })
        let asked = try #require(sim.accounts.calls.last { $0.pass < rollback.number }).time
        #expect(rollback.observation.now.timeIntervalSince(asked) < 5, "rolled back on the next pass, not after 600 s")
        #expect(sim.execution.message?.contains(failure) == true)
        #expect(try Self.rollbackCalls(sim, F.aws) == [.delete(app: "shop", track: candidate)])
        #expect(sim.accounts.violations == [])
    }
}
