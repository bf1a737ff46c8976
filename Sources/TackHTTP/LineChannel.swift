import Synchronization

/// Lines handed from the driver thread (producer) to one consuming task, with backpressure: past
/// `highWater` buffered bytes the producer is told to pause, and the consumer is told to resume it
/// once the buffer drains below half of that.
final class LineChannel: Sendable {
    /// What the consumer gets from one `next()`.
    struct Delivery: Sendable {
        var result: Result<String?, HTTPError>
        /// The producer was paused and the buffer has drained: resume it.
        var resumesProducer = false
    }

    private enum End: Sendable, Equatable {
        case finished(HTTPError?)
        /// The end was delivered; every later `next()` gives nil.
        case delivered
    }

    private struct State: ~Copyable {
        var lines: [String] = []
        var first = 0
        var bufferedBytes = 0
        var end: End?
        var waiter: CheckedContinuation<Delivery, Never>?
        var isProducerPaused = false

        mutating func popLine() -> String? {
            guard first < lines.count else { return nil }
            let line = lines[first]
            first += 1
            bufferedBytes -= line.utf8.count + 1
            if first == lines.count {
                lines.removeAll(keepingCapacity: true)
                first = 0
            } else if first >= 1024 && first * 2 >= lines.count {
                lines.removeFirst(first)
                first = 0
            }
            return line
        }
    }

    private let state = Mutex(State())
    private let highWater: Int

    init(highWater: Int) {
        self.highWater = highWater
    }

    // MARK: Producer (the driver thread)

    /// Whether the producer must pause instead of handing more; if so, it is marked paused.
    func shouldPause() -> Bool {
        state.withLock { state in
            guard state.end == nil, state.bufferedBytes >= highWater else { return false }
            state.isProducerPaused = true
            return true
        }
    }

    /// Hands over lines, waking the consumer if it waits.
    func push(_ newLines: [String]) {
        guard !newLines.isEmpty else { return }
        let woken: (CheckedContinuation<Delivery, Never>, String)? = state.withLock { state in
            guard state.end == nil else { return nil }
            var rest = newLines[...]
            var woken: (CheckedContinuation<Delivery, Never>, String)?
            if let waiter = state.waiter {
                state.waiter = nil
                woken = (waiter, rest.removeFirst())
            }
            state.lines.append(contentsOf: rest)
            state.bufferedBytes += rest.reduce(0) { $0 + $1.utf8.count + 1 }
            return woken
        }
        woken?.0.resume(returning: Delivery(result: .success(woken?.1)))
    }

    /// Ends the lines after those buffered, with `error` if not nil. Later ends are ignored.
    func finish(_ error: HTTPError?) {
        end(.finished(error), discardingBuffer: false)
    }

    // MARK: Consumer

    /// Ends the lines at once with `error`, dropping what is buffered (the consumer gave up).
    func cancel(_ error: HTTPError) {
        end(.finished(error), discardingBuffer: true)
    }

    /// The next line, nil after the last, or the error that ended the lines. One consumer only.
    func next() async -> Delivery {
        await withCheckedContinuation { continuation in
            let ready: Delivery? = state.withLock { state in
                if let line = state.popLine() {
                    var delivery = Delivery(result: .success(line))
                    if state.isProducerPaused && state.bufferedBytes < highWater / 2 {
                        state.isProducerPaused = false
                        delivery.resumesProducer = true
                    }
                    return delivery
                }
                switch state.end {
                case .finished(let error)?:
                    state.end = .delivered
                    return Delivery(result: error.map { .failure($0) } ?? .success(nil))
                case .delivered?:
                    return Delivery(result: .success(nil))
                case nil:
                    precondition(state.waiter == nil, "HTTPStream.lines is consumed by more than one task at once")
                    state.waiter = continuation
                    return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func end(_ end: End, discardingBuffer: Bool) {
        let waiter: CheckedContinuation<Delivery, Never>? = state.withLock { state in
            guard state.end == nil else { return nil }
            if discardingBuffer {
                state.lines.removeAll()
                state.first = 0
                state.bufferedBytes = 0
            }
            // A waiting consumer means the buffer is empty, so the end is delivered now.
            guard let waiter = state.waiter else {
                state.end = end
                return nil
            }
            state.waiter = nil
            state.end = .delivered
            return waiter
        }
        guard let waiter, case .finished(let error) = end else { return }
        waiter.resume(returning: Delivery(result: error.map { .failure($0) } ?? .success(nil)))
    }
}
