import Foundation
import Testing

@testable import TackLocal

/// A replica's world in a temporary directory: a tiny image root filesystem whose program is the
/// host's python3 (through the /usr bind) running `Fixtures/containers/server.py`, a host
/// directory for its writable /data, its bundle, log, and a runtime state root of its own.
struct ReplicaFixture {
    let directory: String
    let port: Int
    let id: String

    static let runc = ["/usr/sbin/runc", "/usr/bin/runc", "/sbin/runc"].first(where: { (path: String) in access(path, X_OK) == 0 })
    static let canUseRunc = geteuid() == 0 && runc != nil
    static let server = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/containers/server.py").path

    var rootfs: String { directory + "/image/rootfs" }
    var dataDirectory: String { directory + "/replica/writable/data" }
    var logPath: String { directory + "/replica/replica.log" }
    var stateRoot: String { directory + "/state" }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tack-container-\(UUID().uuidString.prefix(8))").path
        port = try FreePort.next()
        id = "tack-test-\(UUID().uuidString.prefix(8).lowercased())"
        let files = FileManager.default
        // Mount points only: the image itself is one script.
        for mountPoint in ["proc", "dev", "sys", "tmp", "usr", "lib", "lib64", "bin", "sbin", "etc", "data", "app"] {
            try files.createDirectory(atPath: "\(rootfs)/\(mountPoint)", withIntermediateDirectories: true)
        }
        try files.copyItem(atPath: Self.server, toPath: rootfs + "/app/server.py")
        // The temporary directory may be private to root; the replica's user must reach its files.
        chmod(directory, 0o755)
    }

    func spec() -> ContainerSpec {
        ContainerSpec(
            id: id, rootfs: rootfs,
            process: ContainerProcess(
                arguments: ["/usr/bin/python3", "/app/server.py"],
                environment: [
                    "PORT": "\(port)", "DATA_DIR": "/data", "GREETING": "hello", "PYTHONDONTWRITEBYTECODE": "1",
                    "PATH": "/usr/bin:/bin",
                ]),
            writableMounts: [ContainerMount(containerPath: "/data", hostPath: dataDirectory)],
            memoryLimitBytes: 96 << 20, pidsLimit: 32, logPath: logPath, bundleDirectory: directory + "/replica")
    }

    /// Runs `body` with a fixture and removes every container and file afterwards, also when it fails.
    static func with(_ body: (ReplicaFixture) async throws -> Void) async throws {
        let fixture = try ReplicaFixture()
        do {
            try await body(fixture)
        } catch {
            await fixture.cleanUp()
            throw error
        }
        await fixture.cleanUp()
    }

    func cleanUp() async {
        if let runc = Self.runc {
            _ = try? await ChildProcess.run(runc, ["--root", stateRoot, "delete", "--force", id], check: false)
        }
        if let handle = try? await ProcessRuntime(stateRoot: stateRoot + "/processes").status(of: id), case .running(let pid) = handle {
            await ProcessHandle.adopt(pid: pid)?.terminate(grace: .seconds(1))
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// GETs `path` from the replica; nil when nothing answers.
    func get(_ path: String) async -> String? {
        let output = try? await ChildProcess.run(
            "/usr/bin/curl", ["-sf", "--max-time", "2", "http://127.0.0.1:\(port)\(path)"], check: false, timeout: .seconds(5))
        return output.flatMap { $0.status == 0 ? $0.stdout : nil }
    }

    /// Waits until /readyz answers, for at most `timeout`.
    func waitUntilReady(timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await get("/readyz") == "ok\n" { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// What the replica reports about itself.
    func probe() async throws -> Probe {
        let text = try #require(await get("/probe"))
        return try JSONDecoder().decode(Probe.self, from: Data(text.utf8))
    }

    func waitForStatus(_ runtime: any ContainerRuntime, timeout: Duration = .seconds(5), until done: (ContainerStatus) -> Bool) async throws -> ContainerStatus {
        let deadline = ContinuousClock.now + timeout
        var status = try await runtime.status(of: id)
        while !done(status) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            status = try await runtime.status(of: id)
        }
        return status
    }

    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

struct Probe: Decodable {
    var uid: UInt32
    var gid: UInt32
    var rootWritable: Bool
    var dataWritable: Bool
    var noNewPrivs: String
    var capEff: String
    var memoryLimit: String
    var pidsLimit: String
    var pid: Int32
    var greeting: String
}

@Suite("Container runtimes", .serialized)
struct ContainerTests {
    @Test(
        "a runc replica runs as non-root on the host network with a read-only root, its limits, and its output in its log",
        .enabled(if: ReplicaFixture.canUseRunc, "needs root and runc"))
    func runcReplica() async throws {
        try await ReplicaFixture.with { fixture in
            let runtime = RuncRuntime(executable: try #require(ReplicaFixture.runc), stateRoot: fixture.stateRoot)
            let handle = try await runtime.start(fixture.spec())
            #expect(handle.process.isRunning)
            #expect(await fixture.waitUntilReady(), "log: \(fixture.log())")
            #expect(try await runtime.status(of: fixture.id) == .running(pid: handle.process.pid))

            let probe = try await fixture.probe()
            #expect(probe.uid == 65532 && probe.gid == 65532)
            #expect(!probe.rootWritable)
            #expect(probe.dataWritable)
            #expect(probe.noNewPrivs == "1")
            #expect(probe.capEff == "0000000000000000")
            #expect(probe.pid == 1, "the replica has its own pid namespace")
            #expect(probe.greeting == "hello")
            // The limits as the replica reads them, and as the host's cgroup has them.
            #expect(probe.memoryLimit == "\(96 << 20)")
            #expect(probe.pidsLimit == "32")
            let cgroup = OCIConfig.cgroupsPath(id: fixture.id)
            let memory = ["/sys/fs/cgroup/memory\(cgroup)/memory.limit_in_bytes", "/sys/fs/cgroup\(cgroup)/memory.max"]
                .compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.first
            #expect(memory?.trimmingCharacters(in: .whitespacesAndNewlines) == "\(96 << 20)")

            let written = try String(contentsOfFile: fixture.dataDirectory + "/probe.txt", encoding: .utf8)
            #expect(written == "written by the replica\n")
            #expect(!FileManager.default.fileExists(atPath: fixture.rootfs + "/app/probe-root"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.rootfs + "/etc").isEmpty, "the image is never written")
            let log = fixture.log()
            #expect(log.contains("listening on 127.0.0.1:\(fixture.port)"))
            #expect(log.contains("a line on stderr"))

            #expect(try await runtime.list() == [ContainerSummary(id: fixture.id, status: .running(pid: handle.process.pid), bundleDirectory: fixture.directory + "/replica")])
            // Starting a running replica again leaves it alone.
            #expect(try await runtime.start(fixture.spec()).process == handle.process)

            let start = ContinuousClock.now
            try await runtime.stop(fixture.id, grace: .seconds(5))
            #expect(ContinuousClock.now - start < .seconds(3), "SIGTERM ends it within the grace")
            #expect(try await runtime.status(of: fixture.id) == .absent)
            #expect(try await runtime.list().isEmpty)
            #expect(!handle.process.isRunning)
            #expect(await fixture.get("/readyz") == nil)
            #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory\(cgroup)"))
            // Stopping what is gone is fine.
            try await runtime.stop(fixture.id, grace: .seconds(1))
        }
    }

    @Test(
        "a crashed runc replica is reported as stopped and starts again under the same id",
        .enabled(if: ReplicaFixture.canUseRunc, "needs root and runc"))
    func runcCrash() async throws {
        try await ReplicaFixture.with { fixture in
            let runtime = RuncRuntime(executable: try #require(ReplicaFixture.runc), stateRoot: fixture.stateRoot)
            let first = try await runtime.start(fixture.spec())
            #expect(await fixture.waitUntilReady(), "log: \(fixture.log())")
            _ = await fixture.get("/exit")
            #expect(try await fixture.waitForStatus(runtime) { $0 == .stopped } == .stopped)
            #expect(try await runtime.list().map(\.status) == [.stopped])

            let second = try await runtime.start(fixture.spec())
            #expect(second.process != first.process)
            #expect(await fixture.waitUntilReady(), "log: \(fixture.log())")
            #expect(fixture.log().components(separatedBy: "listening on").count == 3, "both runs log to the same file")
            try await runtime.stop(fixture.id, grace: .seconds(5))
            #expect(try await runtime.list().isEmpty)
        }
    }

    @Test(
        "runc refuses an image without a mount point instead of writing into it, and names what runc said",
        .enabled(if: ReplicaFixture.canUseRunc, "needs root and runc"))
    func runcErrors() async throws {
        try await ReplicaFixture.with { fixture in
            let runtime = RuncRuntime(executable: try #require(ReplicaFixture.runc), stateRoot: fixture.stateRoot)
            var spec = fixture.spec()
            spec.writableMounts.append(ContainerMount(containerPath: "/models", hostPath: fixture.directory + "/models"))
            await #expect(
                throws: LocalRuntimeError.invalidContainer(id: fixture.id, reason: "the root filesystem \(fixture.rootfs) has no mount point /models")
            ) {
                try await runtime.start(spec)
            }
            #expect(!FileManager.default.fileExists(atPath: fixture.rootfs + "/models"))

            var missing = fixture.spec()
            missing.process.arguments = ["/app/no-such-program"]
            do {
                _ = try await runtime.start(missing)
                Issue.record("a missing program started")
            } catch {
                guard case .commandFailed(let command, _, let output)? = error as? LocalRuntimeError else { throw error }
                #expect(command == "runc run \(fixture.id)")
                #expect(output.contains("no-such-program"), "\(output)")
            }
            #expect(try await runtime.list().isEmpty, "a failed start leaves no container")
        }
    }

    @Test("without runc a replica runs as a plain process with the same environment, port and log, and paths mapped to the host")
    func processReplica() async throws {
        try await ReplicaFixture.with { fixture in
            let runtime = ProcessRuntime(stateRoot: fixture.stateRoot + "/processes")
            let handle = try await runtime.start(fixture.spec())
            #expect(await fixture.waitUntilReady(), "log: \(fixture.log())")
            #expect(try await runtime.status(of: fixture.id) == .running(pid: handle.process.pid))
            let probe = try await fixture.probe()
            #expect(probe.uid == getuid() && probe.pid == handle.process.pid)
            #expect(probe.greeting == "hello")
            #expect(probe.dataWritable)
            #expect(try String(contentsOfFile: fixture.dataDirectory + "/probe.txt", encoding: .utf8) == "written by the replica\n")
            #expect(fixture.log().contains("listening on 127.0.0.1:\(fixture.port)"))
            #expect(try await runtime.start(fixture.spec()) == handle, "starting it again leaves it alone")
            #expect(try await runtime.list() == [ContainerSummary(id: fixture.id, status: .running(pid: handle.process.pid), bundleDirectory: fixture.directory + "/replica")])

            _ = await fixture.get("/exit")
            #expect(try await fixture.waitForStatus(runtime) { $0 == .stopped } == .stopped)
            let second = try await runtime.start(fixture.spec())
            #expect(await fixture.waitUntilReady())
            try await runtime.stop(fixture.id, grace: .seconds(5))
            #expect(!second.process.isRunning)
            #expect(try await runtime.status(of: fixture.id) == .absent)
            #expect(try await runtime.list().isEmpty)
            try await runtime.stop(fixture.id, grace: .seconds(1))
        }
    }

    @Test("paths the container would see are mapped to the host for the process fallback")
    func hostPaths() throws {
        try FileManager.default.createDirectory(atPath: "/tmp/tack-hostpath-test/rootfs/app", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: "/tmp/tack-hostpath-test") }
        _ = FileManager.default.createFile(atPath: "/tmp/tack-hostpath-test/rootfs/app/server", contents: Data())
        let spec = ContainerSpec(
            id: "x", rootfs: "/tmp/tack-hostpath-test/rootfs", process: ContainerProcess(arguments: ["/app/server"]),
            writableMounts: [ContainerMount(containerPath: "/data", hostPath: "/state/r0/data")],
            readOnlyMounts: [ContainerMount(containerPath: "/usr", hostPath: "/usr")], memoryLimitBytes: 1, pidsLimit: 1,
            logPath: "/state/r0/log", bundleDirectory: "/state/r0")
        #expect(spec.hostPath(for: "/app/server") == "/tmp/tack-hostpath-test/rootfs/app/server")
        #expect(spec.hostPath(for: "/data") == "/state/r0/data")
        #expect(spec.hostPath(for: "/data/cache/x") == "/state/r0/data/cache/x")
        #expect(spec.hostPath(for: "/database") == "/database")
        #expect(spec.hostPath(for: "/usr/bin/python3") == "/usr/bin/python3")
        #expect(spec.hostPath(for: "/tmp/scratch") == "/tmp/scratch")
        #expect(spec.hostPath(for: "/") == "/tmp/tack-hostpath-test/rootfs")
        #expect(spec.hostPath(for: "/nowhere") == "/nowhere")
    }

    @Test("runc is used only as root with runc installed; otherwise Tack says why, in one line")
    func selection() {
        let installed = { (path: String) in path == "/usr/sbin/runc" }
        let root = ContainerRuntimeSelection.detect(isRoot: true, searchPath: "/usr/local/bin:/usr/bin", isExecutable: installed)
        #expect(root.kind == .runc && root.runcExecutable == "/usr/sbin/runc" && root.fallbackReason == nil)
        #expect(root.makeRuntime(stateRoot: "/s").kind == .runc)
        let user = ContainerRuntimeSelection.detect(isRoot: false, searchPath: "/usr/bin", isExecutable: installed)
        #expect(user.kind == .process && user.fallbackReason?.contains("root") == true)
        #expect(user.makeRuntime(stateRoot: "/s").kind == .process)
        let missing = ContainerRuntimeSelection.detect(isRoot: true, searchPath: "/usr/bin", isExecutable: { _ in false })
        #expect(missing == ContainerRuntimeSelection(kind: .process, runcExecutable: nil, fallbackReason: "runc not found: replicas run as plain processes"))
        let onPath = ContainerRuntimeSelection.detect(isRoot: true, searchPath: "relative:/opt/runc/bin", isExecutable: { $0.hasSuffix("runc") })
        #expect(onPath.runcExecutable == "/opt/runc/bin/runc")
    }
}
