import Foundation
import Testing

@testable import TackEngine

/// The reconciler's queue keeps client-go's promises: a key is queued once, never handed to two
/// workers at a time, and queued again after processing when it was added meanwhile.
@Suite("work queue")
struct WorkQueueTests {
    @Test("a key added several times is handed out once")
    func deduplicates() async {
        let queue = WorkQueue()
        await queue.add(7)
        await queue.add(7)
        await queue.add(8)
        #expect(await queue.next() == 7)
        #expect(await queue.next() == 8)
        await queue.shutDown()
        #expect(await queue.next() == nil)
    }

    @Test("a key added while it is processed is handed out again only after it is done")
    func oneWorkerPerKey() async {
        let queue = WorkQueue()
        await queue.add(1)
        #expect(await queue.next() == 1)
        await queue.add(1)
        await queue.add(2)
        #expect(await queue.next() == 2, "key 1 waits while it is being processed")
        await queue.done(1)
        #expect(await queue.next() == 1)
        await queue.shutDown()
    }

    @Test("a delayed add arrives after its delay, and a sooner one replaces a later one")
    func delayedAdds() async throws {
        let queue = WorkQueue()
        let start = ContinuousClock.now
        await queue.add(3, after: .seconds(30))
        await queue.add(3, after: .milliseconds(100))
        #expect(await queue.next() == 3)
        let waited = ContinuousClock.now - start
        #expect(waited >= .milliseconds(100) && waited < .seconds(10))
        await queue.shutDown()
    }

    @Test("shutting down wakes a waiting worker")
    func shutDownWakesWorkers() async {
        let queue = WorkQueue()
        async let waiting = queue.next()
        try? await Task.sleep(for: .milliseconds(50))
        await queue.shutDown()
        #expect(await waiting == nil)
    }
}
