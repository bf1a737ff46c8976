import Foundation
import TackEngine

/// Prints an execution's events as they are stored, until it ends or pauses.
struct EventFollower {
    let store: EngineStore

    /// Follows execution `id`, handing each event's line to `print`; returns it once it has ended or paused.
    func follow(_ id: Int64, print: (String) -> Void) async throws -> Execution {
        var after: Int64 = 0
        while true {
            for event in try store.events(executionID: id, after: after) {
                print(Self.line(event))
                after = event.sequence
            }
            guard let execution = try store.execution(id: id) else { throw ExecutionGone(id: id) }
            if execution.phase.isTerminal || execution.phase == .paused {
                for event in try store.events(executionID: id, after: after) { print(Self.line(event)) }
                return execution
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// `16:40:01 aws-eu-central-1  step 2 of 8: setWeight 20%`.
    static func line(_ event: EngineEvent) -> String {
        let time = event.time.formatted(.iso8601.time(includingFractionalSeconds: false))
        return "\(time) \(event.account ?? "-")  \(event.message)"
    }

    /// The last line: the phase and why.
    static func verdict(_ execution: Execution) -> String {
        let why = execution.cause.map { "\($0)" } ?? execution.pauseReason ?? execution.message ?? ""
        return "\(execution.app) revision \(execution.revision): \(execution.phase.rawValue)" + (why.isEmpty ? "" : " (\(why))")
    }

    /// 0 succeeded, 2 rolled back or failed, 3 paused, aborted or superseded.
    static func exitCode(_ execution: Execution) -> Int32 {
        switch execution.phase {
        case .succeeded: 0
        case .rolledBack, .failed: 2
        default: 3
        }
    }

    /// The execution vanished from the store while being followed.
    struct ExecutionGone: Error, CustomStringConvertible {
        let id: Int64
        var description: String { "execution \(id) is no longer in the store" }
    }
}
