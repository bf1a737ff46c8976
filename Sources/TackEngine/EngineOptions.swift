/// Timing the engine runs with; the defaults suit real clusters, tests shorten them.
public struct EngineOptions: Sendable, Hashable {
    /// How long a step may wait for replicas, or an account may keep failing, before the execution
    /// rolls back (Kubernetes' `progressDeadlineSeconds` defaults to 10 minutes too).
    public var progressDeadline: Duration
    /// How often every active execution is reconciled even when nothing asked for it.
    public var resyncInterval: Duration
    /// Executions reconciled at the same time.
    public var concurrency: Int
    /// The shortest time an analysis ignores rounds that find no data, before the new version's
    /// first data arrive; it is at least three intervals.
    public var warmUp: Duration
    /// Longest time a driver call or status read may take before it counts as an error.
    public var driverTimeout: Duration

    /// Options.
    public init(progressDeadline: Duration = .seconds(600), resyncInterval: Duration = .seconds(5), concurrency: Int = 4,
                warmUp: Duration = .seconds(15), driverTimeout: Duration = .seconds(60)) {
        self.progressDeadline = progressDeadline
        self.resyncInterval = resyncInterval
        self.concurrency = max(1, concurrency)
        self.warmUp = warmUp
        self.driverTimeout = driverTimeout
    }
}
