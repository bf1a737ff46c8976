import Foundation
import TackCore

/// Labels, tracks and request counts written for people (values use `MetricUnit.format`).
enum ValueText {
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
