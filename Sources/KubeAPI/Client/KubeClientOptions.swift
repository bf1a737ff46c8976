/// How a `KubeClient` paces, retries and identifies its requests.
public struct KubeClientOptions: Sendable, Hashable {
    /// Requests per second the client allows itself on average (client-side rate limit); 0 means
    /// client-go's default of 5, a negative value no limit.
    public var qps: Double
    /// Requests the client may send at once before `qps` applies; 0 means client-go's default of 10.
    public var burst: Int
    /// Retries of one request after 429/5xx answers with `Retry-After` (and, for GET, broken connections).
    public var maxRetries: Int
    /// The longest `Retry-After` waited; a longer one ends the retries.
    public var maxRetryAfter: Duration
    /// The most one non-watch request may take.
    public var requestTimeout: Duration
    /// The field manager of server-side apply.
    public var fieldManager: String
    /// The `User-Agent` header.
    public var userAgent: String

    /// Options; the defaults are controller-runtime's rate limit (20 QPS, burst 30) and client-go's 10 retries.
    public init(
        qps: Double = 20, burst: Int = 30, maxRetries: Int = 10, maxRetryAfter: Duration = .seconds(60),
        requestTimeout: Duration = .seconds(30), fieldManager: String = "tack", userAgent: String = "tack"
    ) {
        self.qps = qps
        self.burst = burst
        self.maxRetries = maxRetries
        self.maxRetryAfter = maxRetryAfter
        self.requestTimeout = requestTimeout
        self.fieldManager = fieldManager
        self.userAgent = userAgent
    }
}
