#if canImport(Glibc)
import Glibc
#endif

/// Which runtime this machine can use: runc when Tack runs as root and runc is installed,
/// plain processes otherwise, with the one line that says why.
public struct ContainerRuntimeSelection: Sendable, Hashable {
    /// The runtime to use.
    public var kind: ContainerRuntimeKind
    /// The runc program, when `kind` is `.runc`.
    public var runcExecutable: String?
    /// Why replicas run as plain processes (for the log, once), or nil when runc is used.
    public var fallbackReason: String?

    /// Looks for runc on `PATH` and in /usr/sbin, /usr/bin and /sbin, and checks for root.
    public static func detect() -> ContainerRuntimeSelection {
        detect(
            isRoot: geteuid() == 0, searchPath: getenv("PATH").map { String(cString: $0) } ?? "",
            isExecutable: { access($0, X_OK) == 0 })
    }

    static func detect(isRoot: Bool, searchPath: String, isExecutable: (String) -> Bool) -> ContainerRuntimeSelection {
        let directories = searchPath.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin"]
        let runc = directories.map { "\($0)/runc" }.first(where: { $0.hasPrefix("/") && isExecutable($0) })
        guard let runc else {
            return ContainerRuntimeSelection(
                kind: .process, runcExecutable: nil, fallbackReason: "runc not found: replicas run as plain processes")
        }
        guard isRoot else {
            return ContainerRuntimeSelection(
                kind: .process, runcExecutable: nil,
                fallbackReason: "tack does not run as root, which runc needs: replicas run as plain processes")
        }
        return ContainerRuntimeSelection(kind: .runc, runcExecutable: runc, fallbackReason: nil)
    }

    /// The selected runtime, keeping its state under `stateRoot`.
    public func makeRuntime(stateRoot: String) -> any ContainerRuntime {
        if kind == .runc, let runcExecutable {
            return RuncRuntime(executable: runcExecutable, stateRoot: stateRoot)
        }
        return ProcessRuntime(stateRoot: stateRoot)
    }
}
