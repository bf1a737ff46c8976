import KubeAPI
import Synchronization

/// A stand-in for kube-controller-manager's deployment controller: it writes Deployment status
/// through the status subresource (as manager `kube-controller-manager`), either when a test asks
/// or, in an automatic mode, after every spec change it has not observed yet.
public final class DeploymentController: Sendable {
    /// What the controller does by itself after a spec change.
    public enum Mode: Sendable, Hashable {
        /// Nothing; tests call `simulateRollout`, `simulateStuck` or `setStatus`.
        case manual
        /// The rollout completes: every replica updated, ready and available.
        case rollsOut
        /// The rollout is observed and updated but no replica becomes available.
        case progresses
        /// The rollout exceeds its progress deadline (`Progressing=False`, `ProgressDeadlineExceeded`).
        case getsStuck
    }

    private struct State {
        var mode = Mode.manual
        var delay = Duration.milliseconds(20)
        var observer: Int?
        var task: Task<Void, Never>?
        var changes: AsyncStream<ObjectKey>.Continuation?
    }

    let core: ClusterCore
    private let state = Mutex(State())

    init(core: ClusterCore) {
        self.core = core
    }

    /// The automatic behaviour (manual by default).
    public var mode: Mode {
        get { state.withLock { $0.mode } }
        set { state.withLock { $0.mode = newValue } }
    }

    /// How long after a spec change the automatic modes write status (20 ms by default).
    public var delay: Duration {
        get { state.withLock { $0.delay } }
        set { state.withLock { $0.delay = newValue } }
    }

    /// Writes the status of a finished rollout (`ready`) or of one still waiting for replicas.
    @discardableResult
    public func simulateRollout(namespace: String, name: String, ready: Bool = true) throws(FakeKubeAPIError) -> JSONValue {
        try write(namespace: namespace, name: name, outcome: ready ? .rollsOut : .progresses)
    }

    /// Writes the status of a rollout past its progress deadline.
    @discardableResult
    public func simulateStuck(namespace: String, name: String) throws(FakeKubeAPIError) -> JSONValue {
        try write(namespace: namespace, name: name, outcome: .getsStuck)
    }

    /// Replaces a Deployment's status with `status`.
    @discardableResult
    public func setStatus(namespace: String, name: String, _ status: JSONValue) throws(FakeKubeAPIError) -> JSONValue {
        try write(namespace: namespace, name: name) { _, _ in status }
    }

    /// Starts reacting to Deployment changes (the server calls it when it starts).
    func start() {
        stop()
        let (keys, changes) = AsyncStream<ObjectKey>.makeStream()
        let deployments = ServedResource.deployments.id
        let observer = core.addObserver { event in
            guard event.resourceID == deployments, event.type != "DELETED",
                  (event.object.generation ?? 0) > (event.object[path: ["status", "observedGeneration"]]?.int ?? 0)
            else { return }
            changes.yield(event.key)
        }
        let task = Task { [weak self] in
            for await key in keys {
                guard let (mode, delay) = self?.state.withLock({ ($0.mode, $0.delay) }), mode != .manual else { continue }
                try? await Task.sleep(for: delay)
                guard !Task.isCancelled, let self else { return }
                _ = try? self.write(namespace: key.namespace, name: key.name, outcome: self.mode, onlyIfUnobserved: true)
            }
        }
        state.withLock { state in
            state.observer = observer
            state.task = task
            state.changes = changes
        }
    }

    /// Stops reacting (the server calls it when it stops).
    func stop() {
        let (observer, task, changes) = state.withLock { state in
            defer {
                state.observer = nil
                state.task = nil
                state.changes = nil
            }
            return (state.observer, state.task, state.changes)
        }
        if let observer { core.removeObserver(observer) }
        changes?.finish()
        task?.cancel()
    }

    private func write(namespace: String, name: String, outcome: Mode, onlyIfUnobserved: Bool = false) throws(FakeKubeAPIError) -> JSONValue {
        try write(namespace: namespace, name: name) { deployment, now in
            if onlyIfUnobserved, (deployment.generation ?? 0) <= (deployment[path: ["status", "observedGeneration"]]?.int ?? 0) { return nil }
            return Self.status(of: deployment, outcome: outcome, now: now)
        }
    }

    /// Writes the status `makeStatus` returns for the stored Deployment (nothing when it returns nil).
    private func write(namespace: String, name: String,
                       _ makeStatus: (JSONValue, String) -> JSONValue?) throws(FakeKubeAPIError) -> JSONValue {
        let served = ServedResource.deployments
        let key = ObjectKey(namespace: namespace, name: name)
        let now = ClusterCore.now()
        let result = core.state.withLock { state -> Result<JSONValue, APIFailure> in
            guard var deployment = state.store.object(served, key) else { return .failure(.notFound(served.resource, name: name)) }
            guard let status = makeStatus(deployment, now) else { return .success(deployment) }
            deployment["status"] = status
            do throws(APIFailure) {
                return .success(try state.write { (store: inout ObjectStore) throws(APIFailure) -> WriteResult in
                    try store.replace(served, key, body: deployment, subresource: "status", manager: "kube-controller-manager", now: now)
                }.object)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let object): return object
        case .failure(let failure): throw FakeKubeAPIError(failure)
        }
    }
}
