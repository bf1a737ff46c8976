import Foundation
import TackCore

extension LocalRuntime {
    /// Performs one planned effect and records its result in `state`.
    func perform(_ effect: ReplicaEffect, account: String, app: String, track: Track, in state: inout RuntimeState) async throws {
        guard let w = state.workloadIndex(account: account, app: app),
            let t = state.workloads[w].tracks.firstIndex(where: { $0.spec.track == track })
        else { return }
        let spec = state.workloads[w].tracks[t].spec
        switch effect {
        case .start(let name):
            guard let r = state.workloads[w].tracks[t].replicas.firstIndex(where: { $0.name == name }) else { return }
            var replica = state.workloads[w].tracks[t].replicas[r]
            do {
                let container = try containerSpec(for: replica, spec: spec, account: account)
                let handle = try await containers.start(container)
                replica.process = handle.process
                replica.startedAt = Date()
                replica.backoffUntil = nil
            } catch {
                // An image that cannot start counts as a crash: it backs off like one.
                replica.restarts += 1
                replica.lastTermination = "\(error)"
                replica.backoffUntil = Date().addingTimeInterval(
                    planner.backoff.delay(afterConsecutiveCrashes: replica.restarts).timeInterval)
            }
            state.workloads[w].tracks[t].replicas[r] = replica
        case .stop(let name), .kill(let name):
            // The container runtime sends SIGTERM, and SIGKILL after the grace (none for a kill).
            // A replica whose stop failed stays recorded: the planner kills it once its grace is over.
            let grace: Duration = if case .kill = effect { .zero } else { planner.terminationGrace }
            do {
                try await containers.stop(name, grace: grace)
            } catch {
                announce("could not stop replica \(name): \(error)")
                return
            }
            if let r = state.workloads[w].tracks[t].replicas.firstIndex(where: { $0.name == name }) {
                state.workloads[w].tracks[t].replicas.remove(at: r)
            }
        }
    }

    /// The container for a replica: the image's program and user, the track's environment, the
    /// replica's port, its writable directories under its own directory, the track's limits.
    func containerSpec(for replica: ReplicaRecord, spec: TrackSpec, account: String) throws -> ContainerSpec {
        let image = try images.resolve(replica.image)
        let manifest = image.manifest
        guard let user = manifest.userAndGroup else {
            throw LocalRuntimeError.invalidImage(path: image.directory, reason: "user \(manifest.user) is not uid:gid")
        }
        let directory = home.replica(replica.name)
        var environment = manifest.env.merging(spec.environment) { _, track in track }
        environment["PORT"] = String(replica.port)
        environment["HOST"] = "127.0.0.1"
        environment["TACK_APP"] = spec.app
        environment["TACK_ACCOUNT"] = account
        environment["TACK_TRACK"] = spec.track.rawValue
        environment["TACK_VERSION"] = replica.image.version
        environment["TACK_REPLICA"] = replica.name
        if environment["PATH"] == nil { environment["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        let writable = manifest.writable.map {
            ContainerMount(containerPath: $0, hostPath: directory + "/writable" + $0)
        }
        for mount in writable {
            try FileManager.default.createDirectory(atPath: mount.hostPath, withIntermediateDirectories: true)
            _ = chown(mount.hostPath, user.uid, user.gid)
        }
        return ContainerSpec(
            id: replica.name, rootfs: image.rootfs,
            process: ContainerProcess(
                arguments: manifest.entrypoint + manifest.args, environment: environment, workingDirectory: "/",
                uid: user.uid, gid: user.gid),
            writableMounts: writable, memoryLimitBytes: Int64(spec.resources.memoryBytes),
            pidsLimit: Int64(spec.resources.pids),
            cpuShares: spec.resources.cpuMillicores.map { UInt64(max($0 * 1024 / 1000, 2)) },
            logPath: home.replicaLog(replica.name), bundleDirectory: directory)
    }
}
