import TackCore
/// Durations as written in pipelines: one or more `<number><unit>` parts, units `ms`, `s`, `m`, `h`
/// (`500ms`, `30s`, `1h30m`, `1.5s`), at most `DurationText.maximum`.
public enum DurationText {
    /// The longest duration accepted: 30 days.
    public static let maximum: Duration = .seconds(30 * 24 * 3600)

    /// The duration `text` spells, or nil when it is not a duration.
    public static func parse(_ text: String) -> Duration? {
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), number.first != ".", number.last != "." else { return nil }
            switch unit {
            case "ms": total += value
            case "s": total += value * 1_000
            case "m": total += value * 60_000
            case "h": total += value * 3_600_000
            default: return nil
            }
        }
        // Clamped just past the maximum, so callers report "too long" instead of overflowing.
        let ceiling = Double(milliseconds(maximum) + 1_000)
        return .milliseconds(Int64(min(total, ceiling).rounded()))
    }

    /// The shortest text for a duration, such as `1m30s` or `500ms`; Prometheus reads it as is.
    public static func format(_ duration: Duration) -> String {
        var ms = milliseconds(duration)
        guard ms > 0 else { return "0s" }
        var text = ""
        for (unit, size) in [("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] where ms >= Int64(size) {
            text += "\(ms / Int64(size))\(unit)"
            ms %= Int64(size)
        }
        return text
    }

    /// The duration in whole milliseconds.
    public static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
