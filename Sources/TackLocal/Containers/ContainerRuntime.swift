/// Starts, inspects and stops replicas. Every operation is idempotent, and all state lives on disk
/// under the runtime's state root, so a later `tack` process can list, adopt and stop what an
/// earlier one started.
public protocol ContainerRuntime: Sendable {
    /// Which implementation this is.
    var kind: ContainerRuntimeKind { get }
    /// Starts `spec` and returns once its process runs. An id that already runs is left alone
    /// and its handle returned; a stopped one is deleted and started again.
    func start(_ spec: ContainerSpec) async throws(LocalRuntimeError) -> ContainerHandle
    /// The state of container `id` now.
    func status(of id: String) async throws(LocalRuntimeError) -> ContainerStatus
    /// Stops container `id` (SIGTERM, then SIGKILL after `grace`) and forgets it; an unknown id is fine.
    func stop(_ id: String, grace: Duration) async throws(LocalRuntimeError)
    /// Every container under the state root, running or not.
    func list() async throws(LocalRuntimeError) -> [ContainerSummary]
}

/// How replicas run.
public enum ContainerRuntimeKind: String, Sendable, Hashable, Codable {
    /// As OCI containers started by runc.
    case runc
    /// As plain processes (runc is missing, or Tack does not run as root).
    case process
}

/// A started replica.
public struct ContainerHandle: Sendable, Hashable, Codable {
    /// The container id.
    public var id: String
    /// The replica's first process on the host (the container's init for runc).
    public var process: ProcessHandle
    /// The replica's log.
    public var logPath: String
    /// The replica's bundle directory.
    public var bundleDirectory: String

    /// Creates a handle.
    public init(id: String, process: ProcessHandle, logPath: String, bundleDirectory: String) {
        self.id = id
        self.process = process
        self.logPath = logPath
        self.bundleDirectory = bundleDirectory
    }
}

/// What is known of a container now.
public enum ContainerStatus: Sendable, Hashable {
    /// Created by runc but its program not started (a start that was interrupted).
    case created
    /// Its process runs with this host pid.
    case running(pid: Int32)
    /// Frozen by runc.
    case paused
    /// Its process has ended (exited or crashed); it is still known until stopped.
    case stopped
    /// No container has this id.
    case absent
}

/// One container found under the state root.
public struct ContainerSummary: Sendable, Hashable {
    /// The container id.
    public var id: String
    /// Its state.
    public var status: ContainerStatus
    /// Its bundle directory.
    public var bundleDirectory: String

    /// Creates a summary.
    public init(id: String, status: ContainerStatus, bundleDirectory: String) {
        self.id = id
        self.status = status
        self.bundleDirectory = bundleDirectory
    }
}
