import Foundation
import TackEngine
import TackServer

/// What a watch has received: the execution's latest state and its recent events.
struct WatchState {
    /// Events kept for the view; it shows the last few.
    static let eventLimit = 100

    /// The latest state, once one has arrived.
    private(set) var view: ExecutionView?
    /// Recent events, oldest first.
    private(set) var events: [EngineEvent] = []
    /// When the last message arrived.
    private(set) var lastMessageAt: Date

    /// Nothing received yet, at `now`.
    init(now: Date) {
        lastMessageAt = now
    }

    /// Takes in one message of the stream; a heartbeat changes nothing.
    mutating func receive(_ message: WatchMessage, at now: Date) {
        switch message {
        case .heartbeat:
            return
        case .state(let next):
            if let view, view.id != next.id { events = [] }
            view = next
        case .event(let event):
            if let last = events.last, event.sequence != 0, event.sequence <= last.sequence { return }
            events.append(event)
            if events.count > Self.eventLimit { events.removeFirst(events.count - Self.eventLimit) }
        }
        lastMessageAt = now
    }

    /// Whether the watch can stop: the execution ended or waits for a person, and the stream has
    /// been quiet for `quiet` seconds (so the events that came with that state are in).
    func isSettled(now: Date, quiet: TimeInterval) -> Bool {
        guard let view, WatchVerdict.isSettled(view.phase) else { return false }
        return now.timeIntervalSince(lastMessageAt) >= quiet
    }
}
