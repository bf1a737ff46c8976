import Foundation

/// Runs replicas as plain processes, for machines where runc cannot be used. A replica gets the
/// same environment, port and log as in a container, but none of the isolation: it runs as Tack's
/// own user, without limits, and sees the host's whole filesystem.
///
/// Since nothing is mounted, paths are translated instead (`ContainerSpec.hostPath(for:)`): the
/// entrypoint, each argument and each environment value that is one absolute path (not a `:`
/// list), and the working directory are rewritten to where the container would find the same
/// files on the host: a writable mount's host directory, a read-only mount's source, or the
/// image's file in its root filesystem. A program that builds such paths itself, or reads them
/// from a file, still sees host paths.
///
/// Each replica's handle is recorded in `<stateRoot>/<id>.json`, so that a later process can
/// find and stop it.
public struct ProcessRuntime: ContainerRuntime {
    /// The directory of the replicas' records.
    public let stateRoot: String

    public var kind: ContainerRuntimeKind { .process }

    /// A runtime that records its replicas under `stateRoot`.
    public init(stateRoot: String) {
        self.stateRoot = stateRoot
    }

    public func start(_ spec: ContainerSpec) async throws(LocalRuntimeError) -> ContainerHandle {
        if let problem = ContainerSpec.problem(withID: spec.id) { throw .invalidContainer(id: spec.id, reason: problem) }
        guard let entrypoint = spec.process.arguments.first else {
            throw .invalidContainer(id: spec.id, reason: "the process has no arguments")
        }
        if let existing = try record(of: spec.id) {
            if existing.process.isRunning { return existing }
            try ContainerFiles.remove(recordPath(spec.id))
        }
        try Directory.create(stateRoot)
        try Directory.create(spec.bundleDirectory)
        try Directory.create(ContainerFiles.parentPath(spec.logPath))
        for mount in spec.writableMounts { try Directory.create(mount.hostPath) }

        let translated = { (value: String) in
            value.hasPrefix("/") && !value.contains(":") ? spec.hostPath(for: value) : value
        }
        let process = try ChildProcess.spawn(
            ProcessSpec(
                executable: spec.hostPath(for: entrypoint),
                arguments: spec.process.arguments.dropFirst().map(translated),
                environment: spec.process.environment.mapValues(translated),
                workingDirectory: spec.hostPath(for: spec.process.workingDirectory), logPath: spec.logPath))
        let handle = ContainerHandle(id: spec.id, process: process, logPath: spec.logPath, bundleDirectory: spec.bundleDirectory)
        do {
            try AtomicFile.write(Array(try JSONEncoder().encode(handle)), to: recordPath(spec.id))
        } catch {
            await process.terminate(grace: .seconds(1))
            throw (error as? LocalRuntimeError) ?? .io(path: recordPath(spec.id), errno: EIO)
        }
        return handle
    }

    public func status(of id: String) async throws(LocalRuntimeError) -> ContainerStatus {
        guard let handle = try record(of: id) else { return .absent }
        return handle.process.isRunning ? .running(pid: handle.process.pid) : .stopped
    }

    public func stop(_ id: String, grace: Duration) async throws(LocalRuntimeError) {
        guard let handle = try record(of: id) else { return }
        await handle.process.terminate(grace: grace)
        try ContainerFiles.remove(recordPath(id))
    }

    public func list() async throws(LocalRuntimeError) -> [ContainerSummary] {
        var result: [ContainerSummary] = []
        for name in try ContainerFiles.names(in: stateRoot) where name.hasSuffix(".json") {
            let id = String(name.dropLast(5))
            guard let handle = try record(of: id) else { continue }
            let status: ContainerStatus = handle.process.isRunning ? .running(pid: handle.process.pid) : .stopped
            result.append(ContainerSummary(id: id, status: status, bundleDirectory: handle.bundleDirectory))
        }
        return result
    }

    private func recordPath(_ id: String) -> String { "\(stateRoot)/\(id).json" }

    /// The recorded handle of replica `id`, or nil when there is none.
    private func record(of id: String) throws(LocalRuntimeError) -> ContainerHandle? {
        let path = recordPath(id)
        guard ContainerFiles.exists(path) else { return nil }
        let bytes = try POSIXRead.bytes(atPath: path)
        do {
            return try JSONDecoder().decode(ContainerHandle.self, from: Data(bytes))
        } catch {
            throw .corruptState(path: path, reason: "\(error)")
        }
    }
}

extension ContainerSpec {
    /// Where the file the container sees at `containerPath` is on the host: below the longest
    /// matching mount's host path, unchanged for the kernel's and the system's paths (/proc,
    /// /dev, /sys, /tmp), else inside the root filesystem when it exists there.
    public func hostPath(for containerPath: String) -> String {
        let mounts = writableMounts + readOnlyMounts
        let matching = mounts.filter {
            containerPath == $0.containerPath || OCIConfig.isPath(containerPath, inside: $0.containerPath)
        }
        if let mount = matching.max(by: { $0.containerPath.utf8.count < $1.containerPath.utf8.count }) {
            return mount.hostPath + containerPath.dropFirst(mount.containerPath.utf8.count)
        }
        let kernelPaths = OCIConfig.kernelMounts.map(\.destination)
        if kernelPaths.contains(where: { containerPath == $0 || OCIConfig.isPath(containerPath, inside: $0) }) {
            return containerPath
        }
        let inImage = containerPath == "/" ? rootfs : rootfs + containerPath
        return ContainerFiles.exists(inImage) ? inImage : containerPath
    }
}
