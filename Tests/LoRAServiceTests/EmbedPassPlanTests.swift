import Testing
@testable import LoRAService

@Suite("the embedding workers' pass plan")
struct EmbedPassPlanTests {
    /// A plan's two numbers.
    struct Taken: Equatable {
        let requests: Int
        let threads: Int
    }

    /// The plan for requests of (texts, adapter directory), in arrival order.
    static func plan(
        _ waiting: [(Int, String?)], busy: Int = 0, workers: Int = 4, passTexts: Int = 32
    ) -> Taken {
        let plan = EmbedPassPlan(
            waiting: waiting.map { EmbedPassPlan.Request(texts: $0.0, adapter: $0.1) },
            busyWorkers: busy, workers: workers, passTexts: passTexts)
        return Taken(requests: plan.requests, threads: plan.threads)
    }

    @Test("a pass takes whole requests from the front until it holds at least passTexts texts")
    func wholeRequestsUpToPassTexts() {
        #expect(Self.plan([(10, nil), (10, nil), (10, nil), (10, nil), (10, nil)]).requests == 4)
        #expect(Self.plan([(16, nil), (16, nil), (1, nil)]).requests == 2)
        #expect(Self.plan([(31, nil), (3, nil), (3, nil)]).requests == 2)
        #expect(Self.plan([(3, nil), (3, nil)]).requests == 2)
    }

    @Test("a pass stops at the first request on another adapter, skipping none")
    func stopsAtAdapterChange() {
        #expect(Self.plan([(3, nil), (3, "/jobs/a"), (3, nil)]) == Taken(requests: 1, threads: 1))
        #expect(Self.plan([(3, "/jobs/a"), (3, "/jobs/a"), (3, "/jobs/b"), (3, "/jobs/a")]) == Taken(requests: 2, threads: 1))
        #expect(Self.plan([(3, "/jobs/a"), (3, "/jobs/a")]) == Taken(requests: 2, threads: 4))
    }

    @Test("a pass runs on one thread while other workers are busy or requests remain waiting")
    func oneThreadUnderLoad() {
        #expect(Self.plan([(3, nil)], busy: 1) == Taken(requests: 1, threads: 1))
        #expect(Self.plan([(3, nil), (3, nil)], busy: 3) == Taken(requests: 2, threads: 1))
        #expect(Self.plan([(20, nil), (20, nil), (1, nil)], busy: 0) == Taken(requests: 2, threads: 1))
    }

    @Test("a pass alone on an idle service that empties the queue runs on every worker's thread")
    func allThreadsWhenAlone() {
        #expect(Self.plan([(3, nil)], workers: 4) == Taken(requests: 1, threads: 4))
        #expect(Self.plan([(3, nil), (7, nil)], workers: 2) == Taken(requests: 2, threads: 2))
        #expect(Self.plan([(3, nil)], workers: 1) == Taken(requests: 1, threads: 1))
    }

    @Test("a non-empty queue always gives at least one request; an empty one none", arguments: [0, 1, 32])
    func neverTakesNothing(passTexts: Int) {
        #expect(Self.plan([(1, nil), (1, nil)], busy: 2, passTexts: passTexts).requests >= 1)
        #expect(Self.plan([(0, nil)], passTexts: passTexts).requests == 1)
        #expect(Self.plan([], passTexts: passTexts) == Taken(requests: 0, threads: 1))
    }

    @Test("a request of more than passTexts texts is taken alone")
    func largeRequestAlone() {
        #expect(Self.plan([(100, nil), (1, nil)]) == Taken(requests: 1, threads: 1))
        #expect(Self.plan([(100, nil)]) == Taken(requests: 1, threads: 4))
        #expect(Self.plan([(1, nil), (100, nil), (1, nil)]).requests == 2)
    }
}

