import PrometheusExposition

/// Durations as fault settings write them: `<number><unit>` with unit `ms`, `s`, `m` or `h`
/// (`250ms`, `2.5s`, `1m`), or a bare `0`.
enum FaultDuration {
    /// The duration `text` spells, or nil when it is not a duration (negative ones included).
    static func parse(_ text: Substring) -> Duration? {
        if text == "0" { return .zero }
        let number = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = text.dropFirst(number.count)
        guard let value = Double(number), number.first != ".", number.last != "." else { return nil }
        let scale: Double
        switch unit {
        case "ms": scale = 0.001
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3_600
        default: return nil
        }
        // Huge values stay finite here; callers reject what is above their maximum.
        return .seconds(min(value * scale, 1e9))
    }

    /// The shortest text for a duration, to the microsecond: `0s`, `250ms`, `2.5s`, `1m`, `1h`.
    static func format(_ duration: Duration) -> String {
        let microseconds = (seconds(duration) * 1e6).rounded()
        if microseconds == 0 { return "0s" }
        if microseconds.truncatingRemainder(dividingBy: 3_600e6) == 0 {
            return ExpositionWriter.number(microseconds / 3_600e6) + "h"
        }
        if microseconds.truncatingRemainder(dividingBy: 60e6) == 0 {
            return ExpositionWriter.number(microseconds / 60e6) + "m"
        }
        if abs(microseconds) >= 1e6 { return ExpositionWriter.number(microseconds / 1e6) + "s" }
        return ExpositionWriter.number(microseconds / 1e3) + "ms"
    }

    /// The duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
