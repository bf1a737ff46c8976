import Foundation

/// Runs replicas as OCI containers with runc. Its containers live under their own runc state root
/// (`runc --root`), apart from any other runc user's, and their cgroups under `/tack/<id>`.
///
/// `runc run --detach` without a terminal passes its stdio to the container, so the container's
/// stdout and stderr are appended to the replica's log, as are runc's own messages.
public struct RuncRuntime: ContainerRuntime {
    /// The runc program.
    public let executable: String
    /// runc's state directory for Tack's containers.
    public let stateRoot: String

    public var kind: ContainerRuntimeKind { .runc }

    /// A runtime that runs `executable` with `--root stateRoot`.
    public init(executable: String = "/usr/sbin/runc", stateRoot: String) {
        self.executable = executable
        self.stateRoot = stateRoot
    }

    public func start(_ spec: ContainerSpec) async throws(LocalRuntimeError) -> ContainerHandle {
        if let problem = ContainerSpec.problem(withID: spec.id) { throw .invalidContainer(id: spec.id, reason: problem) }
        let config = OCIConfig(spec)
        if let missing = config.mountPointsInRootfs.first(where: { !ContainerFiles.exists(spec.rootfs + $0) }) {
            throw .invalidContainer(id: spec.id, reason: "the root filesystem \(spec.rootfs) has no mount point \(missing)")
        }
        if let existing = try await state(of: spec.id) {
            if existing.status == "running", let process = ProcessHandle.adopt(pid: existing.pid) {
                return ContainerHandle(id: spec.id, process: process, logPath: spec.logPath, bundleDirectory: spec.bundleDirectory)
            }
            try await delete(spec.id)
        }

        try Directory.create(spec.bundleDirectory)
        try Directory.create(ContainerFiles.parentPath(spec.logPath))
        for mount in spec.writableMounts {
            try Directory.create(mount.hostPath)
            try ContainerFiles.changeOwner(mount.hostPath, uid: spec.process.uid, gid: spec.process.gid)
        }
        try AtomicFile.write(config.encoded(), to: spec.bundleDirectory + "/config.json")
        let pidFile = spec.bundleDirectory + "/init.pid"
        try ContainerFiles.remove(pidFile)

        let logStart = ContainerFiles.size(spec.logPath)
        let arguments = ["run", "--detach", "--bundle", spec.bundleDirectory, "--pid-file", pidFile, spec.id]
        let runc = try ChildProcess.spawn(
            ProcessSpec(
                executable: executable, arguments: ["--root", stateRoot] + arguments,
                environment: ChildProcess.minimalEnvironment, logPath: spec.logPath))
        let status = try await Self.waitForExit(runc, what: "runc run \(spec.id)", timeout: .seconds(30))
        guard status == 0 else {
            try? await delete(spec.id)
            let output = (try? POSIXRead.bytes(atPath: spec.logPath)).map { String(decoding: $0.dropFirst(logStart).suffix(2000), as: UTF8.self) }
            throw .commandFailed(
                command: "runc run \(spec.id)", status: status,
                output: (output ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let pidText = try POSIXRead.string(atPath: pidFile).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = Int32(pidText) else {
            throw .corruptState(path: pidFile, reason: "\"\(pidText.prefix(40))\" is not a pid")
        }
        // An init that already ended gets a handle that reads as gone.
        let process = ProcessHandle.adopt(pid: pid) ?? ProcessHandle(pid: pid, startTime: 0)
        return ContainerHandle(id: spec.id, process: process, logPath: spec.logPath, bundleDirectory: spec.bundleDirectory)
    }

    public func status(of id: String) async throws(LocalRuntimeError) -> ContainerStatus {
        guard let state = try await state(of: id) else { return .absent }
        return state.containerStatus
    }

    public func stop(_ id: String, grace: Duration) async throws(LocalRuntimeError) {
        guard let state = try await state(of: id) else { return }
        if state.status != "stopped", state.pid > 0, let process = ProcessHandle.adopt(pid: state.pid) {
            // The init is pid 1 of its namespace: a signal it has no handler for is ignored.
            _ = try await runc(["kill", id, "TERM"], check: false)
            if await !process.waitUntilGone(timeout: grace) {
                _ = try await runc(["kill", id, "KILL"], check: false)
                _ = await process.waitUntilGone(timeout: .seconds(5))
            }
        }
        try await delete(id)
    }

    public func list() async throws(LocalRuntimeError) -> [ContainerSummary] {
        let output = try await runc(["list", "--format", "json"])
        let text = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text == "null" { return [] }
        let states: [RuncState]
        do {
            states = try JSONDecoder().decode([RuncState].self, from: Data(text.utf8))
        } catch {
            throw .corruptState(path: stateRoot, reason: "runc list printed unreadable JSON: \(error)")
        }
        return states.map { ContainerSummary(id: $0.id, status: $0.containerStatus, bundleDirectory: $0.bundle) }
    }

    /// runc's record of container `id`, or nil when there is none.
    private func state(of id: String) async throws(LocalRuntimeError) -> RuncState? {
        let output = try await runc(["state", id], check: false)
        if output.status != 0 {
            if output.stderr.contains("does not exist") { return nil }
            throw .commandFailed(
                command: "runc state \(id)", status: output.status,
                output: output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        do {
            return try JSONDecoder().decode(RuncState.self, from: Data(output.stdout.utf8))
        } catch {
            throw .corruptState(path: "\(stateRoot)/\(id)", reason: "runc state printed unreadable JSON: \(error)")
        }
    }

    /// Deletes container `id` whatever its state (killing what still runs); an unknown id is fine.
    private func delete(_ id: String) async throws(LocalRuntimeError) {
        let output = try await runc(["delete", "--force", id], check: false)
        if output.status != 0 && !output.stderr.contains("does not exist") {
            throw .commandFailed(
                command: "runc delete \(id)", status: output.status,
                output: output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    private func runc(_ arguments: [String], check: Bool = true) async throws(LocalRuntimeError) -> CommandOutput {
        try await ChildProcess.run(executable, ["--root", stateRoot] + arguments, check: check, timeout: .seconds(20))
    }

    /// Polls a child until it exits; returns its exit status (128 + signal when killed).
    private static func waitForExit(_ process: ProcessHandle, what: String, timeout: Duration) async throws(LocalRuntimeError) -> Int32 {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.microseconds(500)
        while true {
            switch process.state() {
            case .exited(let code): return code
            case .signalled(let signal): return 128 + signal
            case .gone: return -1
            case .running: break
            }
            if ContinuousClock.now >= deadline {
                await process.terminate(grace: .seconds(1))
                throw .timedOut(what: "\(what) to finish", seconds: timeout.seconds)
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
    }
}

/// What `runc state` and `runc list --format json` print for a container.
struct RuncState: Decodable {
    var id: String
    var pid: Int32
    var status: String
    var bundle: String

    var containerStatus: ContainerStatus {
        switch status {
        case "created": .created
        case "running": .running(pid: pid)
        case "paused", "pausing": .paused
        default: .stopped
        }
    }
}
