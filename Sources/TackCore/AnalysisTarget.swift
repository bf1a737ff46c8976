/// What an analysis measures: the new version's track, the stable track relative limits compare
/// with, the window, the custom metrics' definitions and the traffic needed to judge.
public struct AnalysisTarget: Sendable, Hashable {
    /// The track judged (`canary`, or `preview` in blue-green).
    public var track: TrackSelector
    /// The track relative limits compare with (`stable`, or `active` in blue-green); nil when none.
    public var stable: TrackSelector?
    /// The range each rate is computed over.
    public var window: Duration
    /// Definitions of the custom metrics conditions may name.
    public var metrics: [MetricDefinition]
    /// The fewest requests in the window for a built-in metric to be judged; fewer is inconclusive.
    public var minRequests: Int

    /// One request: a track that received none is never judged, and any traffic is. A higher
    /// default would silently turn low-traffic rollouts into pauses; raise it knowingly.
    public static let defaultMinRequests = 1

    /// A target.
    public init(track: TrackSelector, stable: TrackSelector? = nil, window: Duration,
                metrics: [MetricDefinition] = [], minRequests: Int = defaultMinRequests) {
        self.track = track
        self.stable = stable
        self.window = window
        self.metrics = metrics
        self.minRequests = max(0, minRequests)
    }

    /// The definition of a custom metric, if the target has one with a query.
    public func definition(of metric: Metric) -> MetricDefinition? {
        metrics.first { $0.metric == metric && $0.query != nil }
    }
}
