import Foundation
import TackCore
import TackHTTP

/// The embedded runtime for `kind: local` accounts: replicas as runc containers (or plain
/// processes), an nginx listener per application and account that splits traffic by weight (and a
/// preview listener for track `preview`), and an embedded Prometheus that scrapes every replica.
/// All of it is recorded in `$TACK_HOME`, and each `pass()` brings what runs in line with what the
/// state file asks for, so any `tack` process (the `tack up` supervisor, the controller, a CLI
/// command) can drive it.
public actor LocalRuntime {
    /// The state directory.
    public nonisolated let home: RuntimeHome
    /// How replicas run here, and why when it is not runc.
    public nonisolated let selection: ContainerRuntimeSelection
    /// The local image store.
    public nonisolated let images: LocalImageStore

    let store: RuntimeStateStore
    let containers: any ContainerRuntime
    let router: NginxRouter
    let planner: ReplicaPlanner
    let probe: CurlHTTPClient
    let announce: @Sendable (String) -> Void
    var prometheus: EmbeddedPrometheus?
    var hasAnnouncedFallback = false

    /// A runtime on `home`. `announce` receives the lines a user should see (such as why
    /// replicas run as plain processes), each once.
    public init(
        home: RuntimeHome, selection: ContainerRuntimeSelection = .detect(), planner: ReplicaPlanner = ReplicaPlanner(),
        announce: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        self.home = home
        self.selection = selection
        self.images = LocalImageStore(root: home.images)
        self.store = RuntimeStateStore(home: home)
        self.containers = selection.makeRuntime(stateRoot: home.runcRoot)
        self.router = NginxRouter(prefix: home.router)
        self.planner = planner
        self.announce = announce
        do {
            self.probe = try CurlHTTPClient()
        } catch {
            throw LocalRuntimeError.requestFailed(service: "libcurl", reason: "\(error)")
        }
    }

    /// The URL of the embedded Prometheus, once it runs.
    public func prometheusURL() throws -> String? {
        try store.load().prometheusPort.map { "http://127.0.0.1:\($0)" }
    }

    /// The URL of an application's listener in an account, once it exists.
    public func url(account: String, app: String) throws -> String? {
        try endpoints(account: account, app: app)?.url
    }

    /// The main and preview listeners of an application in an account, once it exists.
    public func endpoints(account: String, app: String) throws -> WorkloadEndpoints? {
        let state = try store.load()
        return state.workloadIndex(account: account, app: app).map {
            WorkloadEndpoints(port: state.workloads[$0].listenPort, previewPort: state.workloads[$0].previewPort)
        }
    }

    /// The state as last saved, without locking (for `tack status`).
    public func snapshot() throws -> RuntimeState { try store.load() }

    func announceFallbackOnce() {
        guard !hasAnnouncedFallback, let reason = selection.fallbackReason else { return }
        hasAnnouncedFallback = true
        announce(reason)
    }
}
