/// The PromQL Tack runs for its standard metrics, and expansion of custom metric templates.
public enum PromQL {
    /// The placeholders a custom metric's query may use.
    public static let placeholderNames = ["app", "account", "track", "version", "window"]

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

    /// A `{{name}}` placeholder in a template.
    public struct Placeholder: Sendable, Hashable {
        /// The name inside the braces, spaces trimmed.
        public var name: String
        /// Character offsets of the whole placeholder, braces included.
        public var range: Range<Int>
    }

    /// The placeholders of a template in order, and the character offset of a `{{` that is never
    /// closed, if any (scanning stops there).
    public static func placeholders(in template: String) -> (found: [Placeholder], unclosedAt: Int?) {
        let characters = Array(template)
        var found: [Placeholder] = []
        var index = 0
        while index + 1 < characters.count {
            guard characters[index] == "{", characters[index + 1] == "{" else {
                index += 1
                continue
            }
            guard let close = (index + 2..<max(index + 2, characters.count - 1)).first(where: { characters[$0] == "}" && characters[$0 + 1] == "}" })
            else { return (found, index) }
            found.append(Placeholder(name: String(characters[(index + 2)..<close]).trimming(" "), range: index..<(close + 2)))
            index = close + 2
        }
        return (found, nil)
    }

    /// A custom template with `{{app}}`, `{{account}}`, `{{track}}`, `{{version}}` and `{{window}}`
    /// (spaces inside the braces allowed) replaced; label values are escaped for use inside quotes.
    /// Unknown placeholders are left as written.
    public static func expand(_ template: String, _ selector: TrackSelector, window: String) -> String {
        let values = [
            "app": escape(selector.app), "account": escape(selector.account),
            "track": selector.track.rawValue, "version": escape(selector.version), "window": window,
        ]
        let characters = Array(template)
        var result = ""
        var position = 0
        for placeholder in placeholders(in: template).found {
            result += String(characters[position..<placeholder.range.lowerBound])
            result += values[placeholder.name] ?? String(characters[placeholder.range])
            position = placeholder.range.upperBound
        }
        return result + String(characters[position...])
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
