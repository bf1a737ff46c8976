import TackCore

/// Conditions as the pipeline grammar would produce them.
enum Conditions {
    static let errorRate = Condition(metric: .errorRate, op: .greater, limit: .absolute(0.05), text: "errorRate > 5%")
    static let latency = Condition(metric: .latency(.p99), op: .greater, limit: .absolute(2), text: "latency > 2s")
    static let errorRateVersusStable = Condition(metric: .errorRate, op: .greater, limit: .stablePlus(0.02),
                                                 text: "errorRate > stable + 2%")
    static let latencyVersusStable = Condition(metric: .latency(.p99), op: .greater, limit: .stableTimes(1.5),
                                               text: "latency > stable * 1.5")
    static let queueDepth = Condition(metric: .custom("queueDepth"), op: .greater, limit: .absolute(100),
                                      text: "queueDepth > 100")
}
