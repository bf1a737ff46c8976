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
    /// A state file the runtime wrote earlier cannot be decoded.
    case corruptState(path: String, reason: String)

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
        case .corruptState(let path, let reason):
            "\(path): cannot read the runtime state: \(reason)"
        }
    }
}
