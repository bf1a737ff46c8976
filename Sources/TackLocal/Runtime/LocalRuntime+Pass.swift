import Foundation
import TackCore
import TackHTTP

extension LocalRuntime {
    /// One reconcile pass under the state lock: makes sure the router and Prometheus run, looks
    /// at every replica (alive? ready?), plans each track, routes traffic to ready replicas,
    /// updates the scrape targets, and only then starts and stops replicas, so that traffic is
    /// always restored before anything is scaled down.
    public func pass() async throws {
        try await store.withLockedState { state in try await self.pass(&state) }
    }

    func pass(_ state: inout RuntimeState) async throws {
        announceFallbackOnce()
        state.containerRuntime = selection.kind.rawValue
        assignPreviewPorts(&state)
        try await ensureInfrastructure(&state)
        let observed = await observeReplicas(state)
        var effects: [(account: String, app: String, track: Track, effect: ReplicaEffect)] = []
        let now = Date()
        for w in state.workloads.indices {
            for t in state.workloads[w].tracks.indices {
                var track = state.workloads[w].tracks[t]
                let (account, app) = (state.workloads[w].account, state.workloads[w].app)
                var serial = state.nextReplicaSerial
                var taken = state.usedPorts
                let (kind, image) = (track.spec.track, track.spec.image)
                let planned = planner.plan(&track, observed: observed, now: now) { generation in
                    defer { serial += 1 }
                    let port = Self.freePort(avoiding: &taken)
                    return ReplicaRecord(
                        name: ContainerSpec.replicaID(account: account, app: app, track: kind.rawValue, replica: serial),
                        image: image, generation: generation, port: port)
                }
                state.nextReplicaSerial = serial
                state.workloads[w].tracks[t] = track
                effects += planned.map { (account, app, kind, $0) }
            }
            state.workloads[w].tracks.removeAll { $0.spec.replicas == 0 && $0.replicas.isEmpty && $0.isDeleted }
        }
        state.workloads.removeAll { $0.tracks.isEmpty }
        try await publish(state)
        if state.isUp, let master = await router.process { state.router = master }
        for entry in effects {
            try await perform(entry.effect, account: entry.account, app: entry.app, track: entry.track, in: &state)
        }
        if !effects.isEmpty { try await publish(state) }
    }

    /// Routes and scrape targets from the state: only ready, non-terminating replicas take traffic.
    func publish(_ state: RuntimeState) async throws {
        guard state.isUp else { return }
        let routes = state.workloads.map { workload in
            Route(
                account: workload.account, app: workload.app, port: workload.listenPort,
                backends: workload.tracks.flatMap { track in
                    track.replicas.filter { !$0.isTerminating && $0.process != nil }.map {
                        Route.Backend(track: track.spec.track, version: $0.image.version, port: $0.port, isReady: $0.isReady)
                    }
                },
                split: workload.traffic, previewPort: workload.previewPort)
        }
        try await router.apply(routes)
        let targets = state.allReplicas.filter { $0.replica.process != nil && !$0.replica.isTerminating }.map {
            ScrapeTarget(
                app: $0.app, account: $0.account, track: $0.track, version: $0.replica.image.version,
                replica: $0.replica.name, port: $0.replica.port)
        }
        try await prometheus?.setTargets(targets)
    }

    /// Gives a preview listener port to each application recorded before preview listeners existed.
    func assignPreviewPorts(_ state: inout RuntimeState) {
        var taken = state.usedPorts
        for w in state.workloads.indices where state.workloads[w].previewPort == nil {
            state.workloads[w].previewPort = Self.freePort(avoiding: &taken)
        }
    }

    /// Starts nginx and Prometheus, or adopts the ones an earlier process started.
    func ensureInfrastructure(_ state: inout RuntimeState) async throws {
        guard state.isUp else { return }
        var routing = await router.process != nil
        if !routing, let recorded = state.router { routing = await router.adopt(recorded) }
        if !routing { state.router = try await router.start() }
        state.routerControlPort = await router.controlPort
        if state.prometheusPort == nil {
            var taken = state.usedPorts
            state.prometheusPort = Self.freePort(avoiding: &taken)
        }
        let prometheus = try self.prometheus(port: state.prometheusPort!)
        var running = await prometheus.isRunning
        if !running, let recorded = state.prometheus { running = await prometheus.adopt(recorded) }
        if !running { state.prometheus = try await prometheus.start() }
    }

    func prometheus(port: Int) throws -> EmbeddedPrometheus {
        if let prometheus, prometheus.port == port { return prometheus }
        let made = EmbeddedPrometheus(directory: home.prometheus, port: port, transport: probe)
        prometheus = made
        return made
    }

    /// Whether each recorded replica still runs, and whether the running ones pass their
    /// readiness check, looked at concurrently.
    func observeReplicas(_ state: RuntimeState) async -> [String: ReplicaObservation] {
        // The readiness path comes from the image, read once per track.
        let replicas = state.workloads.flatMap(\.tracks).flatMap { track in
            let path = try? images.resolve(track.spec.image).manifest.readiness
            return track.replicas.filter { $0.process != nil }.map { ($0, path) }
        }
        return await withTaskGroup(of: (String, ReplicaObservation).self) { group in
            for (replica, path) in replicas {
                group.addTask { (replica.name, await self.observe(replica, readinessPath: path)) }
            }
            var observed: [String: ReplicaObservation] = [:]
            for await (name, observation) in group { observed[name] = observation }
            return observed
        }
    }

    nonisolated func observe(_ replica: ReplicaRecord, readinessPath: String?) async -> ReplicaObservation {
        let status = (try? await containers.status(of: replica.name)) ?? .absent
        guard case .running = status else {
            return .ended(termination: Self.termination(of: replica, status: status))
        }
        guard let readinessPath else { return .running(isReady: true) }
        let request = HTTPRequest(url: "http://127.0.0.1:\(replica.port)\(readinessPath)", timeout: .seconds(1))
        let isReady = (try? await probe.send(request))?.status == 200
        return .running(isReady: isReady)
    }

    static func termination(of replica: ReplicaRecord, status: ContainerStatus) -> String {
        if let process = replica.process {
            switch process.state() {
            case .exited(let code): return "exit status \(code)"
            case .signalled(let signal): return "signal \(signal)"
            case .running, .gone: break
            }
        }
        return status == .absent ? "gone" : "stopped"
    }

    static func freePort(avoiding taken: inout Set<Int>) -> Int {
        while true {
            if let port = try? FreePort.next(), !taken.contains(port) {
                taken.insert(port)
                return port
            }
        }
    }
}
