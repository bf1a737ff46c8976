/// Pieces of the Prometheus text exposition format 0.0.4.
enum PrometheusText {
    /// A sample value Prometheus parses: `3`, `0.25`, `1e-05`, `NaN`, `+Inf`, `-Inf`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // Whole numbers without Swift's `.0`; others in Swift's shortest round-tripping form.
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// A label value with backslash, double quote and newline escaped.
    static func labelValue(_ text: String) -> String {
        escape(text, quotes: true)
    }

    /// `HELP` text with backslash and newline escaped.
    static func helpText(_ text: String) -> String {
        escape(text, quotes: false)
    }

    /// `{a="1",b="2"}`, labels sorted by name; empty when there are none.
    static func labels(_ pairs: [(name: String, value: String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        let written = pairs.sorted { $0.name < $1.name }.map { "\($0.name)=\"\(labelValue($0.value))\"" }
        return "{" + written.joined(separator: ",") + "}"
    }

    private static func escape(_ text: String, quotes: Bool) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"" where quotes: escaped += "\\\""
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
