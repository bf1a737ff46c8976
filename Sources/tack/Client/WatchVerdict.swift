import TackEngine

/// How a watched execution ended (or stopped to wait): the last line and the exit code.
enum WatchVerdict {
    /// `svc revision 3: rolledBack (errorRate > 5% in aws-eu-central-1: errorRate 31.2% > 5%)`.
    static func line(_ view: ExecutionView) -> String {
        let why = view.reason ?? ""
        return "\(view.app) revision \(view.revision): \(view.phase.rawValue)" + (why.isEmpty ? "" : " (\(why))")
    }

    /// 0 succeeded; 2 rolled back or failed; 3 paused, aborted or superseded (or still running).
    static func exitCode(_ phase: ExecutionPhase) -> Int32 {
        switch phase {
        case .succeeded: 0
        case .rolledBack, .failed: 2
        default: 3
        }
    }

    /// Whether a watch stops at this phase: the execution ended, or waits for a person.
    static func isSettled(_ phase: ExecutionPhase) -> Bool {
        phase.isTerminal || phase == .paused
    }
}
