import Foundation
import TackServer

/// Where a watch shows what it receives: a view redrawn in place, or lines.
protocol WatchDisplay {
    /// The watch starts.
    mutating func begin()
    /// A message changed `state`.
    mutating func received(_ message: WatchMessage, state: WatchState, now: Date)
    /// Time passed without a message.
    mutating func tick(state: WatchState, now: Date)
    /// The watch ends, normally or not.
    mutating func end(state: WatchState, now: Date)
}

/// Not on a terminal: one line per new event and per change of an account's phase, step or weight.
struct LineWatchDisplay: WatchDisplay {
    private var reporter = WatchLineReporter()

    /// A display that has printed nothing yet.
    init() {}

    mutating func begin() {}

    mutating func received(_ message: WatchMessage, state: WatchState, now: Date) {
        for line in reporter.lines(for: message) { Console.out(line + "\n") }
    }

    mutating func tick(state: WatchState, now: Date) {}

    mutating func end(state: WatchState, now: Date) {}
}
