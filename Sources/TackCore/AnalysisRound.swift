/// The measurements of every condition taken at one time; its phase is the worst of theirs.
public struct AnalysisRound: Sendable, Hashable {
    /// 1 for the first round.
    public var number: Int
    /// One measurement per condition, in the conditions' order.
    public var measurements: [AnalysisMeasurement]

    /// A round.
    public init(number: Int, measurements: [AnalysisMeasurement]) {
        self.number = number
        self.measurements = measurements
    }

    /// Failed if any measurement failed, else error if any erred, else inconclusive if any was
    /// (or there were none), else successful.
    public var phase: AnalysisMeasurement.Phase {
        guard let worst = measurements.max(by: { $0.phase.severity < $1.phase.severity }) else { return .inconclusive }
        return worst.phase
    }

    /// The reasons of the measurements that decided the phase, joined by `; `.
    public var reason: String {
        guard !measurements.isEmpty else { return "no conditions to measure" }
        let phase = self.phase
        return measurements.filter { $0.phase == phase }.map(\.reason).joined(separator: "; ")
    }
}
