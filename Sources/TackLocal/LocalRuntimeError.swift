#if canImport(Glibc)
import Glibc
#endif

/// Everything that can go wrong in the local runtime; `description` is the sentence the CLI prints.
public enum LocalRuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A program could not be started at all (missing, not executable).
    case spawnFailed(executable: String, errno: Int32)
    /// A program ran and failed; `output` is the tail of what it printed.
    case commandFailed(command: String, status: Int32, output: String)
    /// A file or directory the runtime owns could not be read or written.
    case io(path: String, errno: Int32)
    /// Something did not happen within its time limit.
    case timedOut(what: String, seconds: Double)
    /// An image directory or manifest is unusable.
    case invalidImage(path: String, reason: String)
    /// An image reference matches no image in the local store.
    case imageNotFound(reference: String, available: [String])
    /// An image reference's tag points at other content than its digest names.
    case imageDigestMismatch(reference: String, tagDigest: String)
    /// A workload or track the caller named does not exist.
    case notFound(what: String)
    /// A state file the runtime wrote earlier cannot be decoded.
    case corruptState(path: String, reason: String)
    /// A service the runtime runs (Prometheus) did not answer a request as expected.
    case requestFailed(service: String, reason: String)
    /// A replica's container cannot be started as specified (a bad id, a missing mount point).
    case invalidContainer(id: String, reason: String)
    /// A route cannot be served as given (a listener another route or the router already uses).
    case invalidRoute(route: String, reason: String)
    /// A running server (nginx) did not take its new configuration and keeps serving the previous one.
    case configurationNotLoaded(program: String, reason: String)

    public var description: String {
        switch self {
        case .spawnFailed(let executable, let errno):
            "cannot start \(executable): \(String(cString: strerror(errno)))"
        case .commandFailed(let command, let status, let output):
            "\(command) failed with exit status \(status)" + (output.isEmpty ? "" : ": \(output)")
        case .io(let path, let errno):
            "\(path): \(String(cString: strerror(errno)))"
        case .timedOut(let what, let seconds):
            "\(what) did not happen within \(seconds) s"
        case .invalidImage(let path, let reason):
            "\(path): not a usable image: \(reason)"
        case .imageNotFound(let reference, let available):
            "image \(reference) is not in the local image store"
                + (available.isEmpty ? " (the store is empty)" : " (available: \(available.joined(separator: ", ")))")
        case .imageDigestMismatch(let reference, let tagDigest):
            "image \(reference): the tag points at \(tagDigest), not at the digest given"
        case .notFound(let what):
            "\(what) does not exist"
        case .corruptState(let path, let reason):
            "\(path): cannot read the runtime state: \(reason)"
        case .requestFailed(let service, let reason):
            "\(service): \(reason)"
        case .invalidContainer(let id, let reason):
            "container \(id): \(reason)"
        case .invalidRoute(let route, let reason):
            "route \(route): \(reason)"
        case .configurationNotLoaded(let program, let reason):
            "\(program) kept its previous configuration: \(reason)"
        }
    }
}
