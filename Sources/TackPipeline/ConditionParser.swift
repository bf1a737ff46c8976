import TackCore
import TackYAML

/// Parses conditions by the grammar in Docs/pipeline-reference.md:
///
///     condition = metric op number [unit]
///     metric    = name [ "." quantile ]        name = letter { letter | digit | "_" }
///     op        = ">" | ">=" | "<" | "<="
///     number    = digits [ "." digits ]
///     unit      = "%" | "ms" | "s"
///
/// Spaces are allowed between the parts. Problems carry the character offset they point at.
struct ConditionParser {
    /// A problem with its offset in the condition text.
    struct Problem: Error, Equatable {
        var offset: Int
        var message: String
    }

    /// Metrics the monitor defines, with their units.
    var customMetrics: [String: MetricUnit]

    func parse(_ text: String) throws(Problem) -> Condition {
        var scanner = Scanner(text)
        scanner.skipSpaces()
        guard !scanner.isAtEnd else {
            throw Problem(offset: 0, message: "the condition is empty; expected METRIC OP LIMIT, e.g. errorRate > 5%")
        }
        let metricStart = scanner.offset
        let name = scanner.take { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        let (metric, unit) = try resolve(name, at: metricStart)
        scanner.skipSpaces()
        let op = try parseOperator(&scanner, after: name)
        scanner.skipSpaces()
        let numberStart = scanner.offset
        let digits = scanner.take { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !digits.isEmpty else {
            let found = scanner.isAtEnd ? "the end" : "\"\(scanner.rest)\""
            throw Problem(offset: numberStart, message: "expected a number after \"\(op.rawValue)\"; found \(found)")
        }
        guard let number = Double(digits), digits.first != ".", digits.last != "." else {
            throw Problem(offset: numberStart, message: "\"\(digits)\" is not a number; write digits with at most one decimal point, e.g. 2.5")
        }
        let afterNumber = scanner
        scanner.skipSpaces()
        let unitStart = scanner.offset
        var unitText = scanner.take { $0 == "%" || $0.isLetter }
        if unitStart > afterNumber.offset, !Self.units.contains(unitText) {
            // A word after a space is trailing text rather than a unit (errorRate > 5 for 2m).
            scanner = afterNumber
            unitText = ""
        }
        let limit = try limitValue(number, unitText: unitText, unitStart: unitStart, numberStart: numberStart,
                                   metric: metric, unit: unit)
        scanner.skipSpaces()
        guard scanner.isAtEnd else {
            throw Problem(offset: scanner.offset, message: "unexpected \"\(scanner.rest)\" after the limit")
        }
        return Condition(metric: metric, op: op, limit: limit, text: text.trimming(" "))
    }

    private func resolve(_ name: String, at offset: Int) throws(Problem) -> (Metric, MetricUnit) {
        let parts = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let base = parts[0]
        guard !base.isEmpty, base.first!.isLetter else {
            throw Problem(offset: offset, message: "a condition starts with a metric name, e.g. errorRate > 5%")
        }
        if parts.count == 2 {
            guard base == "latency" else {
                throw Problem(offset: offset + base.count, message: "\(base) has no quantiles; only latency does (latency.p99)")
            }
            guard let quantile = LatencyQuantile(rawValue: parts[1]) else {
                let allowed = LatencyQuantile.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(offset: offset + base.count + 1,
                              message: "unknown latency quantile \"\(parts[1])\"; allowed: \(allowed)")
            }
            return (.latency(quantile), .seconds)
        }
        switch base {
        case "errorRate": return (.errorRate, .ratio)
        case "latency": return (.latency(.default), .seconds)
        default:
            if let unit = customMetrics[base] { return (.custom(base), unit) }
            let known = Metric.builtInNames + customMetrics.keys.sorted()
            var message = "unknown metric \"\(base)\"; known metrics: \(known.joined(separator: ", "))"
            if let suggestion = Suggestion.closest(to: base, in: known) {
                message += " (did you mean \"\(suggestion)\"?)"
            } else if customMetrics.isEmpty {
                message += "; define custom metrics under the monitor stage's metrics"
            }
            throw Problem(offset: offset, message: message)
        }
    }

    private func parseOperator(_ scanner: inout Scanner, after name: String) throws(Problem) -> Condition.Operator {
        let start = scanner.offset
        let text = scanner.take { "<>=!".contains($0) }
        if let op = Condition.Operator(rawValue: text) { return op }
        if text.isEmpty {
            let found = scanner.isAtEnd ? "the end" : "\"\(scanner.rest)\""
            throw Problem(offset: start, message: "expected a comparison (>, >=, <, <=) after \"\(name)\"; found \(found)")
        }
        throw Problem(offset: start, message: "\"\(text)\" is not a supported comparison; use >, >=, < or <=")
    }

    private func limitValue(_ number: Double, unitText: String, unitStart: Int, numberStart: Int,
                            metric: Metric, unit: MetricUnit) throws(Problem) -> Double {
        switch (unit, unitText) {
        case (.ratio, "%"):
            guard number <= 100 else {
                throw Problem(offset: numberStart, message: "\(metric) is a ratio from 0% to 100%; got \(Self.format(number))%")
            }
            return number / 100
        case (.seconds, "s"): return number
        case (.seconds, "ms"): return number / 1000
        case (.number, ""): return number
        case (_, "%"), (_, "s"), (_, "ms"), (_, ""):
            throw Problem(offset: unitText.isEmpty ? numberStart : unitStart, message: Self.unitMismatch(metric, unit))
        default:
            throw Problem(offset: unitStart, message: "unknown unit \"\(unitText)\"; use % for ratios, ms or s for durations")
        }
    }

    private static let units = ["%", "ms", "s"]

    private static func unitMismatch(_ metric: Metric, _ unit: MetricUnit) -> String {
        switch unit {
        case .ratio: "\(metric) is a ratio: write its limit as a percentage, e.g. 5%"
        case .seconds: "\(metric) is a duration: write its limit in ms or s, e.g. 2s"
        case .number: "\(metric) is a plain number: write its limit without a unit, e.g. 10"
        }
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }
}

/// A character cursor over one condition's text.
private struct Scanner {
    private let characters: [Character]
    private(set) var offset = 0

    init(_ text: String) {
        characters = Array(text)
    }

    var isAtEnd: Bool { offset >= characters.count }
    var rest: String { String(characters[offset...]) }

    mutating func skipSpaces() {
        while !isAtEnd, characters[offset] == " " { offset += 1 }
    }

    mutating func take(while predicate: (Character) -> Bool) -> String {
        let start = offset
        while !isAtEnd, predicate(characters[offset]) { offset += 1 }
        return String(characters[start..<offset])
    }
}
