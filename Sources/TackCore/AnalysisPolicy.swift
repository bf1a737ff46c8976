/// How often an analysis measures and how many bad rounds it tolerates before it ends.
/// `AnalysisRun` documents exactly how each limit counts.
public struct AnalysisPolicy: Sendable, Hashable {
    /// Time from the start of one round to the start of the next.
    public var interval: Duration
    /// Rounds planned; nil measures until stopped.
    public var count: Int?
    /// Failed rounds tolerated; one more ends the run Failed.
    public var failureLimit: Int
    /// Inconclusive rounds tolerated (in total, not in a row); one more ends the run Inconclusive.
    public var inconclusiveLimit: Int
    /// Error rounds in a row tolerated; one more ends the run in Error.
    public var consecutiveErrorLimit: Int

    /// No failed round is tolerated: the first one rolls back.
    public static let defaultFailureLimit = 0
    /// No inconclusive round is tolerated: no data pauses the rollout for a person to decide.
    public static let defaultInconclusiveLimit = 0
    /// Four errors in a row are tolerated, so a Prometheus restart does not abort a rollout, and the
    /// fifth ends the run in Error (Argo Rollouts' default).
    public static let defaultConsecutiveErrorLimit = 4

    /// A policy; counts below 1 become 1 and negative limits become 0.
    public init(interval: Duration, count: Int? = nil, failureLimit: Int = defaultFailureLimit,
                inconclusiveLimit: Int = defaultInconclusiveLimit,
                consecutiveErrorLimit: Int = defaultConsecutiveErrorLimit) {
        self.interval = interval
        self.count = count.map { max(1, $0) }
        self.failureLimit = max(0, failureLimit)
        self.inconclusiveLimit = max(0, inconclusiveLimit)
        self.consecutiveErrorLimit = max(0, consecutiveErrorLimit)
    }
}
