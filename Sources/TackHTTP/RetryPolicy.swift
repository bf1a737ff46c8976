/// When an idempotent request is sent again: after a connection error (with exponential backoff
/// and jitter), and after a 429 or 5xx that carries an integer `Retry-After` (waiting that long).
public struct RetryPolicy: Sendable, Hashable {
    /// The most attempts in all, the first included; 1 turns retries off.
    public var maxAttempts: Int
    /// The backoff before the first retry after a connection error; it doubles each time.
    public var baseDelay: Duration
    /// The longest backoff.
    public var maxDelay: Duration
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    public var maxRetryAfter: Duration

    /// A policy; the defaults make 3 attempts, 200 ms doubling up to 5 s, Retry-After up to 30 s.
    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5),
        maxRetryAfter: Duration = .seconds(30)
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// No retries.
    public static let never = RetryPolicy(maxAttempts: 1)
}

/// How an attempt ended, as far as retrying is concerned.
enum AttemptOutcome: Equatable {
    /// A response head arrived.
    case response(status: Int, retryAfter: String?)
    /// The attempt failed; `isRetryable` for failures where the request may not have been
    /// processed (no connection, or the connection dropped).
    case failure(isRetryable: Bool)
}

/// What to do after an attempt.
enum RetryDecision: Equatable {
    case finish
    case retry(after: Duration)
}

extension RetryPolicy {
    /// The decision after attempt number `attempt` (from 1) of a request with `method`; `jitter`
    /// (0.5 to 1, random in use) scales the backoff.
    func decision(method: HTTPMethod, attempt: Int, outcome: AttemptOutcome, jitter: Double) -> RetryDecision {
        guard method.isIdempotent, attempt < maxAttempts else { return .finish }
        switch outcome {
        case .failure(let isRetryable):
            return isRetryable ? .retry(after: backoff(afterAttempt: attempt, jitter: jitter)) : .finish
        case .response(let status, let retryAfter):
            guard status == 429 || (500..<600).contains(status),
                  let seconds = Self.seconds(retryAfter), Duration.seconds(seconds) <= maxRetryAfter
            else { return .finish }
            return .retry(after: seconds > 0 ? .seconds(seconds) : backoff(afterAttempt: attempt, jitter: jitter))
        }
    }

    /// The base delay doubled per earlier attempt, capped at `maxDelay`, times `jitter`.
    func backoff(afterAttempt attempt: Int, jitter: Double) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(attempt, 1) where delay < maxDelay { delay *= 2 }
        return min(delay, maxDelay) * jitter
    }

    /// A random jitter for `decision`.
    static func randomJitter() -> Double {
        Double.random(in: 0.5...1)
    }

    /// The seconds in a `Retry-After` that is a plain non-negative integer; nil for a date or junk.
    static func seconds(_ retryAfter: String?) -> Int? {
        guard let text = retryAfter.map({ $0[...].trimmingWhitespace() }), !text.isEmpty, text.utf8.count <= 9,
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int(text)
    }
}
