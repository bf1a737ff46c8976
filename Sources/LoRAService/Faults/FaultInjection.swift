import PrometheusExposition
import Foundation

/// Faults the service injects for testing its clients: a share of requests answered with 500,
/// and latency added to every request. Off unless the environment asks for it.
public struct FaultInjection: Sendable, Equatable {
    /// The environment variable holding the error rate: `0.3` or `30%`.
    public static let errorRateVariable = "LORA_FAULT_ERROR_RATE"
    /// The environment variable holding the latency: `2.5s` or `uniform(100ms,2s)`.
    public static let latencyVariable = "LORA_FAULT_LATENCY"

    /// No faults.
    public static let off = FaultInjection(errorRate: 0, latency: .off)

    /// The share of requests answered with 500, from 0 to 1.
    public let errorRate: Double
    /// The latency added to each request.
    public let latency: FaultLatency

    /// Faults failing `errorRate` (0...1) of requests and delaying each by `latency`; none by default.
    public init(errorRate: Double = 0, latency: FaultLatency = .off) {
        precondition((0...1).contains(errorRate), "the error rate is a share from 0 to 1")
        self.errorRate = errorRate
        self.latency = latency
    }

    /// The faults `LORA_FAULT_ERROR_RATE` and `LORA_FAULT_LATENCY` ask for; unset or empty means none.
    public static func fromEnvironment(_ environment: [String: String]) throws(FaultInjectionError) -> FaultInjection {
        FaultInjection(
            errorRate: try parseErrorRate(environment[errorRateVariable] ?? ""),
            latency: try FaultLatency.parse(environment[latencyVariable] ?? "")
        )
    }

    /// Whether any fault is injected.
    public var isEnabled: Bool { errorRate > 0 || latency != .off }

    /// The start-up log line, such as
    /// `fault injection ON: 30% of requests answer 500; latency +uniform(100ms,2s)`.
    public var announcement: String {
        guard isEnabled else { return "fault injection off" }
        var parts: [String] = []
        if errorRate > 0 { parts.append("\(percentText) of requests answer 500") }
        if latency != .off { parts.append("latency +\(latency.text)") }
        return "fault injection ON: " + parts.joined(separator: "; ")
    }

    /// The error rate as a share for `lora_build_info`: `0` when off, `0.3`.
    public var errorRateText: String { ExpositionWriter.number(errorRate) }

    /// The latency for `lora_build_info`: `0s` when off, `2.5s`, `uniform(100ms,2s)`.
    public var latencyText: String { latency.text }

    /// Draws one request's faults: whether it fails, and how long to delay it first.
    public func decide<R: RandomNumberGenerator>(using generator: inout R) -> (fail: Bool, delay: Duration) {
        let fail = errorRate > 0 && Double.random(in: 0..<1, using: &generator) < errorRate
        return (fail, latency.sample(using: &generator))
    }

    /// `30%`, `12.5%`: the error rate as a percentage, to four decimals.
    private var percentText: String {
        ExpositionWriter.number((errorRate * 1e6).rounded() / 1e4) + "%"
    }

    private static func parseErrorRate(_ text: String) throws(FaultInjectionError) -> Double {
        func fail(_ problem: String) -> FaultInjectionError { .errorRate(value: text, problem: problem) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return 0 }
        let isPercentage = trimmed.hasSuffix("%")
        let number = isPercentage ? String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces) : trimmed
        guard !number.hasPrefix("-") else { throw fail("\(trimmed) is negative") }
        guard let value = Double(number), value.isFinite, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") })
        else { throw fail("\"\(number)\" is not a number") }
        if isPercentage {
            guard value <= 100 else { throw fail("\(trimmed) is above 100%") }
            return value / 100
        }
        guard value <= 1 else {
            throw fail("\(trimmed) is above 1" + (value <= 100 ? " (for a percentage, write \(trimmed)%)" : ""))
        }
        return value
    }
}
