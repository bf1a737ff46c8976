import Foundation

/// The latency fault injection adds to each request: none, fixed, or drawn from a distribution.
public enum FaultLatency: Sendable, Equatable {
    /// No added latency.
    case off
    /// The same delay for every request.
    case fixed(Duration)
    /// A delay drawn uniformly between two bounds.
    case uniform(Duration, Duration)
    /// A delay drawn from the exponential distribution with this mean.
    case exponential(mean: Duration)
    /// A delay drawn from the normal distribution, clamped at 0.
    case normal(mean: Duration, standardDeviation: Duration)

    /// The largest value a setting may hold.
    public static let maximum: Duration = .seconds(3_600)

    /// How the setting is written: `0s`, `2.5s`, `uniform(100ms,2s)`, `exponential(500ms)`, `normal(1s,200ms)`.
    public var text: String {
        switch self {
        case .off: "0s"
        case .fixed(let delay): FaultDuration.format(delay)
        case .uniform(let low, let high): "uniform(\(FaultDuration.format(low)),\(FaultDuration.format(high)))"
        case .exponential(let mean): "exponential(\(FaultDuration.format(mean)))"
        case .normal(let mean, let deviation): "normal(\(FaultDuration.format(mean)),\(FaultDuration.format(deviation)))"
        }
    }

    /// One request's delay.
    public func sample<R: RandomNumberGenerator>(using generator: inout R) -> Duration {
        switch self {
        case .off:
            return .zero
        case .fixed(let delay):
            return delay
        case .uniform(let low, let high):
            let (low, high) = (FaultDuration.seconds(low), FaultDuration.seconds(high))
            return .seconds(low + (high - low) * Double.random(in: 0..<1, using: &generator))
        case .exponential(let mean):
            // Inverse transform; 1 - u lies in (0, 1], so the logarithm is finite.
            let u = Double.random(in: 0..<1, using: &generator)
            return .seconds(-FaultDuration.seconds(mean) * log(1 - u))
        case .normal(let mean, let deviation):
            // Box–Muller.
            let u1 = 1 - Double.random(in: 0..<1, using: &generator)
            let u2 = Double.random(in: 0..<1, using: &generator)
            let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            return .seconds(max(0, FaultDuration.seconds(mean) + FaultDuration.seconds(deviation) * z))
        }
    }
}

extension FaultLatency {
    /// The latency `text` spells; the error's problem says what is wrong.
    static func parse(_ text: String) throws(FaultInjectionError) -> FaultLatency {
        func fail(_ problem: String) -> FaultInjectionError { .latency(value: text, problem: problem) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .off }

        guard let open = trimmed.firstIndex(of: "(") else {
            let delay = try duration(Substring(trimmed), fail)
            return delay == .zero ? .off : .fixed(delay)
        }
        guard trimmed.hasSuffix(")") else { throw fail("a distribution ends with \")\"") }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).lowercased()
        let arguments = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            .split(separator: ",", omittingEmptySubsequences: false)
        var values: [Duration] = []
        for argument in arguments {
            values.append(try duration(Substring(argument.trimmingCharacters(in: .whitespaces)), fail))
        }

        switch (name, values.count) {
        case ("uniform", 2):
            guard values[0] <= values[1] else {
                throw fail("the lower bound \(FaultDuration.format(values[0])) is above the upper bound "
                    + FaultDuration.format(values[1]))
            }
            return .uniform(values[0], values[1])
        case ("exponential", 1):
            guard values[0] > .zero else { throw fail("the mean of an exponential distribution must be above 0") }
            return .exponential(mean: values[0])
        case ("normal", 2):
            return .normal(mean: values[0], standardDeviation: values[1])
        case ("uniform", _), ("normal", _):
            throw fail("\(name) takes two durations, not \(values.count)")
        case ("exponential", _):
            throw fail("exponential takes one duration (its mean), not \(values.count)")
        default:
            throw fail("\"\(name)\" is not a distribution")
        }
    }

    private static func duration(
        _ text: Substring, _ fail: (String) -> FaultInjectionError
    ) throws(FaultInjectionError) -> Duration {
        guard let delay = FaultDuration.parse(text) else {
            if Double(text) != nil { throw fail("\"\(text)\" has no unit (\(text)s or \(text)ms)") }
            throw fail("\"\(text)\" is not a duration")
        }
        guard delay <= maximum else {
            throw fail("\(text) is above the maximum, \(FaultDuration.format(maximum))")
        }
        return delay
    }
}
