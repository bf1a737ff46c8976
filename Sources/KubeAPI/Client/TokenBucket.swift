/// A token bucket: `burst` requests at once, then `qps` per second on average, as client-go's
/// `flowcontrol.NewTokenBucketRateLimiter`. Callers reserve a token and wait outside the actor.
/// As in client-go's `rest.Config`, a QPS or burst of 0 means the defaults (5 and 10) and a
/// negative QPS turns the limiter off.
actor TokenBucket {
    /// client-go's `DefaultQPS`.
    static let defaultQPS = 5.0
    /// client-go's `DefaultBurst`.
    static let defaultBurst = 10

    /// Tokens added per second; nil when the limiter is off.
    nonisolated let qps: Double?
    /// The most tokens the bucket holds.
    nonisolated let burst: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant
    private let now: @Sendable () -> ContinuousClock.Instant

    /// A full bucket; `now` is the clock, for tests.
    init(qps: Double, burst: Int, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.qps = qps < 0 ? nil : qps == 0 ? Self.defaultQPS : qps
        self.burst = Double(burst > 0 ? burst : Self.defaultBurst)
        tokens = self.burst
        self.now = now
        updated = now()
    }

    /// Waits until the caller may send one request; a caller cancelled while waiting gives its
    /// token back, so it does not slow the requests after it.
    nonisolated func acquire() async throws {
        let wait = await reserve()
        guard wait > .zero else { return }
        do {
            try await Task.sleep(for: wait)
        } catch {
            await giveBack()
            throw error
        }
    }

    /// Returns a reserved token that was not used.
    func giveBack() {
        tokens = min(burst, tokens + 1)
    }

    /// Takes a token, possibly going into debt, and says how long the debt takes to pay back:
    /// the wait before the caller may send.
    func reserve() -> Duration {
        guard let qps else { return .zero }
        let instant = now()
        let elapsed = max(updated.duration(to: instant), .zero)
        updated = max(updated, instant)
        tokens = min(burst, tokens + elapsed.seconds * qps)
        tokens -= 1
        return tokens >= 0 ? .zero : .seconds(-tokens / qps)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
