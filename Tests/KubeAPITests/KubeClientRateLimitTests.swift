import FakeKubeAPI
import Synchronization
import Testing

@testable import KubeAPI

/// A continuous-clock instant tests move by hand.
private final class SteppedInstant: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(_ duration: Duration) {
        instant.withLock { $0 += duration }
    }

    var function: @Sendable () -> ContinuousClock.Instant { { self.now } }
}

/// The client-side rate limiter: the token bucket's reservations on a hand-moved clock, and, with
/// the fake API server standing in for kube-apiserver, that every attempt of a request takes a token.
@Suite("Kubernetes client: the client-side rate limiter")
struct KubeClientRateLimitTests {
    /// The waits of reservations, in milliseconds.
    private static func waits(_ bucket: TokenBucket, _ count: Int) async -> [Int] {
        var waits: [Int] = []
        for _ in 0..<count { waits.append(Int((await bucket.reserve().seconds * 1000).rounded())) }
        return waits
    }

    @Test("with QPS 5 and burst 2, six requests at once go 0, 0, 200, 400, 600 and 800 ms after the start")
    func burstThenQPS() async {
        let clock = SteppedInstant()
        let bucket = TokenBucket(qps: 5, burst: 2, now: clock.function)
        #expect(await Self.waits(bucket, 6) == [0, 0, 200, 400, 600, 800])
    }

    @Test("a request cancelled while it waits for a token gives the token back")
    func cancelledWaiterGivesBack() async throws {
        let clock = SteppedInstant()
        let bucket = TokenBucket(qps: 0.001, burst: 1, now: clock.function)
        #expect(await Self.waits(bucket, 1) == [0])
        let waiter = Task { try await bucket.acquire() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        // Had the cancelled waiter kept its token, this one would wait 2,000 s instead of 1,000 s.
        #expect(await Self.waits(bucket, 1) == [1_000_000])
    }

    @Test("with burst 10 the same six requests go at once")
    func largeBurst() async {
        let clock = SteppedInstant()
        let bucket = TokenBucket(qps: 5, burst: 10, now: clock.function)
        #expect(await Self.waits(bucket, 6) == [0, 0, 0, 0, 0, 0])
    }

    @Test("tokens come back at QPS over time, but never more than the burst")
    func refill() async {
        let clock = SteppedInstant()
        let bucket = TokenBucket(qps: 5, burst: 2, now: clock.function)
        #expect(await Self.waits(bucket, 4) == [0, 0, 200, 400])
        // The debt of two tokens is paid after 400 ms; 100 ms more give half a token.
        clock.advance(.milliseconds(500))
        #expect(await Self.waits(bucket, 2) == [100, 300])
        // A long pause fills the bucket to its burst only.
        clock.advance(.seconds(60))
        #expect(await Self.waits(bucket, 3) == [0, 0, 200])
    }

    @Test("a clock that seems to go back does not mint tokens or debt")
    func clockGoingBack() async {
        let clock = SteppedInstant()
        let bucket = TokenBucket(qps: 10, burst: 1, now: clock.function)
        #expect(await Self.waits(bucket, 1) == [0])
        clock.advance(.milliseconds(-500))
        #expect(await Self.waits(bucket, 1) == [100])
        clock.advance(.milliseconds(500))
        #expect(await Self.waits(bucket, 1) == [200])
    }

    @Test("as in client-go, QPS and burst of 0 mean 5 and 10, and a negative QPS means no limit")
    func defaultsAndOff() async {
        let clock = SteppedInstant()
        let defaults = TokenBucket(qps: 0, burst: 0, now: clock.function)
        #expect(defaults.qps == 5)
        #expect(defaults.burst == 10)
        #expect(await Self.waits(defaults, 11) == Array(repeating: 0, count: 10) + [200])
        let off = TokenBucket(qps: -1, burst: 1, now: clock.function)
        #expect(await Self.waits(off, 50).allSatisfy { $0 == 0 })
    }

    @Test("every attempt of a request, retries included, takes a token from the client's bucket")
    func attemptsTakeTokens() async throws {
        // One token every 1,000 s: time passing during the test does not matter.
        try await KubeClientHarness.with(client: KubeClientOptions(qps: 0.001, burst: 2)) { kube in
            #expect(kube.client.limiter.qps == 0.001)
            #expect(kube.client.limiter.burst == 2)
            kube.server.failNext(1, status: 429, retryAfter: "0")
            let error = await kubeErrorAsync { try await kube.client.get(.configMaps, name: "absent") }
            #expect(error?.reason == .notFound)
            #expect(kube.calls.count == 2)
            // Both tokens are gone: the next request would wait for a whole new one.
            let wait = await kube.client.limiter.reserve()
            #expect(wait > .seconds(900))
            #expect(wait <= .seconds(1000))
        }
    }
}
