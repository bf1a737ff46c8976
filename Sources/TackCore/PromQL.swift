/// The PromQL Tack runs for its standard metrics, and expansion of custom metric templates.
public enum PromQL {
    /// The placeholders a custom metric's query may use.
    public static let placeholders = ["app", "account", "track", "version", "window"]

    /// The 5xx share of requests over `window`.
    public static func errorRate(_ selector: TrackSelector, window: String) -> String {
        let m = selector.matchers
        return "sum(rate(lora_http_requests_total{code=~\"5..\",\(m)}[\(window)]))"
            + " / sum(rate(lora_http_requests_total{\(m)}[\(window)]))"
    }

    /// The `quantile` (0...1) of request duration in seconds over `window`.
    public static func latency(quantile: Double, _ selector: TrackSelector, window: String) -> String {
        "histogram_quantile(\(quantile), sum by (le) (rate(lora_http_request_duration_seconds_bucket{\(selector.matchers)}[\(window)])))"
    }

    /// A custom template with `{{app}}`, `{{account}}`, `{{track}}`, `{{version}}` and `{{window}}`
    /// (spaces inside the braces allowed) replaced; label values are escaped for use inside quotes.
    public static func expand(_ template: String, _ selector: TrackSelector, window: String) -> String {
        let values = [
            "app": escape(selector.app), "account": escape(selector.account),
            "track": selector.track.rawValue, "version": escape(selector.version), "window": window,
        ]
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{"), let close = rest[open.upperBound...].firstRange(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].trimmingSpaces
            result += rest[..<open.lowerBound]
            result += values[name] ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// A label value escaped for a double-quoted PromQL string.
    public static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
