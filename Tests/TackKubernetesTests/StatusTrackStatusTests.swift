import KubeAPI
import TackCore
import Testing

@testable import TackKubernetes

@Suite("track status from a Deployment")
struct StatusTrackStatusTests {
    private static let pinnedV2 = "registry.example.com/team/web:v2@sha256:" + String(repeating: "ab", count: 32)

    private func observed(_ fixture: String) throws -> ObservedDeployment {
        try #require(ObservedDeployment(try ObjectFixtures.load(fixture)))
    }

    /// A Deployment of the canary strategy with the given counters.
    private static func deployment(
        generation: Int, observed: Int, spec: Int, replicas: Int, updated: Int, available: Int, deadline: Bool
    ) -> JSONValue {
        var status: JSONValue = [
            "observedGeneration": .integer(Int64(observed)), "replicas": .integer(Int64(replicas)),
            "updatedReplicas": .integer(Int64(updated)), "availableReplicas": .integer(Int64(available)),
        ]
        if deadline { status["conditions"] = [["type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"]] }
        return [
            "metadata": ["name": "web", "generation": .integer(Int64(generation))],
            "spec": [
                "replicas": .integer(Int64(spec)),
                "template": ["metadata": ["labels": ["app": "web", "track": "stable"]], "spec": ["containers": [["name": "web", "image": "web:v2"]]]],
            ],
            "status": status,
        ]
    }

    @Test("a rolled-out Deployment reports its track, pinned image, counters and restarts")
    func rolledOut() throws {
        let status = try observed("deployment-rolled-out.json").trackStatus(restarts: 3)
        #expect(status == TrackStatus(
            track: .stable, image: try ImageRef(parsing: Self.pinnedV2), desired: 3, updated: 3, ready: 3, available: 3,
            restarts: 3))
        #expect(status.isRolledOut)
    }

    @Test("a waiting or failed Deployment carries kubectl's message, a failed one also as its failure")
    func messages() throws {
        let updating = try observed("deployment-updating.json").trackStatus(restarts: 0)
        #expect(updating.message == "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...")
        #expect(updating.updated == 1 && updating.available == 3 && !updating.isRolledOut)
        let failed = try observed("deployment-progress-deadline-exceeded.json").trackStatus(restarts: 0)
        #expect(failed.message == "deployment \"web\" exceeded its progress deadline")
        #expect(failed.failure == "deployment \"web\" exceeded its progress deadline")
        #expect(!failed.isRolledOut)
        #expect(updating.failure == nil)
    }

    @Test("old replicas pending termination lower updated so the track is not rolled out")
    func oldReplicasLowerUpdated() throws {
        let status = try observed("deployment-old-replicas-pending.json").trackStatus(restarts: 0)
        #expect(status.desired == 3 && status.available == 3)
        #expect(status.updated == 2)
        #expect(!status.isRolledOut)
    }

    @Test("an unobserved spec update reports no updated replicas")
    func unobservedReportsZeroUpdated() throws {
        let status = try observed("deployment-spec-not-observed.json").trackStatus(restarts: 0)
        #expect(status.updated == 0 && status.available == 3)
        #expect(status.message == "Waiting for deployment spec update to be observed...")
    }

    @Test("the image comes from the tack.dev/image annotation before the container")
    func imageFromAnnotation() throws {
        var deployment = try ObjectFixtures.load("deployment-rolled-out.json")
        deployment["spec"]?["template"]?["spec"]?["containers"] = [["name": "web", "image": "web:edited"]]
        #expect(ObservedDeployment(deployment)?.image == (try ImageRef(parsing: Self.pinnedV2)))
        deployment["metadata"]?["annotations"] = [:]
        #expect(ObservedDeployment(deployment)?.image == (try ImageRef(parsing: "web:edited")))
    }

    @Test("a blue-green Deployment's track is its role annotation, not its pods' creation label")
    func blueGreenRole() throws {
        let green = try observed("deployment-green-promoted.json")
        #expect(green.track == .active)
        #expect(green.podTrack == .preview)
        #expect(green.color == .green)
        #expect(green.selector == ["app": "web", "tack.dev/color": "green"])
    }

    @Test("a Deployment without a track label or annotation is not Tack's")
    func foreignDeployment() {
        #expect(ObservedDeployment(["metadata": ["name": "redis"], "spec": ["replicas": 1]]) == nil)
    }

    @Test(
        "isRolledOut holds exactly when kubectl says done",
        arguments: [
            // (generation, observed, spec, replicas, updated, available, deadline)
            (1, 1, 3, 3, 3, 3, false),  // done
            (2, 1, 3, 3, 3, 3, false),  // spec update not observed, counters complete
            (2, 1, 0, 0, 0, 0, false),  // not observed at 0: the documented limitation is excluded below
            (1, 1, 3, 4, 3, 3, false),  // an old replica pending termination
            (1, 1, 3, 3, 3, 3, true),  // stale deadline condition with complete counters
            (1, 1, 3, 3, 2, 2, false),  // updating
            (1, 1, 3, 3, 3, 2, false),  // updated but not available
            (1, 1, 3, 5, 5, 5, false),  // scaling down: kubectl is done, surplus still counted
            (1, 1, 3, 4, 4, 3, false),  // scaling down: an updated replica unavailable
            (1, 1, 1, 2, 1, 1, false),  // one replica, old one pending
            (1, 1, 0, 2, 0, 2, false),  // scaled to 0, old replicas available and pending
            (1, 1, 0, 0, 0, 0, false),  // scaled to 0, done
        ])
    func invariant(_ c: (Int, Int, Int, Int, Int, Int, Bool)) throws {
        let deployment = Self.deployment(
            generation: c.0, observed: c.1, spec: c.2, replicas: c.3, updated: c.4, available: c.5, deadline: c.6)
        let observed = try #require(ObservedDeployment(deployment))
        let status = observed.trackStatus(restarts: 0)
        let limitation = status.desired == 0 && !observed.rollout.isDone && observed.rollout.availableReplicas == 0
        #expect(limitation || status.isRolledOut == observed.rollout.isDone)
        #expect(status.desired == c.2)
    }

    @Test("isRolledOut agrees with kubectl over every small combination of counters, but for the 0-replica limitation")
    func invariantExhaustive() throws {
        var limitationCases = 0
        for (generation, observedGeneration) in [(1, 1), (2, 1), (1, 2)] {
            for spec in 0...3 {
                for replicas in 0...5 {
                    for updated in 0...replicas {
                        for available in 0...replicas {
                            for deadline in [false, true] {
                                let deployment = Self.deployment(
                                    generation: generation, observed: observedGeneration, spec: spec, replicas: replicas,
                                    updated: updated, available: available, deadline: deadline)
                                let observed = try #require(ObservedDeployment(deployment))
                                let status = observed.trackStatus(restarts: 0)
                                guard status.isRolledOut != observed.rollout.isDone else { continue }
                                #expect(spec == 0 && available == 0, "\(deployment)")
                                limitationCases += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(limitationCases > 0)
    }

    @Test("restarts add up over the pods a Deployment's selector matches")
    func restarts() throws {
        let pods = try ObjectFixtures.items("pods.json")
        #expect(PodRestarts.total(pods) == 16)
        #expect(PodRestarts.total(pods, selector: ["app": "web", "track": "stable"]) == 3)
        #expect(PodRestarts.total(pods, selector: ["app": "web", "track": "canary"]) == 4)
        #expect(PodRestarts.total(pods, selector: [:]) == 0)
    }

    @Test("an application's status lists its tracks in order with their pods' restarts")
    func workloadStatus() throws {
        let workload = ObservedWorkload(
            app: "web",
            deployments: [try ObjectFixtures.load("deployment-canary.json"), try ObjectFixtures.load("deployment-rolled-out.json")],
            pods: try ObjectFixtures.items("pods.json"), service: nil, route: nil)
        let status = workload.status(routing: .replicas)
        #expect(status.tracks.map(\.track) == [.stable, .canary])
        #expect(status[.stable]?.restarts == 3)
        #expect(status[.canary]?.restarts == 4)
        #expect(status.traffic == TrafficSplit([.stable: 75, .canary: 25]))
    }

    @Test("a Deployment being deleted is no longer a track")
    func deletingDeployment() throws {
        var canary = try ObjectFixtures.load("deployment-canary.json")
        canary["metadata"]?["deletionTimestamp"] = "2025-11-20T10:20:00Z"
        let workload = ObservedWorkload(
            app: "web", deployments: [canary, try ObjectFixtures.load("deployment-rolled-out.json")], pods: [],
            service: nil, route: nil)
        #expect(workload.status(routing: .replicas).tracks.map(\.track) == [.stable])
    }
}
