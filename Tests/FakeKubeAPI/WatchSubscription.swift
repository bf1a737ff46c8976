import Synchronization

/// The queue between the store and one open watch: the store pushes event lines under its lock, the
/// response writer takes them in batches.
final class WatchSubscription: Sendable {
    /// How the watch ends.
    enum Ending: Sendable, Hashable {
        /// The stream finishes normally (timeoutSeconds, or after an in-stream ERROR).
        case clean
        /// The connection is cut without finishing the chunked body.
        case abrupt
    }

    /// What the writer gets next.
    enum Delivery: Sendable {
        case lines([[UInt8]])
        case end(Ending)
    }

    private struct State {
        var lines: [[UInt8]] = []
        var ending: Ending?
        var waiter: CheckedContinuation<Delivery, Never>?
    }

    let id: Int
    let filter: WatchFilter
    private let state = Mutex(State())

    init(id: Int, filter: WatchFilter) {
        self.id = id
        self.filter = filter
    }

    /// Queues an event line (dropped once the watch is ending).
    func push(_ line: [UInt8]) {
        let waiter = state.withLock { state -> CheckedContinuation<Delivery, Never>? in
            guard state.ending == nil else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.lines.append(line)
            return nil
        }
        waiter?.resume(returning: .lines([line]))
    }

    /// Ends the watch: a clean end after the queued lines, or an abrupt one that drops them.
    func finish(_ ending: Ending) {
        let waiter = state.withLock { state -> CheckedContinuation<Delivery, Never>? in
            if state.ending != .abrupt { state.ending = ending }
            if ending == .abrupt { state.lines = [] }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: .end(ending))
    }

    /// The queued lines, or the ending once they are all taken; waits when there is neither.
    /// Cancelling the caller ends the watch abruptly.
    func next() async -> Delivery {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Delivery? in
                    if !state.lines.isEmpty {
                        defer { state.lines = [] }
                        return .lines(state.lines)
                    }
                    if let ending = state.ending { return .end(ending) }
                    if Task.isCancelled {
                        state.ending = .abrupt
                        return .end(.abrupt)
                    }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish(.abrupt)
        }
    }

    /// The lines queued now, without waiting.
    func takeQueued() -> [[UInt8]] {
        state.withLock { state in
            defer { state.lines = [] }
            return state.lines
        }
    }
}
