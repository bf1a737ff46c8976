/// What an execution and its view have in common to say why it stands where it does.
public protocol ExecutionReasons {
    /// Where it stands.
    var phase: ExecutionPhase { get }
    /// The condition that rolled it back or paused it.
    var cause: RollbackCause? { get }
    /// Why it waits, while paused.
    var pauseReason: String? { get }
    /// The last reason given.
    var message: String? { get }
}

extension ExecutionReasons {
    /// Why it stands where it does, in one line: the condition that rolled it back or paused it,
    /// else the pause's reason while paused, else the last message; nil when there is none.
    public var reason: String? {
        cause.map(\.description) ?? (phase == .paused ? pauseReason : nil) ?? message
    }
}

extension Execution: ExecutionReasons {}
extension ExecutionView: ExecutionReasons {}
