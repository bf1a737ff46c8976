/// One replica to run: an image's root filesystem, the process to start in it, the host
/// directories it may write, its limits and where its bundle and log go. Both runtimes take it:
/// runc runs it as an OCI container, the fallback as a plain process.
public struct ContainerSpec: Sendable, Hashable, Codable {
    /// The container's name for runc and the state files: letters, digits, `_`, `+`, `-`, `.`.
    public var id: String
    /// The image's root filesystem directory; it is never written (mount points must exist in it).
    public var rootfs: String
    /// The program to start and how.
    public var process: ContainerProcess
    /// Host directories the replica may write, bound read-write at their container paths.
    public var writableMounts: [ContainerMount]
    /// Host paths bound read-only (system directories and a few /etc files); `systemMounts()` by default.
    public var readOnlyMounts: [ContainerMount]
    /// The memory limit in bytes (the container's cgroup; page cache and tmpfs count).
    public var memoryLimitBytes: Int64
    /// The most processes and threads the replica may have at once.
    public var pidsLimit: Int64
    /// The relative CPU weight (cgroup `cpu.shares`), or nil for the default.
    public var cpuShares: UInt64?
    /// The soft and hard limit on open files.
    public var openFilesLimit: UInt64
    /// The file that the replica's stdout and stderr (and runc's messages) are appended to.
    public var logPath: String
    /// The replica's own directory: the OCI bundle (config.json, init.pid) for runc, the working
    /// directory for the process fallback.
    public var bundleDirectory: String

    /// Creates a spec; read-only mounts default to the host's system directories and /etc files.
    public init(
        id: String, rootfs: String, process: ContainerProcess, writableMounts: [ContainerMount] = [],
        readOnlyMounts: [ContainerMount] = ContainerSpec.systemMounts(), memoryLimitBytes: Int64,
        pidsLimit: Int64, cpuShares: UInt64? = nil, openFilesLimit: UInt64 = 4096, logPath: String,
        bundleDirectory: String
    ) {
        self.id = id
        self.rootfs = rootfs
        self.process = process
        self.writableMounts = writableMounts
        self.readOnlyMounts = readOnlyMounts
        self.memoryLimitBytes = memoryLimitBytes
        self.pidsLimit = pidsLimit
        self.cpuShares = cpuShares
        self.openFilesLimit = openFilesLimit
        self.logPath = logPath
        self.bundleDirectory = bundleDirectory
    }

    /// The system directories bound read-only into every replica.
    public static let systemDirectories = ["/usr", "/lib", "/lib64", "/bin", "/sbin"]
    /// The /etc files (and /etc/ssl/certs) that glibc, libcurl and OpenBLAS read; Debian's
    /// libopenblas.so.0 is a symlink through /etc/alternatives.
    public static let systemFiles = [
        "/etc/ld.so.cache", "/etc/alternatives", "/etc/ssl/certs", "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf",
        "/etc/passwd", "/etc/group",
    ]

    /// Read-only mounts of those system directories and files that exist on this host, each at
    /// the same path in the container.
    public static func systemMounts() -> [ContainerMount] {
        systemMounts(where: ContainerFiles.exists)
    }

    static func systemMounts(where exists: (String) -> Bool) -> [ContainerMount] {
        (systemDirectories + systemFiles).filter(exists).map { ContainerMount(containerPath: $0, hostPath: $0) }
    }

    /// A runc-safe id for replica `replica` of a track: `tack-<account>-<app>-<track>-<n>`, each
    /// part lowercased with anything but letters, digits, `_` and `.` turned into `-`; an id over
    /// 128 characters keeps `tack-` and its last 123 (the serial number stays).
    public static func replicaID(account: String, app: String, track: String, replica: Int) -> String {
        let id = (["tack"] + [account, app, track].map(sanitized) + ["\(replica)"]).joined(separator: "-")
        return id.count <= 128 ? id : "tack-" + id.suffix(123)
    }

    /// Why `id` cannot name a runc container, or nil when it can.
    public static func problem(withID id: String) -> String? {
        if id.isEmpty { return "the id is empty" }
        if id.utf8.count > 200 { return "the id is longer than 200 bytes" }
        if id == "." || id == ".." { return "the id cannot be . or .." }
        if let bad = id.unicodeScalars.first(where: { !isIDCharacter($0) && $0 != "+" && $0 != "-" }) {
            return "the id contains \"\(bad)\"; only letters, digits, _, +, - and . are allowed"
        }
        return nil
    }

    private static func sanitized(_ part: String) -> String {
        String(String.UnicodeScalarView(part.lowercased().unicodeScalars.map { isIDCharacter($0) ? $0 : "-" }))
    }

    private static func isIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == ".")
    }
}

/// The program a replica runs, as the container sees it.
public struct ContainerProcess: Sendable, Hashable, Codable {
    /// The entrypoint and its arguments; the first is an absolute path inside the container.
    public var arguments: [String]
    /// The whole environment (nothing is inherited).
    public var environment: [String: String]
    /// The working directory inside the container.
    public var workingDirectory: String
    /// The user id the program runs as.
    public var uid: UInt32
    /// The group id the program runs as.
    public var gid: UInt32

    /// Creates a process description; the default user is 65532 (distroless's `nonroot`).
    public init(
        arguments: [String], environment: [String: String] = [:], workingDirectory: String = "/",
        uid: UInt32 = 65532, gid: UInt32 = 65532
    ) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.uid = uid
        self.gid = gid
    }
}

/// A host path made visible at a path inside the container.
public struct ContainerMount: Sendable, Hashable, Codable {
    /// The absolute path inside the container.
    public var containerPath: String
    /// The absolute path on the host.
    public var hostPath: String

    /// Creates a mount.
    public init(containerPath: String, hostPath: String) {
        self.containerPath = containerPath
        self.hostPath = hostPath
    }
}
