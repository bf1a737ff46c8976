import Foundation
import TackCore
import TackEngine
import Testing

/// Canary rollouts in an account that splits traffic by the ratio of ready replicas (Kubernetes
/// with `traffic: replicas`): a weight is a replica count per track, and traffic is never set.
extension ExecutionDeciderTests {
    /// A canary of 5 in gke (stable v1 ×5) with `steps`, watched by the monitor; stable and canary
    /// must keep 5 ready replicas together after every call.
    static func replicaCanary(steps: String, metrics: @escaping MetricsScript = Metrics.byTraffic()) throws -> DeciderSimulation {
        var sim = DeciderSimulation(try F.plan(F.deploy(F.canary(F.gke, targetSize: 5, steps: steps)), F.monitor, F.rollback()),
                                    metrics: metrics)
        sim.accounts.seed(F.gke, .stable, v1, replicas: 5)
        sim.accounts.minimumReady[F.gke] = 5
        sim.accounts.readiness = { _, _ in .afterPasses(2) }
        return sim
    }

    /// Each step `account` completed, with the workload the pass saw when it did:
    /// `setWeight 20%: stable v1 4/4, canary v2 1/1 (stable=80 canary=20)`.
    static func completedSteps(_ sim: DeciderSimulation, _ account: String) -> [String] {
        sim.passes.flatMap { pass -> [String] in
            guard case .status(let status)? = pass.observation.statuses[account] else { return [] }
            return pass.decision.events.filter { $0.kind == .stepCompleted && $0.account == account }.compactMap { event in
                event.message.range(of: " done: ").map { "\(event.message[$0.upperBound...]): \(describe(status))" }
            }
        }
    }

    /// `stable v1 4/4, canary v2 1/1 (stable=80 canary=20)`: each track's image, ready and desired replicas, and the traffic.
    static func describe(_ status: WorkloadStatus) -> String {
        status.tracks.map { "\($0.track.rawValue) \($0.image.tag ?? "?") \($0.ready)/\($0.desired)" }.joined(separator: ", ")
            + " (\(status.traffic))"
    }

    /// Ready replicas of stable and canary together.
    static func canaryReady(_ status: WorkloadStatus?) -> Int {
        [Track.stable, .canary].compactMap { status?[$0]?.ready }.reduce(0, +)
    }

    /// A replica-routed canary's steps, the calls they make and where each step leaves the account.
    struct ReplicaWalk: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var steps: String
        var calls: [DriverAction]
        var completed: [String]
    }

    static let replicaWalks = [
        ReplicaWalk(
            testDescription: "weights 20, 50, 100", steps: "[{setWeight: 20}, {setWeight: 50}, {setWeight: 100}]",
            calls: [
                spec(.canary, v2, 0),
                .scale(app: "shop", track: .canary, replicas: 1), .scale(app: "shop", track: .stable, replicas: 4),
                .scale(app: "shop", track: .canary, replicas: 3), .scale(app: "shop", track: .stable, replicas: 2),
                .scale(app: "shop", track: .canary, replicas: 5), .scale(app: "shop", track: .stable, replicas: 0),
                spec(.stable, v2, 5), .delete(app: "shop", track: .canary),
            ],
            completed: [
                "start the canary: stable v1 5/5, canary v2 0/0 (stable=100)",
                "setWeight 20%: stable v1 4/4, canary v2 1/1 (stable=80 canary=20)",
                "setWeight 50%: stable v1 2/2, canary v2 3/3 (stable=40 canary=60)",
                "setWeight 100%: stable v1 0/0, canary v2 5/5 (canary=100)",
                "promote the canary: stable v2 5/5 (stable=100)",
            ]),
        ReplicaWalk(
            testDescription: "weights 10, 30: whole replicas, rounded up", steps: "[{setWeight: 10}, {setWeight: 30}]",
            calls: [
                spec(.canary, v2, 0),
                .scale(app: "shop", track: .canary, replicas: 1), .scale(app: "shop", track: .stable, replicas: 4),
                .scale(app: "shop", track: .canary, replicas: 2), .scale(app: "shop", track: .stable, replicas: 3),
                spec(.stable, v2, 5), .delete(app: "shop", track: .canary),
            ],
            completed: [
                "start the canary: stable v1 5/5, canary v2 0/0 (stable=100)",
                "setWeight 10%: stable v1 4/4, canary v2 1/1 (stable=80 canary=20)",
                "setWeight 30%: stable v1 3/3, canary v2 2/2 (stable=60 canary=40)",
                "promote the canary: stable v2 5/5 (stable=100)",
            ]),
    ]

    @Test("by replica ratio, setWeight moves replicas from stable to canary, adding before removing, and promotion deletes the canary once the new stable is ready",
          arguments: replicaWalks)
    func replicaWalk(_ walk: ReplicaWalk) throws {
        var sim = try Self.replicaCanary(steps: walk.steps)

        #expect(sim.runToEnd() == .succeeded)
        #expect(sim.calls(in: F.gke) == walk.calls)
        #expect(Self.completedSteps(sim, F.gke) == walk.completed)
        for pass in sim.passes {
            let ready = Self.canaryReady(pass.workloads[F.gke])
            #expect(ready >= 5, "pass \(pass.number): stable and canary have \(ready) ready replicas")
        }
        // A call that removes replicas waits until those the call before it added are ready (2 passes here).
        let calls = sim.accounts.calls
        for (previous, call) in zip(calls, calls.dropFirst()) {
            guard case .scale(_, let track, let replicas) = call.action,
                  case .status(let seen)? = sim.passes[call.pass].observation.statuses[F.gke],
                  let desired = seen[track]?.desired, replicas < desired else { continue }
            #expect(call.pass - previous.pass >= 2, "\(call) only once \(previous) is ready")
        }
        let promoted = try #require(calls.first { $0.action == Self.spec(.stable, Self.v2, 5) })
        let deleted = try #require(calls.last)
        #expect(deleted.pass - promoted.pass >= 2, "the canary is deleted once the new stable is rolled out")
        let monitorStarted = try #require(sim.rollout(F.gke).monitorStartedAt)
        let firstWeight = try #require(sim.events.first { $0.message.contains("done: setWeight") })
        #expect(monitorStarted == firstWeight.time, "the monitor starts when the first weight is reached, as with weights")
        #expect(sim.accounts.status(F.gke) == WorkloadStatus(
            app: "shop", tracks: [TrackStatus(track: .stable, image: Self.v2, desired: 5, updated: 5, ready: 5, available: 5)],
            traffic: .all(to: .stable)))
        #expect(sim.phases == [.deploying, .progressing, .promoting, .succeeded])
        #expect(sim.accounts.violations == [], "no traffic set, never fewer than 5 ready replicas")
    }

    @Test("a replica-routed canary rolls back by scaling stable back to its size before the canary is deleted",
          arguments: zip(["[{setWeight: 20}, {setWeight: 50}, {pause: 1m}]", "[{setWeight: 100}, {pause: 1m}]"], [60, 100]))
    func replicaRollback(steps: String, failsAt share: Int) throws {
        // The new version fails once it takes `share`% of the requests: with stable scaled down.
        var sim = try Self.replicaCanary(steps: steps) { spec, time, accounts in
            accounts.status(spec.account).traffic[.canary] >= share ? .errorRate(0.31) : Metrics.byTraffic()(spec, time, accounts)
        }

        #expect(sim.runToEnd() == .rolledBack)
        let start = try #require(sim.firstPass { $0.phase == .rollingBack })
        let before = try #require(start.observation.statuses[F.gke])
        guard case .status(let failing) = before else { Issue.record("gke unread"); return }
        #expect(failing[.stable].map { $0.desired < 5 } == true, "stable was scaled down: \(Self.describe(failing))")
        #expect(try Self.rollbackCalls(sim, F.gke) == [
            .scale(app: "shop", track: .stable, replicas: 5), .delete(app: "shop", track: .canary),
        ])
        let calls = sim.accounts.calls.filter { $0.pass >= start.number }
        #expect(calls[1].pass - calls[0].pass >= 2, "the canary is deleted once stable is ready at its size")
        let deleting = try #require(sim.passes.first { $0.number == calls[1].pass })
        guard case .status(let restored)? = deleting.observation.statuses[F.gke] else { Issue.record("gke unread"); return }
        #expect(restored[.stable].map { $0.image == Self.v1 && $0.ready == 5 && $0.desired == 5 } == true)
        #expect(sim.accounts.status(F.gke) == WorkloadStatus(
            app: "shop", tracks: [TrackStatus(track: .stable, image: Self.v1, desired: 5, updated: 5, ready: 5, available: 5)],
            traffic: .all(to: .stable)))
        #expect(sim.rollout(F.gke).phase == .rolledBack)
        #expect(sim.accounts.violations == [])
    }

    @Test("a replica-routed canary left serving by a superseded execution is emptied only once stable is back at its size")
    func replicaSupersededCanary() throws {
        var sim = try Self.replicaCanary(steps: "[{setWeight: 20}]")
        // What an older execution at setWeight 60 left: stable v1 ×2 and its canary ×3.
        sim.accounts.seed(F.gke, .stable, Self.v1, replicas: 2)
        sim.accounts.seed(F.gke, .canary, F.image("v1b"), replicas: 3)

        #expect(sim.runToEnd() == .succeeded)
        let calls = sim.accounts.calls
        #expect(calls.prefix(2).map(\.action) == [.scale(app: "shop", track: .stable, replicas: 5), Self.spec(.canary, Self.v2, 0)])
        #expect(calls[1].pass - calls[0].pass >= 2, "the old canary goes once stable is ready at its size")
        #expect(sim.rollout(F.gke).previousImage == Self.v1)
        #expect(sim.accounts.status(F.gke)[.stable]?.image == Self.v2)
        #expect(sim.accounts.violations == [])
    }
}
