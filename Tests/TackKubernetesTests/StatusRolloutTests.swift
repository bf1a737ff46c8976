import KubeAPI
import Testing

@testable import TackKubernetes

@Suite("rollout status as kubectl computes it")
struct StatusRolloutTests {
    private func rollout(_ fixture: String) throws -> DeploymentRollout {
        DeploymentRollout(deployment: try ObjectFixtures.load(fixture))
    }

    @Test("a Deployment whose counters all match is done")
    func done() throws {
        let rollout = try rollout("deployment-rolled-out.json")
        #expect(rollout.phase == .done)
        #expect(rollout.isDone)
        #expect(rollout.message == nil)
    }

    @Test("a newer generation than observed waits for the spec update, whatever the counters say")
    func specNotObserved() throws {
        let rollout = try rollout("deployment-spec-not-observed.json")
        #expect(!rollout.isObserved)
        #expect(rollout.phase == .waiting("Waiting for deployment spec update to be observed..."))
    }

    @Test("ProgressDeadlineExceeded is a failure naming the Deployment")
    func deadlineExceeded() throws {
        let rollout = try rollout("deployment-progress-deadline-exceeded.json")
        #expect(rollout.phase == .failed("deployment \"web\" exceeded its progress deadline"))
        #expect(rollout.message == "deployment \"web\" exceeded its progress deadline")
    }

    @Test("the deadline is only read once the spec is observed")
    func deadlineAfterObservation() throws {
        var deployment = try ObjectFixtures.load("deployment-progress-deadline-exceeded.json")
        deployment["metadata"]?["generation"] = 3
        #expect(DeploymentRollout(deployment: deployment).phase == .waiting("Waiting for deployment spec update to be observed..."))
    }

    @Test("fewer updated replicas than asked for waits for new replicas")
    func updating() throws {
        #expect(try rollout("deployment-updating.json").phase == .waiting(
            "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated..."))
    }

    @Test("more replicas than updated ones waits for old replicas to terminate")
    func oldReplicasPending() throws {
        #expect(try rollout("deployment-old-replicas-pending.json").phase == .waiting(
            "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination..."))
    }

    @Test("updated replicas that are not all available wait for availability")
    func updatedUnavailable() throws {
        #expect(try rollout("deployment-updated-unavailable.json").phase == .waiting(
            "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available..."))
    }

    @Test("readyReplicas, the Available condition and other conditions are not read")
    func ignoresReadyAndAvailableCondition() throws {
        var deployment = try ObjectFixtures.load("deployment-rolled-out.json")
        deployment["status"]?["readyReplicas"] = 0
        deployment["status"]?["unavailableReplicas"] = 3
        deployment["status"]?["conditions"] = [
            ["type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable"],
            ["type": "ReplicaFailure", "status": "True", "reason": "FailedCreate"],
        ]
        #expect(DeploymentRollout(deployment: deployment).phase == .done)
    }

    @Test("absent counters read as zero, and an absent spec.replicas skips the updated check")
    func absentFields() {
        let empty: JSONValue = ["metadata": ["name": "web"]]
        #expect(DeploymentRollout(deployment: empty).phase == .done)
        #expect(DeploymentRollout(deployment: empty).desired == 1)
        let scaledToZero: JSONValue = [
            "metadata": ["name": "web", "generation": 4], "spec": ["replicas": 0],
            "status": ["observedGeneration": 4, "replicas": 2],
        ]
        #expect(DeploymentRollout(deployment: scaledToZero).phase == .waiting(
            "Waiting for deployment \"web\" rollout to finish: 2 old replicas are pending termination..."))
    }
}
