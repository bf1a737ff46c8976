import Foundation
import TackCore

/// Values and limits written for people, in the unit the metric's limits are written in.
enum ValueText {
    /// `31.2%`, `450ms`, `2.1s`, `12.5`, `+Inf`.
    static func format(_ value: Double, _ unit: MetricUnit) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        switch unit {
        case .ratio: return decimal(value * 100) + "%"
        case .seconds: return abs(value) < 1 ? decimal(value * 1000) + "ms" : decimal(value) + "s"
        case .number: return decimal(value)
        }
    }

    /// `value` with at most two decimals (three significant digits below 0.01), trailing zeros dropped.
    static func decimal(_ value: Double) -> String {
        if value != 0, abs(value) < 0.01 { return String(format: "%.3g", value) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// `{instance="a",job="lora"}`, labels sorted.
    static func labels(_ labels: [String: String]) -> String {
        "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(PromQL.escape($0.value))\"" }.joined(separator: ",") + "}"
    }

    /// `the canary`, `the stable track`.
    static func track(_ track: Track) -> String {
        track == .canary ? "the canary" : "the \(track.rawValue) track"
    }

    /// Requests rounded to a whole number (`increase` extrapolates): `1 request`, `59 requests`.
    static func requests(_ count: Double) -> String {
        let whole = Int(count.rounded())
        return whole == 1 ? "1 request" : "\(whole) requests"
    }
}
