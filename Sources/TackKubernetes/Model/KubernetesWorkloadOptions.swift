/// How Tack shapes an application's objects in one Kubernetes account.
public struct KubernetesWorkloadOptions: Sendable, Hashable {
    /// The namespace the application's objects live in.
    public var namespace: String
    /// How traffic is split between tracks.
    public var routing: Routing
    /// The port the container listens on (passed to it as `PORT`).
    public var containerPort: Int
    /// The HTTP path of the readiness probe.
    public var readinessPath: String
    /// The HTTP path of the liveness probe.
    public var livenessPath: String
    /// Directories mounted writable (emptyDir) over the read-only root, or nil for `/tmp` and `/var/lib/<app>`.
    public var writablePaths: [String]?
    /// The size limit of each writable directory in bytes (default 1 GiB); the kubelet evicts a pod that exceeds it.
    public var writableVolumeSizeLimitBytes: Int
    /// The user, group and fsGroup id the pods run as.
    public var userID: Int
    /// The CPU request in thousandths of a core.
    public var cpuRequestMillicores: Int
    /// The CPU limit in thousandths of a core for a track that sets none.
    public var cpuLimitMillicores: Int
    /// The memory request in bytes, or nil for the smaller of 512 MiB and the memory limit.
    public var memoryRequestBytes: Int?
    /// Seconds a rollout may make no progress before Kubernetes reports it failed.
    public var progressDeadlineSeconds: Int
    /// Old ReplicaSets kept per Deployment.
    public var revisionHistoryLimit: Int

    /// Options with Tack's defaults for everything but the namespace and routing.
    public init(
        namespace: String, routing: Routing = .replicas, containerPort: Int = 8080, readinessPath: String = "/readyz",
        livenessPath: String = "/healthz", writablePaths: [String]? = nil, userID: Int = 65532,
        cpuRequestMillicores: Int = 500, cpuLimitMillicores: Int = 2000, memoryRequestBytes: Int? = nil,
        progressDeadlineSeconds: Int = 600, revisionHistoryLimit: Int = 3,
        writableVolumeSizeLimitBytes: Int = 1 << 30
    ) {
        self.namespace = namespace
        self.routing = routing
        self.containerPort = containerPort
        self.readinessPath = readinessPath
        self.livenessPath = livenessPath
        self.writablePaths = writablePaths
        self.userID = userID
        self.cpuRequestMillicores = cpuRequestMillicores
        self.cpuLimitMillicores = cpuLimitMillicores
        self.memoryRequestBytes = memoryRequestBytes
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.revisionHistoryLimit = revisionHistoryLimit
        precondition(writableVolumeSizeLimitBytes > 0, "a writable volume needs a positive size limit")
        self.writableVolumeSizeLimitBytes = writableVolumeSizeLimitBytes
    }

    /// The writable directories for `app`.
    func writablePaths(app: String) -> [String] {
        writablePaths ?? ["/tmp", "/var/lib/\(app)"]
    }

    /// The memory request for a replica limited to `limitBytes`.
    func memoryRequest(limitBytes: Int) -> Int {
        min(memoryRequestBytes ?? Self.defaultMemoryRequestBytes, limitBytes)
    }

    /// 512 MiB.
    static let defaultMemoryRequestBytes = 512 << 20
}
