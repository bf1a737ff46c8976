import Foundation
import TackCore

/// The reconciler's queue of execution ids, as client-go's work queue: a key is queued at most
/// once, a key being processed is never handed to a second worker (it is queued again when done
/// if it was added meanwhile), delayed adds wait in a timer, and failures back off per key.
actor WorkQueue {
    private var queue: [Int64] = []
    private var queued: Set<Int64> = []
    private var processing: Set<Int64> = []
    private var dirty: Set<Int64> = []
    private var scheduled: [Int64: Date] = [:]
    private var failures: [Int64: Int] = [:]
    private var waiters: [CheckedContinuation<Int64?, Never>] = []
    private var isShutDown = false

    /// Queues `key` now.
    func add(_ key: Int64) {
        guard !isShutDown else { return }
        if processing.contains(key) {
            dirty.insert(key)
            return
        }
        guard !queued.contains(key) else { return }
        if waiters.isEmpty {
            queued.insert(key)
            queue.append(key)
        } else {
            processing.insert(key)
            waiters.removeFirst().resume(returning: key)
        }
    }

    /// Queues `key` after `delay`, unless it is already due sooner.
    func add(_ key: Int64, after delay: Duration) {
        guard !isShutDown else { return }
        let due = Date().addingTimeInterval(delay.seconds)
        if let existing = scheduled[key], existing <= due { return }
        scheduled[key] = due
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.fire(key, due: due)
        }
    }

    /// Queues `key` again after a back-off that doubles with each failure in a row (1 s to 60 s).
    func addFailed(_ key: Int64) {
        let count = (failures[key] ?? 0) + 1
        failures[key] = count
        add(key, after: .seconds(min(60, 1 << min(count - 1, 6))))
    }

    /// Forgets the failures of `key` after a pass that succeeded.
    func forget(_ key: Int64) {
        failures[key] = nil
    }

    /// The next key to process, waiting for one; nil once the queue is shut down.
    func next() async -> Int64? {
        if isShutDown { return nil }
        if !queue.isEmpty {
            let key = queue.removeFirst()
            queued.remove(key)
            processing.insert(key)
            return key
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks `key` processed; it is queued again when it was added while being processed.
    func done(_ key: Int64) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    /// Stops handing out keys and wakes every waiting worker.
    func shutDown() {
        isShutDown = true
        waiters.forEach { $0.resume(returning: nil) }
        waiters = []
    }

    private func fire(_ key: Int64, due: Date) {
        guard scheduled[key] == due else { return }
        scheduled[key] = nil
        add(key)
    }
}
