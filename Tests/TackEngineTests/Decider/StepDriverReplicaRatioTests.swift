import Foundation
import TackCore
@testable import TackEngine
import Testing

/// One observed workload in, the step's progress out: the replica-ratio rules of `StepDriver` and
/// `RollbackDriver` for a canary of 5 in gke (v1 before, v2 new), including the states a pipeline
/// cannot ask for directly (weights only go up), such as a canary that must shrink.
@Suite("step driver by replica ratio")
struct StepDriverReplicaRatioTests {
    typealias F = DeciderFixtures

    static let v1 = F.image("v1")
    static let v2 = F.image("v2")
    static let v1b = F.image("v1b")

    /// A track as observed: image, desired and ready replicas (all of them updated).
    typealias Observed = (image: ImageRef, desired: Int, ready: Int)

    /// What drives the account: a step, or the rollback.
    enum Driven: Sendable, Hashable {
        case step(RolloutStep)
        case rollback
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var driven: Driven
        var stable: Observed?
        var canary: Observed?
        var byReplicas = true
        var expected: StepProgress
    }

    static func scale(_ track: Track, _ replicas: Int) -> DriverAction { .scale(app: "shop", track: track, replicas: replicas) }
    static func apply(_ track: Track, _ image: ImageRef, _ replicas: Int) -> DriverAction {
        .apply(TrackSpec(app: "shop", track: track, image: image, replicas: replicas))
    }

    static let setWeights = [
        Case(testDescription: "setWeight 20 grows the canary first", driven: .step(.setWeight(20)),
             stable: (v1, 5, 5), canary: (v2, 0, 0), expected: .acting([scale(.canary, 1)])),
        Case(testDescription: "setWeight 20 keeps stable until the canary is ready", driven: .step(.setWeight(20)),
             stable: (v1, 5, 5), canary: (v2, 1, 0), expected: .waitingForReplicas("canary 0/1 ready")),
        Case(testDescription: "setWeight 20 shrinks stable once the canary is ready", driven: .step(.setWeight(20)),
             stable: (v1, 5, 5), canary: (v2, 1, 1), expected: .acting([scale(.stable, 4)])),
        Case(testDescription: "setWeight 20 waits until stable is rolled out", driven: .step(.setWeight(20)),
             stable: (v1, 4, 3), canary: (v2, 1, 1), expected: .waitingForReplicas("stable 3/4 ready")),
        Case(testDescription: "setWeight 20 is complete with both tracks at their counts and ready", driven: .step(.setWeight(20)),
             stable: (v1, 4, 4), canary: (v2, 1, 1), expected: .complete),
        Case(testDescription: "a canary above its weight: stable grows first", driven: .step(.setWeight(20)),
             stable: (v1, 2, 2), canary: (v2, 3, 3), expected: .acting([scale(.stable, 4)])),
        Case(testDescription: "a canary above its weight waits until stable is ready", driven: .step(.setWeight(20)),
             stable: (v1, 4, 2), canary: (v2, 3, 3), expected: .waitingForReplicas("stable 2/4 ready")),
        Case(testDescription: "a canary above its weight shrinks once stable is ready", driven: .step(.setWeight(20)),
             stable: (v1, 4, 4), canary: (v2, 3, 3), expected: .acting([scale(.canary, 1)])),
        Case(testDescription: "both tracks short grow together", driven: .step(.setWeight(20)),
             stable: (v1, 3, 3), canary: (v2, 0, 0), expected: .acting([scale(.canary, 1), scale(.stable, 4)])),
        Case(testDescription: "setWeight without a canary applies it at its count", driven: .step(.setWeight(20)),
             stable: (v1, 5, 5), canary: nil, expected: .acting([apply(.canary, v2, 1)])),
        Case(testDescription: "setWeight 100 takes stable to 0 replicas, keeping it", driven: .step(.setWeight(100)),
             stable: (v1, 5, 5), canary: (v2, 5, 5), expected: .acting([scale(.stable, 0)])),
        Case(testDescription: "setWeight 100 is complete with stable at 0", driven: .step(.setWeight(100)),
             stable: (v1, 0, 0), canary: (v2, 5, 5), expected: .complete),
        Case(testDescription: "with weights, the same state sets the traffic", driven: .step(.setWeight(20)),
             stable: (v1, 5, 5), canary: (v2, 1, 1), byReplicas: false, expected: .acting([.setTraffic(app: "shop", .canary(20))])),
    ]

    static let startsAndPromotions = [
        Case(testDescription: "startCanary applies an empty canary", driven: .step(.startCanary),
             stable: (v1, 5, 5), canary: nil, expected: .acting([apply(.canary, v2, 0)])),
        Case(testDescription: "startCanary over a serving old canary grows stable to its size first", driven: .step(.startCanary),
             stable: (v1, 2, 2), canary: (v1b, 3, 3), expected: .acting([scale(.stable, 5)])),
        Case(testDescription: "startCanary keeps the old canary until stable is ready", driven: .step(.startCanary),
             stable: (v1, 5, 2), canary: (v1b, 3, 3), expected: .waitingForReplicas("stable 2/5 ready")),
        Case(testDescription: "startCanary replaces the old canary once stable is ready", driven: .step(.startCanary),
             stable: (v1, 5, 5), canary: (v1b, 3, 3), expected: .acting([apply(.canary, v2, 0)])),
        Case(testDescription: "startCanary replaces an old canary that serves nothing at once", driven: .step(.startCanary),
             stable: (v1, 2, 2), canary: (v1b, 3, 0), expected: .acting([scale(.stable, 5), apply(.canary, v2, 0)])),
        Case(testDescription: "startCanary empties a serving canary of the new image once stable is ready", driven: .step(.startCanary),
             stable: (v1, 5, 5), canary: (v2, 2, 2), expected: .acting([scale(.canary, 0)])),
        Case(testDescription: "startCanary is complete with an empty canary of the new image", driven: .step(.startCanary),
             stable: (v1, 5, 5), canary: (v2, 0, 0), expected: .complete),
        Case(testDescription: "promotion rolls stable to the new image at its size", driven: .step(.promoteCanary),
             stable: (v1, 0, 0), canary: (v2, 5, 5), expected: .acting([apply(.stable, v2, 5)])),
        Case(testDescription: "promotion keeps the canary until the new stable is ready", driven: .step(.promoteCanary),
             stable: (v2, 5, 2), canary: (v2, 5, 5), expected: .waitingForReplicas("stable 2/5 ready")),
        Case(testDescription: "promotion deletes the canary while it still has half the traffic", driven: .step(.promoteCanary),
             stable: (v2, 5, 5), canary: (v2, 5, 5), expected: .acting([.delete(app: "shop", track: .canary)])),
        Case(testDescription: "promotion is complete once the canary is gone", driven: .step(.promoteCanary),
             stable: (v2, 5, 5), canary: nil, expected: .complete),
        Case(testDescription: "with weights, promotion first sends all traffic to stable", driven: .step(.promoteCanary),
             stable: (v2, 5, 5), canary: (v2, 5, 5), byReplicas: false,
             expected: .acting([.setTraffic(app: "shop", .all(to: .stable)), .delete(app: "shop", track: .canary)])),
    ]

    static let rollbacks = [
        Case(testDescription: "a rollback grows stable back to its size", driven: .rollback,
             stable: (v1, 2, 2), canary: (v2, 3, 3), expected: .acting([scale(.stable, 5)])),
        Case(testDescription: "a rollback keeps the canary until stable is ready", driven: .rollback,
             stable: (v1, 5, 2), canary: (v2, 3, 3), expected: .waitingForReplicas("stable 2/5 ready")),
        Case(testDescription: "a rollback deletes the canary once stable is ready", driven: .rollback,
             stable: (v1, 5, 5), canary: (v2, 3, 3), expected: .acting([.delete(app: "shop", track: .canary)])),
        Case(testDescription: "a rollback is complete once the canary is gone", driven: .rollback,
             stable: (v1, 5, 5), canary: nil, expected: .complete),
        Case(testDescription: "a rollback after promotion returns stable to the old image", driven: .rollback,
             stable: (v2, 5, 5), canary: nil, expected: .acting([apply(.stable, v1, 5)])),
    ]

    @Test("by replica ratio, each observed state gives the calls that move replicas without ever removing them first",
          arguments: setWeights + startsAndPromotions + rollbacks)
    func progress(_ test: Case) throws {
        let plan = try F.plan(F.deploy(F.canary(F.gke, targetSize: 5, steps: "[{setWeight: 20}]")))
        var rollout = AccountRollout(account: F.gke, stage: 0)
        rollout.mode = .progressive
        rollout.image = Self.v2
        rollout.previousImage = Self.v1
        let cluster = try #require(plan.cluster(of: rollout))
        #expect(plan.splitsByReplicas(account: F.gke) && !plan.splitsByReplicas(account: F.aws))
        let tracks = [(Track.stable, test.stable), (.canary, test.canary)].compactMap { track, observed in
            observed.map { TrackStatus(track: track, image: $0.image, desired: $0.desired, updated: $0.desired, ready: $0.ready, available: $0.ready) }
        }
        let ready = tracks.reduce(0) { $0 + $1.ready }
        let traffic = test.byReplicas && ready > 0
            ? TrafficSplit(Dictionary(uniqueKeysWithValues: tracks.map { ($0.track, $0.ready * 100 / ready) }))
            : .canary(10)
        let status = WorkloadStatus(app: "shop", tracks: tracks, traffic: traffic)

        let progress: StepProgress
        switch test.driven {
        case .step(let step):
            let context = StepContext(app: "shop", rollout: rollout, image: Self.v2, cluster: cluster, status: status, analysis: nil,
                                      monitor: nil, needsHealthyMonitor: false, splitsByReplicas: test.byReplicas)
            progress = StepDriver.drive(step, context, startedAt: F.t0, now: F.t0)
        case .rollback:
            progress = RollbackDriver.drive(rollout, app: "shop", size: 5, serving: .stable, candidate: .canary,
                                            splitsByReplicas: test.byReplicas, status: status)
        }
        #expect(progress == test.expected)
    }
}
