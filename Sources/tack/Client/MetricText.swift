import Foundation
import TackCore

/// Metric values for people, in the unit their limits are written in: `errorRate` in percent,
/// `latency.pNN` in ms or s, custom metrics as plain numbers.
enum MetricText {
    /// The unit of the metric a `MetricView` names.
    static func unit(of metric: String) -> MetricUnit {
        Metric.builtIn(named: metric)?.builtInUnit ?? .number
    }

    /// `31.2%`, `450ms`, `2.1s`, `12.5`; `-` for a round without a value.
    static func format(_ value: Double?, metric: String) -> String {
        value.map(unit(of: metric).format) ?? "-"
    }

    /// The levels of a sparkline, lowest first.
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per value, scaled from min(0, lowest) to the highest; a space where a round had none.
    static func sparkline(_ values: [Double?]) -> String {
        let known = values.compactMap { $0 }.filter(\.isFinite)
        guard let highest = known.max() else { return String(repeating: " ", count: values.count) }
        let lowest = min(0, known.min() ?? 0)
        return String(values.map { value -> Character in
            guard let value, value.isFinite else { return " " }
            guard highest > lowest else { return levels[0] }
            let level = Int(((value - lowest) / (highest - lowest) * Double(levels.count - 1)).rounded())
            return levels[min(max(level, 0), levels.count - 1)]
        })
    }

    /// `✓ successful`, `✗ failed`, `✗ error`, `? inconclusive`, `· no data yet`: a marker that reads without colour.
    static func verdict(_ phase: String) -> (marker: String, text: String) {
        switch phase {
        case "successful": ("✓", "successful")
        case "failed": ("✗", "failed")
        case "error": ("✗", "error")
        case "inconclusive": ("?", "inconclusive")
        case "": ("·", "no data yet")
        default: ("·", phase)
        }
    }
}
