/// What goes wrong in the engine, in words a user can act on.
public enum EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stored revision no longer decodes (its files are kept as applied).
    case invalidRevision(app: String, revision: Int, problems: [String])
    /// No execution of the application exists.
    case noExecution(app: String)
    /// The latest execution of the application has ended, so a judgment has nothing to act on.
    case notRunning(app: String, phase: ExecutionPhase)
    /// The execution ended (was superseded) while a pass was deciding; the pass's decision is dropped.
    case endedMeanwhile(id: Int64, phase: ExecutionPhase)
    /// The application has no earlier revision to roll back to.
    case noPreviousRevision(app: String)
    /// An account or metrics account of the revision cannot be reached or wired.
    case unavailable(account: String, reason: String)
    /// The store failed (SQLite), with its message.
    case store(String)

    public var description: String {
        switch self {
        case .invalidRevision(let app, let revision, let problems):
            "revision \(revision) of \(app) does not decode: \(problems.joined(separator: "; "))"
        case .noExecution(let app):
            "no execution of \(app) exists; apply a pipeline first"
        case .notRunning(let app, let phase):
            "the latest execution of \(app) has ended (\(phase.rawValue)); there is nothing to judge"
        case .endedMeanwhile(let id, let phase):
            "execution \(id) ended (\(phase.rawValue)) while it was being reconciled"
        case .noPreviousRevision(let app):
            "\(app) has no earlier revision to roll back to"
        case .unavailable(let account, let reason):
            "account \(account) is not available: \(reason)"
        case .store(let message):
            "the state store failed: \(message)"
        }
    }
}
