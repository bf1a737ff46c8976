import TackCore

/// The `ClusterDriver` of one `kind: local` account, on the shared local runtime.
public struct LocalDriver: ClusterDriver {
    /// The account.
    public let account: String
    /// The runtime it acts on.
    public let runtime: LocalRuntime

    /// A driver for `account`.
    public init(account: String, runtime: LocalRuntime) {
        self.account = account
        self.runtime = runtime
    }

    public func resolve(_ image: ImageRef) async throws -> ImageRef { try await runtime.resolve(image) }
    public func apply(_ spec: TrackSpec) async throws { try await runtime.apply(account: account, spec) }
    public func scale(app: String, track: Track, replicas: Int) async throws {
        try await runtime.scale(account: account, app: app, track: track, replicas: replicas)
    }
    public func delete(app: String, track: Track) async throws {
        try await runtime.delete(account: account, app: app, track: track)
    }
    public func replace(app: String, _ track: Track, with source: Track) async throws {
        try await runtime.replace(account: account, app: app, track, with: source)
    }
    public func setTraffic(app: String, _ split: TrafficSplit) async throws {
        try await runtime.setTraffic(account: account, app: app, split)
    }
    public func status(app: String) async throws -> WorkloadStatus {
        try await runtime.status(account: account, app: app)
    }
}
