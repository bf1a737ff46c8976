import Foundation
import Hummingbird
import KubeAPI
import Logging
import Synchronization

/// An in-process stand-in for kube-apiserver, for tests of the Kubernetes client and the Kubernetes
/// ClusterDriver: HTTP/1.1 on a free 127.0.0.1 port, serving Deployments, Services, ConfigMaps,
/// Pods, Leases, Namespaces and HTTPRoutes (and registered resources) with kube-apiserver's REST semantics:
/// Status errors with the real reasons and messages, optimistic concurrency, merge, JSON and
/// server-side apply patches with managedFields and conflicts, generation and status subresource,
/// paged lists with consistent snapshots, and chunked watches with bookmarks and 410 expiry.
/// Tests add faults (429/5xx with Retry-After and APF headers, dropped connections), a required
/// token, history compaction, watch drops and odd chunking, and act as the deployment controller.
///
/// Where it differs from kube-apiserver:
/// - Apply bodies must be JSON (valid YAML); other YAML gets 415 saying so.
/// - Strategic merge patch is not implemented: 415 for built-in resources too (custom resources
///   get the real 415).
/// - Server-side apply treats every list as atomic (the real server merges containers, ports and
///   other keyed lists by key) and compares only exact leaf paths.
/// - Objects may go into namespaces that do not exist unless `requiresNamespaces` is set.
/// - No admission, RBAC, schema validation or pruning beyond names and namespaces; defaults only
///   for the fields clients read back (Deployment replicas and strategy, pod template basics,
///   Service type and ClusterIP).
/// - DELETE removes the object at once (no finalizers or graceful deletion, whatever
///   `propagationPolicy` says) and answers a Status Success.
/// - Lists and watches have no `sendInitialEvents`, and a watch from a future resourceVersion waits
///   instead of failing after 3 s.
public final class FakeKubeAPIServer: Sendable {
    /// The stand-in for kube-controller-manager's deployment controller.
    public let deploymentController: DeploymentController

    let core: ClusterCore
    private let running = Mutex<Running?>(nil)

    private struct Running {
        var port: Int
        var task: Task<Void, any Error>
    }

    /// A stopped server; `start()` makes it listen.
    public init(options: FakeKubeAPIOptions = FakeKubeAPIOptions()) {
        core = ClusterCore(options: options)
        deploymentController = DeploymentController(core: core)
    }

    /// Runs `body` with a started server and stops it afterwards, whether `body` throws or not.
    public static func with<Value>(options: FakeKubeAPIOptions = FakeKubeAPIOptions(),
                                    _ body: (FakeKubeAPIServer) async throws -> Value) async throws -> Value {
        let server = FakeKubeAPIServer(options: options)
        try await server.start()
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Starts listening on 127.0.0.1 at a free port; returns once connections are accepted.
    public func start() async throws {
        guard running.withLock({ $0 == nil }) else { return }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "fake-kube-apiserver")
        logger.logLevel = .critical
        let responder = FakeKubeAPIResponder(core: core, flowSchemaUID: UUID().uuidString.lowercased(),
                                             priorityLevelUID: UUID().uuidString.lowercased())
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            _ = try await task.value
            throw FakeKubeAPIError.notListening
        }
        running.withLock { $0 = Running(port: port, task: task) }
        deploymentController.start()
    }

    /// Stops the server: open watches are cut, the listener closes; returns within a few seconds
    /// even if connections linger. Stopping a stopped server does nothing.
    public func stop() async {
        guard let running = running.withLock({ running in
            defer { running = nil }
            return running
        }) else { return }
        deploymentController.stop()
        core.closeWatches(.abrupt)
        running.task.cancel()
        let task = running.task
        await withTaskGroup(of: Void.self) { race in
            race.addTask { _ = try? await task.value }
            race.addTask { try? await Task.sleep(for: .seconds(5)) }
            await race.next()
            race.cancelAll()
        }
    }

    /// `http://127.0.0.1:PORT` once started (port 0 before).
    public var baseURL: String {
        "http://127.0.0.1:\(running.withLock { $0?.port ?? 0 })"
    }

    /// The URL of a collection, or of an object when `name` is given.
    public func url(_ resource: KubeResource, namespace: String?, name: String? = nil) -> String {
        baseURL + (name.map { resource.objectPath(namespace: namespace, name: $0) } ?? resource.collectionPath(namespace: namespace))
    }
}

/// Why a fake server hook failed.
public enum FakeKubeAPIError: Error, Sendable, CustomStringConvertible {
    /// The server did not start listening.
    case notListening
    /// The server refused a write a test made through a hook, with the Status it would have answered.
    case rejected(code: Int, reason: String, message: String)

    public var description: String {
        switch self {
        case .notListening: "the fake API server did not start listening"
        case .rejected(let code, let reason, let message): "the fake API server refused the write: \(code) \(reason): \(message)"
        }
    }

    init(_ failure: APIFailure) {
        self = .rejected(code: failure.code, reason: failure.reason, message: failure.message)
    }
}
