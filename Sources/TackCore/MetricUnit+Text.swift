import Foundation

extension MetricUnit {
    /// `value` for people, in the unit limits are written in: `31.2%`, `450ms`, `2.1s`, `12.5`, `+Inf`.
    public func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        switch self {
        case .ratio: return Self.decimal(value * 100) + "%"
        case .seconds: return abs(value) < 1 ? Self.decimal(value * 1000) + "ms" : Self.decimal(value) + "s"
        case .number: return Self.decimal(value)
        }
    }

    /// `value` with at most two decimals (three significant digits below 0.01), trailing zeros dropped.
    public static func decimal(_ value: Double) -> String {
        if value != 0, abs(value) < 0.01 { return String(format: "%.3g", value) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
