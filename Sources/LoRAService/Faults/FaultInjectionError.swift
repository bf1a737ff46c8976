/// A fault injection setting that could not be read; `description` is the sentence to print.
public enum FaultInjectionError: Error, Equatable, CustomStringConvertible {
    /// `LORA_FAULT_ERROR_RATE` holds `value`, which is not a share of requests.
    case errorRate(value: String, problem: String)
    /// `LORA_FAULT_LATENCY` holds `value`, which is not a latency.
    case latency(value: String, problem: String)

    /// The environment variable at fault.
    public var variable: String {
        switch self {
        case .errorRate: FaultInjection.errorRateVariable
        case .latency: FaultInjection.latencyVariable
        }
    }

    public var description: String {
        switch self {
        case .errorRate(let value, let problem):
            "\(variable)=\"\(value)\": \(problem). Write a share of requests from 0 to 1 (0.3) or a percentage "
                + "from 0% to 100% (30%)."
        case .latency(let value, let problem):
            "\(variable)=\"\(value)\": \(problem). Write a duration (2.5s, 250ms, 1m) or a distribution: "
                + "uniform(100ms,2s), exponential(500ms) (its mean) or normal(1s,200ms) (mean, standard deviation); "
                + "each value at most \(FaultDuration.format(FaultLatency.maximum))."
        }
    }
}
