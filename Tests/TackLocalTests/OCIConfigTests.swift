import Foundation
import Testing

@testable import TackLocal

@Suite("OCIConfig")
struct OCIConfigTests {
    static func spec(readOnly: [ContainerMount] = ContainerSpec.systemMounts(where: { _ in true })) -> ContainerSpec {
        ContainerSpec(
            id: "tack-aws-recommender-canary-0", rootfs: "/images/recommender/rootfs",
            process: ContainerProcess(
                arguments: ["/app/lora-train", "serve"], environment: ["PORT": "8123", "A": "1"], workingDirectory: "/app"),
            writableMounts: [ContainerMount(containerPath: "/data", hostPath: "/state/replicas/0/data")],
            readOnlyMounts: readOnly, memoryLimitBytes: 256 << 20, pidsLimit: 64, cpuShares: 512,
            logPath: "/state/replicas/0/replica.log", bundleDirectory: "/state/replicas/0/bundle")
    }

    @Test("the container shares the host network but gets its own pid, ipc, uts, mount and cgroup namespaces")
    func namespaces() {
        let config = OCIConfig(Self.spec())
        #expect(config.linux.namespaces.map(\.type) == ["pid", "ipc", "uts", "mount", "cgroup"])
        #expect(config.hostname == "tack-aws-recommender-canary-0")
    }

    @Test("the process runs as the non-root user with no capabilities and no new privileges")
    func privileges() {
        let config = OCIConfig(Self.spec())
        #expect(config.process.user == OCIConfig.User(uid: 65532, gid: 65532))
        #expect(config.process.noNewPrivileges)
        #expect(!config.process.terminal)
        let capabilities = config.process.capabilities
        let sets = [capabilities.bounding, capabilities.effective, capabilities.inheritable, capabilities.permitted, capabilities.ambient]
        #expect(sets.allSatisfy { $0.isEmpty })
        #expect(config.process.args == ["/app/lora-train", "serve"])
        #expect(config.process.env == ["A=1", "PORT=8123"])
        #expect(config.process.cwd == "/app")
        #expect(config.process.rlimits == [OCIConfig.Rlimit(type: "RLIMIT_NOFILE", hard: 4096, soft: 4096)])
    }

    @Test("the root is read-only and the limits and cgroup path are set")
    func rootAndLimits() {
        let config = OCIConfig(Self.spec())
        #expect(config.root == OCIConfig.Root(path: "/images/recommender/rootfs", readonly: true))
        #expect(config.linux.resources.memory.limit == 256 << 20)
        #expect(config.linux.resources.pids.limit == 64)
        #expect(config.linux.resources.cpu?.shares == 512)
        #expect(config.linux.resources.devices == [OCIConfig.DeviceRule(allow: false, access: "rwm")])
        #expect(config.linux.cgroupsPath == "/tack/tack-aws-recommender-canary-0")
        #expect(config.linux.maskedPaths.contains("/proc/kcore"))
        #expect(config.linux.readonlyPaths.contains("/proc/sys"))
        var withoutShares = Self.spec()
        withoutShares.cpuShares = nil
        #expect(OCIConfig(withoutShares).linux.resources.cpu == nil)
    }

    @Test("system paths are bound read-only, /etc files onto a tmpfs, writable directories read-write, in that order")
    func mounts() throws {
        let config = OCIConfig(Self.spec())
        let destinations = config.mounts.map(\.destination)
        #expect(
            destinations == [
                "/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/tmp",
                "/usr", "/lib", "/lib64", "/bin", "/sbin",
                "/etc", "/etc/ld.so.cache", "/etc/alternatives", "/etc/ssl/certs", "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group",
                "/data",
            ])
        let usr = try #require(config.mounts.first { $0.destination == "/usr" })
        #expect(usr.type == "bind" && usr.source == "/usr" && usr.options.contains("ro") && usr.options.contains("rbind"))
        let etc = try #require(config.mounts.first { $0.destination == "/etc" })
        #expect(etc.type == "tmpfs" && etc.options.contains("mode=755"))
        let hosts = try #require(config.mounts.first { $0.destination == "/etc/hosts" })
        #expect(hosts.options.contains("ro") && hosts.options.contains("noexec"))
        let data = try #require(config.mounts.first { $0.destination == "/data" })
        #expect(data.source == "/state/replicas/0/data" && data.options.contains("rw") && !data.options.contains("ro"))
        #expect(config.mounts.first { $0.destination == "/sys" }?.options.contains("ro") == true)
        #expect(config.mounts.first { $0.destination == "/tmp" }?.type == "tmpfs")
    }

    @Test("the image must provide only the mount points that are not inside another mount")
    func mountPoints() {
        #expect(
            OCIConfig(Self.spec()).mountPointsInRootfs == [
                "/proc", "/dev", "/sys", "/tmp", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", "/data",
            ])
        let noEtc = OCIConfig(Self.spec(readOnly: [ContainerMount(containerPath: "/usr", hostPath: "/usr")]))
        #expect(!noEtc.mounts.contains { $0.destination == "/etc" })
        #expect(noEtc.mountPointsInRootfs == ["/proc", "/dev", "/sys", "/tmp", "/usr", "/data"])
    }

    @Test("config.json has sorted keys, plain slashes and no network namespace")
    func encoding() throws {
        let text = String(decoding: OCIConfig(Self.spec()).encoded(), as: UTF8.self)
        #expect(text.contains("\"ociVersion\" : \"1.0.2\""))
        #expect(text.contains("\"destination\" : \"/proc\""))
        #expect(!text.contains("network"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json.keys.sorted() == ["hostname", "linux", "mounts", "ociVersion", "process", "root"])
        let linux = try #require(json["linux"] as? [String: Any])
        #expect((linux["resources"] as? [String: Any])?["memory"] as? [String: Int] == ["limit": 256 << 20])
        // Keys appear in sorted order in the text.
        let hostname = try #require(text.range(of: "\"hostname\""))
        let linuxKey = try #require(text.range(of: "\"linux\""))
        #expect(hostname.lowerBound < linuxKey.lowerBound)
    }

    @Test("replica ids are runc-safe and bad ids are refused with the reason")
    func ids() {
        #expect(ContainerSpec.replicaID(account: "AWS East", app: "recommender", track: "canary", replica: 2) == "tack-aws-east-recommender-canary-2")
        #expect(ContainerSpec.replicaID(account: "gcp/é", app: "a_b.c", track: "stable", replica: 0) == "tack-gcp---a_b.c-stable-0")
        #expect(ContainerSpec.problem(withID: "tack-aws-recommender-stable-0") == nil)
        let long = ContainerSpec.replicaID(account: String(repeating: "a", count: 300), app: "web", track: "canary", replica: 7)
        #expect(long.count == 128 && long.hasPrefix("tack-") && long.hasSuffix("-web-canary-7"))
        #expect(ContainerSpec.problem(withID: long) == nil)
        #expect(ContainerSpec.problem(withID: "") != nil)
        #expect(ContainerSpec.problem(withID: "..") != nil)
        #expect(ContainerSpec.problem(withID: "a/b")?.contains("\"/\"") == true)
    }

    @Test("only the system paths that exist on the host are bound")
    func systemMounts() {
        let mounts = ContainerSpec.systemMounts(where: { ["/usr", "/etc/hosts"].contains($0) })
        #expect(mounts == [ContainerMount(containerPath: "/usr", hostPath: "/usr"), ContainerMount(containerPath: "/etc/hosts", hostPath: "/etc/hosts")])
    }
}
