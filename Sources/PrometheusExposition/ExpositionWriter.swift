/// Builds Prometheus text exposition (format 0.0.4) line by line.
public struct ExpositionWriter: Sendable {
    /// A metric family's type.
    public enum MetricType: String, Sendable {
        case counter, gauge, histogram
    }

    /// The text written so far.
    public private(set) var output = ""

    /// An empty writer.
    public init() {}

    /// The `# HELP` and `# TYPE` lines that open a metric family.
    public mutating func family(_ name: String, _ type: MetricType, _ help: String) {
        output += "# HELP \(name) \(Self.escape(help, quotes: false))\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample.
    public mutating func sample(_ name: String, _ labels: [(name: String, value: String)], _ value: Double) {
        output += "\(name)\(Self.labels(labels)) \(Self.number(value))\n"
    }

    /// A histogram's `_bucket` series (cumulative, ending with `le="+Inf"`), `_sum` and `_count`.
    public mutating func histogram(_ name: String, _ labels: [(name: String, value: String)], _ histogram: Histogram) {
        for bucket in histogram.cumulativeBuckets {
            sample(name + "_bucket", labels + [("le", bucket.le)], Double(bucket.count))
        }
        sample(name + "_sum", labels, histogram.sum)
        sample(name + "_count", labels, Double(histogram.count))
    }

    /// A sample value Prometheus parses: `3`, `0.25`, `1e-05`, `NaN`, `+Inf`, `-Inf`.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// `{a="1",b="2"}`, labels sorted by name, values escaped; empty when there are none.
    public static func labels(_ pairs: [(name: String, value: String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        let written = pairs.sorted { $0.name < $1.name }.map { "\($0.name)=\"\(escape($0.value, quotes: true))\"" }
        return "{" + written.joined(separator: ",") + "}"
    }

    /// Backslash and newline escaped (and double quotes, in label values).
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
