/// Where an execution stands. The happy path is Pending → Deploying → Progressing → Promoting →
/// Succeeded; a failed condition leads to RollingBack → RolledBack.
public enum ExecutionPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Created, nothing done yet.
    case pending
    /// Starting the new version's tracks.
    case deploying
    /// Walking canary steps, or running the blue-green preview and its analysis.
    case progressing
    /// Moving every account's traffic and stable track to the new version.
    case promoting
    /// Every account runs the new version.
    case succeeded
    /// Returning every account to the version it ran before.
    case rollingBack
    /// Every account runs the version it ran before, after a failed condition.
    case rolledBack
    /// Waiting for `promote` or `abort`: a manual judgment, an indefinite pause, or an analysis that
    /// could not judge.
    case paused
    /// Stopped by `abort`; the accounts were returned to the version they ran before.
    case aborted
    /// Ended by an error Tack could not get past (an account that stayed unreachable, a revision
    /// that no longer decodes).
    case failed
    /// Replaced by a newer revision of the same application, which took over its accounts.
    case superseded

    /// Whether the execution has ended.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .rolledBack, .aborted, .failed, .superseded: true
        default: false
        }
    }
}

/// Where one account of an execution stands.
public enum AccountPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Its deploy stage has not started.
    case pending
    /// Starting the new version's track.
    case deploying
    /// Walking its steps.
    case progressing
    /// Moving traffic and the stable track to the new version.
    case promoting
    /// Runs the new version.
    case succeeded
    /// Returning to the version it ran before.
    case rollingBack
    /// Runs the version it ran before.
    case rolledBack
    /// The execution ended before its stage started; nothing was done in it.
    case skipped
    /// Could not be brought to an end state (unreachable past the progress deadline).
    case failed

    /// Whether the account has nothing more to do.
    public var isDone: Bool {
        switch self {
        case .succeeded, .rolledBack, .skipped, .failed: true
        default: false
        }
    }
}
