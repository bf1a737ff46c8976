import Foundation
import TackCore

extension LocalRuntime {
    /// Starts nginx and Prometheus (or adopts those still running from an earlier process),
    /// removes containers the state does not know (left by a crash), and starts every recorded
    /// track's replicas.
    public func up() async throws {
        try await store.withLockedState { state in
            state.isUp = true
            try await removeOrphans(state)
            try await pass(&state)
        }
    }

    /// Stops everything the runtime started: the supervisor, every replica, nginx and Prometheus.
    /// What should run stays recorded, so the next `up` starts it again.
    public func down(grace: Duration = .seconds(10)) async throws {
        try await store.withLockedState { state in
            if let supervisor = state.supervisor, supervisor.pid != getpid() {
                await supervisor.terminate(grace: .seconds(5))
            }
            state.supervisor = nil
            await withTaskGroup(of: Void.self) { group in
                for entry in state.allReplicas where entry.replica.process != nil {
                    group.addTask { try? await self.containers.stop(entry.replica.name, grace: grace) }
                }
            }
            for w in state.workloads.indices {
                for t in state.workloads[w].tracks.indices {
                    state.workloads[w].tracks[t].replicas.removeAll { $0.isTerminating }
                    for r in state.workloads[w].tracks[t].replicas.indices {
                        state.workloads[w].tracks[t].replicas[r].process = nil
                        state.workloads[w].tracks[t].replicas[r].isReady = false
                        state.workloads[w].tracks[t].replicas[r].startedAt = nil
                        state.workloads[w].tracks[t].replicas[r].backoffUntil = nil
                    }
                }
            }
            try await removeOrphans(state)
            if let recorded = state.router, await router.adopt(recorded) { await router.stop() }
            else if let recorded = state.router { await recorded.terminate(grace: .seconds(5)) }
            state.router = nil
            if let recorded = state.prometheus { await recorded.terminate(grace: .seconds(10)) }
            state.prometheus = nil
            state.isUp = false
        }
    }

    /// Runs a pass every `interval` until cancelled, recording this process as the supervisor.
    /// Errors of one pass are reported through `announce` and the next pass tries again.
    public func supervise(every interval: Duration = .seconds(1)) async {
        _ = try? await store.withLockedState { state in state.supervisor = ProcessHandle.adopt(pid: getpid()) }
        var lastError: String?
        while !Task.isCancelled {
            do {
                try await pass()
                lastError = nil
            } catch {
                let text = "\(error)"
                if text != lastError { announce("local runtime: \(text)") }
                lastError = text
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Stops containers under the runtime's state root that no recorded replica owns.
    func removeOrphans(_ state: RuntimeState) async throws {
        let known = Set(state.allReplicas.filter { $0.replica.process != nil }.map(\.replica.name))
        for container in try await containers.list() where !known.contains(container.id) {
            try? await containers.stop(container.id, grace: .seconds(5))
        }
    }
}
