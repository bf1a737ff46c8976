/// What one track of an application should run in an account.
public struct TrackSpec: Sendable, Hashable, Codable {
    /// The application name.
    public var app: String
    /// The track.
    public var track: Track
    /// The image, pinned by digest once resolved.
    public var image: ImageRef
    /// How many replicas should run.
    public var replicas: Int
    /// Environment variables added to the image's.
    public var environment: [String: String]
    /// Resource limits per replica.
    public var resources: ResourceLimits

    /// A track spec.
    public init(
        app: String, track: Track, image: ImageRef, replicas: Int, environment: [String: String] = [:],
        resources: ResourceLimits = .default
    ) {
        self.app = app
        self.track = track
        self.image = image
        self.replicas = replicas
        self.environment = environment
        self.resources = resources
    }
}

/// Limits per replica: memory, CPU and processes.
public struct ResourceLimits: Sendable, Hashable, Codable {
    /// The memory limit in bytes.
    public var memoryBytes: Int
    /// The CPU limit in thousandths of a core, or nil for no limit.
    public var cpuMillicores: Int?
    /// The most processes and threads a replica may have.
    public var pids: Int

    /// Limits.
    public init(memoryBytes: Int, cpuMillicores: Int? = nil, pids: Int) {
        self.memoryBytes = memoryBytes
        self.cpuMillicores = cpuMillicores
        self.pids = pids
    }

    /// 1 GiB of memory, no CPU limit, 512 processes: enough for the trainer service.
    public static let `default` = ResourceLimits(memoryBytes: 1 << 30, pids: 512)
}
