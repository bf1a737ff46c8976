import KubeAPI
import TackCore

/// The `ClusterDriver` of a `kind: kubernetes` account: each track is a Deployment, traffic is
/// split by Services (replica ratio), a Gateway API HTTPRoute (weights) or a Service selector
/// (blue-green). Writes are server-side apply as field manager `tack`; reads come from watch-fed
/// caches that also record this driver's own writes.
public final class KubernetesDriver: ClusterDriver {
    /// The account this driver acts in.
    public let account: String
    /// Namespace, routing and the pod settings.
    public let options: KubernetesWorkloadOptions
    let client: KubeClient
    let resolver: RegistryResolver?
    let cache: WorkloadCache
    let deployments: DeploymentRenderer
    let services: ServiceRenderer
    let routes: HTTPRouteRenderer

    /// A driver acting through `client` in `options.namespace`; `resolver` pins tags to digests
    /// (nil: images must be given with their digest).
    public init(account: String, client: KubeClient, options: KubernetesWorkloadOptions, resolver: RegistryResolver?) {
        self.account = account
        self.client = client
        self.options = options
        self.resolver = resolver
        cache = WorkloadCache(client: client, namespace: options.namespace, watchesRoutes: options.routing != .replicas)
        deployments = DeploymentRenderer(options: options)
        services = ServiceRenderer(options: options)
        routes = HTTPRouteRenderer(options: options)
    }

    /// Stops the caches' watches.
    public func shutdown() {
        cache.stop()
    }

    /// The image pinned by digest: unchanged when it has one, else looked up in its registry.
    public func resolve(_ image: ImageRef) async throws -> ImageRef {
        if image.digest != nil { return image }
        guard let resolver else {
            throw KubernetesDriverError(account: account, message: "\(image) has no digest and no registry lookup is configured")
        }
        do {
            return try await resolver.resolve(image)
        } catch {
            throw KubernetesDriverError(account: account, message: error.description)
        }
    }

    /// What runs for the application now, read from the caches.
    public func status(app: String) async throws -> WorkloadStatus {
        try await observe(app).status(routing: options.routing)
    }

    /// The application's objects as the caches hold them.
    func observe(_ app: String) async throws -> ObservedWorkload {
        try await cache.start()
        return cache.workload(app: app)
    }
}

/// Why a Kubernetes account could not do what the engine asked; names the account, never a credential.
public struct KubernetesDriverError: Error, Sendable, CustomStringConvertible {
    /// The account.
    public var account: String
    /// What went wrong.
    public var message: String

    public var description: String { "account \(account): \(message)" }
}
