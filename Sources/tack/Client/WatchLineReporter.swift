import TackEngine
import TackServer

/// `tack watch` when stdout is not a terminal: one line per new event, and one whenever an
/// account's phase, step or weight changes, so logs and CI output read as a story.
struct WatchLineReporter {
    private struct Mark: Equatable {
        var phase: AccountPhase
        var step: Int
        var weight: Int
    }

    private var marks: [String: Mark] = [:]
    private var lastSequence: Int64 = 0
    private var executionID: Int64?

    /// A reporter that has seen nothing yet.
    init() {}

    /// The lines `message` adds to the story.
    mutating func lines(for message: WatchMessage) -> [String] {
        switch message {
        case .heartbeat:
            return []
        case .event(let event):
            guard event.sequence == 0 || event.sequence > lastSequence else { return [] }
            lastSequence = max(lastSequence, event.sequence)
            return [EventFollower.line(event)]
        case .state(let view):
            var lines: [String] = []
            if executionID != view.id {
                executionID = view.id
                marks = [:]
                lastSequence = 0
                lines.append("\(view.app) revision \(view.revision), execution \(view.id): \(view.phase.rawValue), stage \(view.stage)/\(view.stages)")
            }
            let time = view.updatedAt.formatted(.iso8601.time(includingFractionalSeconds: false))
            for account in view.accounts {
                let key = "\(account.stage)/\(account.account)"
                let mark = Mark(phase: account.phase, step: account.step, weight: account.weight)
                guard marks[key] != mark else { continue }
                marks[key] = mark
                let position = switch account.phase {
                case .pending: ", stage \(account.stage)"
                case .skipped: ""
                default: ", \(WatchRenderer.step(account)), weight \(account.weight)%"
                }
                lines.append("\(time) \(account.account)  \(account.phase.rawValue)" + position)
            }
            return lines
        }
    }
}
