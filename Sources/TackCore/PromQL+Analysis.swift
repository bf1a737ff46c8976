extension PromQL {
    /// The requests a track received over `window` (the traffic check before judging a built-in metric).
    public static func requests(_ selector: TrackSelector, window: String) -> String {
        "sum(increase(lora_http_requests_total{\(selector.matchers)}[\(window)]))"
    }

    /// The PromQL that measures `metric` for a track over `window`: the standard query of a built-in
    /// metric, or a custom metric's template from `definitions`; nil for a custom metric without one.
    /// `tack plan` prints what this returns and the analysis runs it, so the two cannot differ.
    public static func query(_ metric: Metric, _ selector: TrackSelector, window: String,
                             definitions: [MetricDefinition]) -> String? {
        switch metric {
        case .errorRate:
            return errorRate(selector, window: window)
        case .latency(let quantile):
            return latency(quantile: quantile.fraction, selector, window: window)
        case .custom:
            guard let template = definitions.first(where: { $0.metric == metric && $0.query != nil })?.query else { return nil }
            return expand(template, selector, window: window)
        }
    }

    /// A duration as PromQL writes it: `1m`, `90s`, `2h`, `1500ms` (whole milliseconds; at least `1ms`).
    public static func duration(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        let whole = milliseconds / 1000
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}
