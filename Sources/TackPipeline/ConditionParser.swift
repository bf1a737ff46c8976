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
/// Spaces are allowed between the parts. Problems carry the offset they point at, in code points
/// (as libyaml counts columns). The grammar is ASCII, so the scanner works on UTF-8 bytes.
struct ConditionParser {
    /// A problem with its offset in the condition text.
    struct Problem: Error, Equatable {
        var offset: Int
        var message: String
    }

    /// Metrics the monitor defines, with their units.
    var customMetrics: [String: MetricUnit]

    func parse(_ text: String) throws(Problem) -> Condition {
        do {
            return try parseBytes(text)
        } catch {
            // Byte offsets to code points: count the bytes that start a code point.
            let offset = text.utf8.prefix(error.offset).count { $0 & 0xC0 != 0x80 }
            throw Problem(offset: offset, message: error.message)
        }
    }

    private func parseBytes(_ text: String) throws(Problem) -> Condition {
        var scanner = Scanner(text)
        scanner.skipSpaces()
        guard !scanner.isAtEnd else {
            throw Problem(offset: 0, message: "the condition is empty; expected METRIC OP LIMIT, e.g. errorRate > 5%")
        }
        let metricStart = scanner.offset
        let name = scanner.take { $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
        let (metric, unit) = try resolve(name, at: metricStart)
        scanner.skipSpaces()
        let op = try parseOperator(&scanner, after: name)
        scanner.skipSpaces()
        let numberStart = scanner.offset
        let digits = scanner.take { $0.isASCIIDigit || $0 == UInt8(ascii: ".") }
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
        var unitText = scanner.take { $0 == UInt8(ascii: "%") || $0.isASCIILetter }
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
        let dot = name.firstIndex(of: ".")
        let base = dot.map { String(name[..<$0]) } ?? name
        guard let first = base.first, first.isLetter else {
            throw Problem(offset: offset, message: "a condition starts with a metric name, e.g. errorRate > 5%")
        }
        if let dot {
            let quantileText = String(name[name.index(after: dot)...])
            guard base == "latency" else {
                throw Problem(offset: offset + base.count, message: "\(base) has no quantiles; only latency does (latency.p99)")
            }
            guard let quantile = LatencyQuantile(rawValue: quantileText) else {
                let allowed = LatencyQuantile.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(offset: offset + base.count + 1,
                              message: "unknown latency quantile \"\(quantileText)\"; allowed: \(allowed)")
            }
            return (.latency(quantile), .seconds)
        }
        switch base {
        case "errorRate": return (.errorRate, .ratio)
        case "latency": return (.latency(.default), .seconds)
        default:
            if let unit = customMetrics[base] { return (.custom(base), unit) }
            let known = Metric.builtInNames + customMetrics.keys.sorted()
            var message = "unknown metric \(base.quoted); known metrics: \(known.listed())"
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
        let text = scanner.take { Self.operatorBytes.contains($0) }
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
    private static let operatorBytes = Array("<>=!".utf8)

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

/// A cursor over one condition's UTF-8 bytes.
private struct Scanner {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { offset >= bytes.count }
    var rest: String { String(decoding: bytes[offset...], as: UTF8.self) }

    mutating func skipSpaces() {
        while !isAtEnd, bytes[offset] == UInt8(ascii: " ") { offset += 1 }
    }

    mutating func take(while predicate: (UInt8) -> Bool) -> String {
        let start = offset
        while !isAtEnd, predicate(bytes[offset]) { offset += 1 }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }
}

private extension UInt8 {
    var isASCIILetter: Bool { (65...90).contains(self) || (97...122).contains(self) }
    var isASCIIDigit: Bool { (48...57).contains(self) }
}
