import TackCore
import TackYAML

/// Parses conditions by the grammar in Docs/pipeline-reference.md:
///
///     condition = metric op limit
///     limit     = quantity | "stable" [ ("+" | "-") quantity | "*" number ]
///     quantity  = number [unit]
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
        let limit: Condition.Limit
        if scanner.take(word: "stable") {
            limit = try relativeLimit(&scanner, metric: metric, unit: unit)
        } else {
            limit = .absolute(try quantity(&scanner, after: op.rawValue, metric: metric, unit: unit))
        }
        scanner.skipSpaces()
        guard scanner.isAtEnd else {
            throw Problem(offset: scanner.offset, message: "unexpected \"\(scanner.rest)\" after the limit")
        }
        return Condition(metric: metric, op: op, limit: limit, text: text.trimming(" "))
    }

    /// `stable`, `stable + 2%`, `stable - 100ms` or `stable * 1.5`, after the word `stable`.
    private func relativeLimit(_ scanner: inout Scanner, metric: Metric, unit: MetricUnit) throws(Problem) -> Condition.Limit {
        scanner.skipSpaces()
        guard !scanner.isAtEnd else { return .stablePlus(0) }
        let signStart = scanner.offset
        let sign = scanner.take { Self.relativeOperatorBytes.contains($0) }
        scanner.skipSpaces()
        switch sign {
        case "+": return .stablePlus(try quantity(&scanner, after: "+", metric: metric, unit: unit))
        case "-": return .stablePlus(-(try quantity(&scanner, after: "-", metric: metric, unit: unit)))
        case "*":
            let factorStart = scanner.offset
            let factor = try number(&scanner, after: "*")
            guard factor > 0, scanner.isAtEnd || scanner.peek == UInt8(ascii: " ") else {
                throw Problem(offset: factorStart, message: "a factor is a plain number above 0, e.g. stable * 1.5")
            }
            return .stableTimes(factor)
        default:
            throw Problem(offset: signStart, message: "expected +, - or * after \"stable\", e.g. stable + 2% or stable * 1.5")
        }
    }

    /// A number with the unit the metric needs, in the metric's base unit.
    private func quantity(_ scanner: inout Scanner, after previous: String, metric: Metric, unit: MetricUnit) throws(Problem) -> Double {
        let numberStart = scanner.offset
        let value = try number(&scanner, after: previous)
        let afterNumber = scanner
        scanner.skipSpaces()
        let unitStart = scanner.offset
        var unitText = scanner.take { $0 == UInt8(ascii: "%") || $0.isASCIILetter }
        if unitStart > afterNumber.offset, !Self.units.contains(unitText) {
            // A word after a space is trailing text rather than a unit (errorRate > 5 for 2m).
            scanner = afterNumber
            unitText = ""
        }
        return try limitValue(value, unitText: unitText, unitStart: unitStart, numberStart: numberStart, metric: metric, unit: unit)
    }

    private func number(_ scanner: inout Scanner, after previous: String) throws(Problem) -> Double {
        let numberStart = scanner.offset
        let digits = scanner.take { $0.isASCIIDigit || $0 == UInt8(ascii: ".") }
        guard !digits.isEmpty else {
            let found = scanner.isAtEnd ? "the end" : "\"\(scanner.rest)\""
            throw Problem(offset: numberStart, message: "expected a number after \"\(previous)\"; found \(found)")
        }
        guard let number = Double(digits), digits.first != ".", digits.last != "." else {
            throw Problem(offset: numberStart, message: "\"\(digits)\" is not a number; write digits with at most one decimal point, e.g. 2.5")
        }
        return number
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
    private static let relativeOperatorBytes = Array("+-*".utf8)

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

    /// The next byte, if any.
    var peek: UInt8? { isAtEnd ? nil : bytes[offset] }

    /// Consumes `word` when it comes next as a whole word.
    mutating func take(word: String) -> Bool {
        let word = Array(word.utf8)
        let end = offset + word.count
        guard end <= bytes.count, Array(bytes[offset..<end]) == word else { return false }
        if end < bytes.count, bytes[end].isASCIILetter || bytes[end].isASCIIDigit { return false }
        offset = end
        return true
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
