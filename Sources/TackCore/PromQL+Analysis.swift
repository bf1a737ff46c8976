extension PromQL {
    /// The requests a track received over `window` (the traffic check before judging a built-in metric).
    public static func requests(_ selector: TrackSelector, window: String) -> String {
        "sum(increase(lora_http_requests_total{\(selector.matchers)}[\(window)]))"
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
