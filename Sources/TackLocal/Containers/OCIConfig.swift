import Foundation

/// The OCI runtime-spec `config.json` of a replica's bundle, made from a `ContainerSpec` by a
/// pure function. It follows `runc spec` (mounts, masked and read-only paths, device rules) and
/// hardens it: read-only root, no capabilities, no new privileges, a non-root user, memory and
/// pids limits, its own cgroup namespace (so it reads its own limits at /sys/fs/cgroup), and no
/// network namespace, so the replica listens on the host's loopback.
struct OCIConfig: Sendable, Hashable, Codable {
    /// The runtime-spec version.
    var ociVersion: String
    /// The program and its privileges.
    var process: Process
    /// The root filesystem.
    var root: Root
    /// The host name inside the container's UTS namespace.
    var hostname: String
    /// Mounts in the order runc performs them.
    var mounts: [Mount]
    /// Namespaces, cgroup and resource limits.
    var linux: Linux

    /// The config that runs `spec`.
    init(_ spec: ContainerSpec) {
        ociVersion = "1.0.2"
        let everyCapability: [String] = []
        process = Process(
            terminal: false, user: User(uid: spec.process.uid, gid: spec.process.gid),
            args: spec.process.arguments,
            env: spec.process.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            cwd: spec.process.workingDirectory,
            capabilities: Capabilities(
                bounding: everyCapability, effective: everyCapability, inheritable: everyCapability,
                permitted: everyCapability, ambient: everyCapability),
            rlimits: [Rlimit(type: "RLIMIT_NOFILE", hard: spec.openFilesLimit, soft: spec.openFilesLimit)],
            noNewPrivileges: true)
        root = Root(path: spec.rootfs, readonly: true)
        hostname = String(spec.id.prefix(63))
        mounts = Self.kernelMounts + Self.bindMounts(spec)
        linux = Linux(
            namespaces: ["pid", "ipc", "uts", "mount", "cgroup"].map(Namespace.init(type:)),
            resources: Resources(
                devices: [DeviceRule(allow: false, access: "rwm")],
                memory: Memory(limit: spec.memoryLimitBytes), pids: Pids(limit: spec.pidsLimit),
                cpu: spec.cpuShares.map(CPU.init(shares:))),
            cgroupsPath: Self.cgroupsPath(id: spec.id),
            maskedPaths: [
                "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
            ],
            readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"])
    }

    /// The cgroup path of container `id`, below the root of each cgroup hierarchy.
    static func cgroupsPath(id: String) -> String { "/tack/\(id)" }

    /// The config as JSON with sorted keys.
    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Every field is a string, number, bool or array of them: encoding cannot fail.
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// Destinations that runc mounts onto directly in the root filesystem (not inside an
    /// earlier mount), so the image must already have them: runc would otherwise create them in
    /// the image's directory on the host.
    var mountPointsInRootfs: [String] {
        var result: [String] = []
        for (index, mount) in mounts.enumerated()
        where !mounts[..<index].contains(where: { Self.isPath(mount.destination, inside: $0.destination) }) {
            result.append(mount.destination)
        }
        return result
    }

    /// What every container gets, as in `runc spec`, plus a private /tmp.
    static let kernelMounts: [Mount] = [
        Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        Mount(
            destination: "/dev/pts", type: "devpts", source: "devpts",
            options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        Mount(destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
        Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
        Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
        Mount(destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777", "size=65536k"]),
    ]

    /// The read-only binds, then the writable ones. Files under /etc go onto a small tmpfs at
    /// /etc (root-owned, mode 755, so the non-root user cannot write it), so that their mount
    /// points are made there and not in the image; the image's own /etc is hidden then.
    static func bindMounts(_ spec: ContainerSpec) -> [Mount] {
        let readOnly = ["rbind", "ro", "nosuid", "nodev"]
        let (etc, other) = (
            spec.readOnlyMounts.filter { isPath($0.containerPath, inside: "/etc") },
            spec.readOnlyMounts.filter { !isPath($0.containerPath, inside: "/etc") }
        )
        var result = other.map { Mount(destination: $0.containerPath, type: "bind", source: $0.hostPath, options: readOnly) }
        if !etc.isEmpty {
            result.append(Mount(destination: "/etc", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "noexec", "mode=755", "size=1m"]))
            result += etc.map { Mount(destination: $0.containerPath, type: "bind", source: $0.hostPath, options: readOnly + ["noexec"]) }
        }
        result += spec.writableMounts.map {
            Mount(destination: $0.containerPath, type: "bind", source: $0.hostPath, options: ["rbind", "rw", "nosuid", "nodev"])
        }
        return result
    }

    /// Whether `path` is strictly below directory `directory`.
    static func isPath(_ path: String, inside directory: String) -> Bool {
        directory == "/" ? path != "/" : path.hasPrefix(directory + "/")
    }
}

extension OCIConfig {
    /// `process`: what runs and with which privileges.
    struct Process: Sendable, Hashable, Codable {
        var terminal: Bool
        var user: User
        var args: [String]
        var env: [String]
        var cwd: String
        var capabilities: Capabilities
        var rlimits: [Rlimit]
        var noNewPrivileges: Bool
    }

    /// `process.user`.
    struct User: Sendable, Hashable, Codable {
        var uid: UInt32
        var gid: UInt32
    }

    /// `process.capabilities`: every set empty.
    struct Capabilities: Sendable, Hashable, Codable {
        var bounding: [String]
        var effective: [String]
        var inheritable: [String]
        var permitted: [String]
        var ambient: [String]
    }

    /// One entry of `process.rlimits`.
    struct Rlimit: Sendable, Hashable, Codable {
        var type: String
        var hard: UInt64
        var soft: UInt64
    }

    /// `root`.
    struct Root: Sendable, Hashable, Codable {
        var path: String
        var readonly: Bool
    }

    /// One entry of `mounts`.
    struct Mount: Sendable, Hashable, Codable {
        var destination: String
        var type: String
        var source: String
        var options: [String]
    }

    /// `linux`.
    struct Linux: Sendable, Hashable, Codable {
        var namespaces: [Namespace]
        var resources: Resources
        var cgroupsPath: String
        var maskedPaths: [String]
        var readonlyPaths: [String]
    }

    /// One entry of `linux.namespaces`.
    struct Namespace: Sendable, Hashable, Codable {
        var type: String
    }

    /// `linux.resources`.
    struct Resources: Sendable, Hashable, Codable {
        var devices: [DeviceRule]
        var memory: Memory
        var pids: Pids
        var cpu: CPU?
    }

    /// One entry of `linux.resources.devices`.
    struct DeviceRule: Sendable, Hashable, Codable {
        var allow: Bool
        var access: String
    }

    /// `linux.resources.memory`.
    struct Memory: Sendable, Hashable, Codable {
        var limit: Int64
    }

    /// `linux.resources.pids`.
    struct Pids: Sendable, Hashable, Codable {
        var limit: Int64
    }

    /// `linux.resources.cpu`.
    struct CPU: Sendable, Hashable, Codable {
        var shares: UInt64
    }
}
