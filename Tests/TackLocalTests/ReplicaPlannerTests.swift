import Foundation
import TackCore
import Testing

@testable import TackLocal

/// The replica decisions without processes: records, observations and a fixed clock in, new
/// records and effects out.
@Suite("ReplicaPlanner")
struct ReplicaPlannerTests {
    let v1 = try! ImageRef(parsing: "lora-train:v1@sha256:" + String(repeating: "1", count: 64))
    let v2 = try! ImageRef(parsing: "lora-train:v2@sha256:" + String(repeating: "2", count: 64))
    let now = Date(timeIntervalSince1970: 1_000_000)
    let planner = ReplicaPlanner(backoff: RestartBackoff(initial: .seconds(1), maximum: .seconds(8), resetAfter: .seconds(60)),
                                 terminationGrace: .seconds(10))

    func track(replicas: Int, image: ImageRef, generation: Int = 1, _ records: [ReplicaRecord] = []) -> TrackRecord {
        TrackRecord(spec: TrackSpec(app: "lora", track: .stable, image: image, replicas: replicas), generation: generation, replicas: records)
    }

    func running(_ name: String, generation: Int = 1, ready: Bool = true, image: ImageRef? = nil) -> ReplicaRecord {
        var replica = ReplicaRecord(name: name, image: image ?? v1, generation: generation, port: 9000)
        replica.process = ProcessHandle(pid: 1, startTime: 1)
        replica.isReady = ready
        replica.startedAt = now.addingTimeInterval(-5)
        return replica
    }

    func plan(_ track: inout TrackRecord, _ observed: [String: ReplicaObservation] = [:], at time: Date? = nil) -> [ReplicaEffect] {
        var serial = track.replicas.count
        let image = track.spec.image
        return planner.plan(&track, observed: observed, now: time ?? now) { generation in
            serial += 1
            return ReplicaRecord(name: "r\(serial)", image: image, generation: generation, port: 9000 + serial)
        }
    }

    @Test("a new track creates and starts its replicas")
    func createsReplicas() {
        var t = track(replicas: 2, image: v1)
        #expect(plan(&t) == [.start(name: "r1"), .start(name: "r2")])
        #expect(t.replicas.map(\.name) == ["r1", "r2"])
    }

    @Test("a steady track does nothing, and readiness follows the checks")
    func steadyTrack() {
        var t = track(replicas: 2, image: v1, [running("a"), running("b", ready: false)])
        #expect(plan(&t, ["a": .running(isReady: true), "b": .running(isReady: true)]) == [])
        #expect(t.replicas.allSatisfy { $0.isReady })
        #expect(plan(&t, ["a": .running(isReady: false), "b": .running(isReady: true)]) == [])
        #expect(t.replicas.map(\.isReady) == [false, true])
    }

    @Test("a crashed replica is counted and restarted after a doubling backoff, reset after a long run")
    func crashBackoff() {
        var t = track(replicas: 1, image: v1, [running("a")])
        #expect(plan(&t, ["a": .ended(termination: "exit status 1")]) == [])
        #expect(t.replicas[0].restarts == 1 && t.replicas[0].lastTermination == "exit status 1")
        #expect(t.replicas[0].backoffUntil == now.addingTimeInterval(1))
        #expect(plan(&t, at: now.addingTimeInterval(0.5)) == [])
        #expect(plan(&t, at: now.addingTimeInterval(1)) == [.start(name: "a")])
        // The runtime started it; it crashes again at once: 2 s, then 4 s, then at most 8 s.
        for (crash, delay) in [(2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0)] {
            t.replicas[0].process = ProcessHandle(pid: 2, startTime: 2)
            t.replicas[0].startedAt = now
            _ = plan(&t, ["a": .ended(termination: "exit status 1")])
            #expect(t.replicas[0].restarts == crash)
            #expect(t.replicas[0].backoffUntil == now.addingTimeInterval(delay))
        }
        // A replica that ran for a minute before it ended starts over at the initial delay.
        t.replicas[0].process = ProcessHandle(pid: 3, startTime: 3)
        t.replicas[0].startedAt = now.addingTimeInterval(-61)
        _ = plan(&t, ["a": .ended(termination: "signal 9")])
        #expect(t.replicas[0].backoffUntil == now.addingTimeInterval(1))
    }

    @Test("a new image surges: old replicas stop only when as many new ones are ready")
    func rollingUpdate() {
        var t = track(replicas: 2, image: v2, generation: 2, [running("a"), running("b")])
        #expect(plan(&t) == [.start(name: "r3"), .start(name: "r4")])
        #expect(t.replicas.filter(\.isTerminating).isEmpty)
        for index in 2...3 {
            t.replicas[index].process = ProcessHandle(pid: 10, startTime: 10)
        }
        // One new replica ready: not enough.
        #expect(plan(&t, ["r3": .running(isReady: true), "r4": .running(isReady: false)]) == [])
        #expect(plan(&t, ["r3": .running(isReady: true), "r4": .running(isReady: true)]) == [.stop(name: "a"), .stop(name: "b")])
        #expect(t.replicas.filter(\.isTerminating).map(\.name) == ["a", "b"])
        #expect(!t.replicas[0].isReady)
        // Asked once; killed after the grace; dropped once gone.
        #expect(plan(&t, at: now.addingTimeInterval(5)) == [])
        #expect(plan(&t, at: now.addingTimeInterval(10)) == [.kill(name: "a"), .kill(name: "b")])
        #expect(plan(&t, ["a": .ended(termination: "signal 15"), "b": .ended(termination: "signal 9")]) == [])
        #expect(t.replicas.map(\.name) == ["r3", "r4"])
        #expect(t.replicas.allSatisfy { $0.restarts == 0 })
    }

    @Test("scaling down stops not-ready replicas first, then the newest; scaling to zero stops all")
    func scaleDown() {
        var t = track(replicas: 1, image: v1, [running("a"), running("b", ready: false), running("c")])
        #expect(plan(&t) == [.stop(name: "b"), .stop(name: "c")])
        t.spec.replicas = 0
        #expect(plan(&t) == [.stop(name: "a")])
    }

    @Test("a replica that never started and is no longer wanted is dropped without effects")
    func dropsUnstarted() {
        var t = track(replicas: 2, image: v1)
        _ = plan(&t)
        t.spec.replicas = 0
        #expect(plan(&t) == [])
        #expect(t.replicas.isEmpty)
    }

    @Test("replace makes the preview's replicas the active track unchanged, and the former active ones stop")
    func replaceTrack() {
        var active = track(replicas: 2, image: v1, generation: 3, [running("a1", generation: 3), running("a0", generation: 2)])
        active.spec.track = .active
        active.replicas[1].isTerminating = true
        active.replicas[1].isStopRequested = true
        var preview = track(replicas: 2, image: v2, generation: 1, [running("p1", image: v2), running("p2", image: v2)])
        preview.spec.track = .preview
        var workload = WorkloadRecord(account: "aws", app: "lora", listenPort: 8080, traffic: .all(to: .preview), tracks: [active, preview])

        #expect(planner.replace(.active, with: .preview, in: &workload, now: now))
        #expect(workload.tracks.map(\.spec.track) == [.active])
        #expect(workload.traffic == .all(to: .active))
        var moved = workload.tracks[0]
        #expect(moved.spec.image == v2 && moved.spec.replicas == 2 && moved.generation == 1)
        #expect(moved.replicas.map(\.name) == ["a1", "a0", "p1", "p2"])
        #expect(moved.replicas.map(\.isTerminating) == [true, true, false, false])
        #expect(moved.replicas[0].killAfter == now.addingTimeInterval(10) && !moved.replicas[0].isReady)
        #expect(LocalRuntime.status(of: moved).updated == 2 && LocalRuntime.status(of: moved).available == 2)
        // The next plan stops the former active replica still running, and starts nothing.
        #expect(plan(&moved, ["p1": .running(isReady: true), "p2": .running(isReady: true)]) == [.stop(name: "a1")])

        let replaced = workload
        #expect(!planner.replace(.active, with: .preview, in: &workload, now: now), "the preview is gone: nothing to do")
        #expect(workload == replaced)
        #expect(!planner.replace(.active, with: .active, in: &workload, now: now))
    }
}
