/// One check of one condition at one time: what was measured, what it means for the rollout, and why.
public struct AnalysisMeasurement: Sendable, Hashable {
    /// What a measurement says about the new version.
    public enum Phase: String, Sendable, Hashable, CaseIterable {
        /// The value was measured and the condition does not hold.
        case successful
        /// The value was measured and the condition holds: the new version is worse than allowed.
        case failed
        /// The question was answered but says nothing: no data, NaN, or too little traffic.
        case inconclusive
        /// The question could not be asked or answered: the query or the connection failed.
        case error

        /// How much the phase weighs when several are combined: failed, then error, then
        /// inconclusive, then successful.
        public var severity: Int {
            switch self {
            case .successful: 0
            case .inconclusive: 1
            case .error: 2
            case .failed: 3
            }
        }
    }

    /// The condition checked.
    public var condition: Condition
    /// What the check says.
    public var phase: Phase
    /// The new version's value in the metric's base unit, when one was read (never NaN; may be infinite).
    public var value: Double?
    /// The stable track's value, when it was read (relative limits compare with it).
    public var stableValue: Double?
    /// Requests the measured track received in the window, when counted (Prometheus extrapolates, so
    /// it may be fractional).
    public var requests: Double?
    /// One line for people: `errorRate 31.2% > 5%`, `no data: the canary received 0 requests in 1m`.
    public var reason: String
    /// When the values were taken, in seconds since the epoch.
    public var time: Double

    /// A measurement.
    public init(condition: Condition, phase: Phase, value: Double? = nil, stableValue: Double? = nil,
                requests: Double? = nil, reason: String, time: Double) {
        self.condition = condition
        self.phase = phase
        self.value = value
        self.stableValue = stableValue
        self.requests = requests
        self.reason = reason
        self.time = time
    }
}
