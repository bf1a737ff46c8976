/// Where an analysis run stands: still measuring, or ended with a verdict and its reason.
public enum AnalysisOutcome: Sendable, Hashable, CustomStringConvertible {
    /// More rounds are needed.
    case running
    /// The new version was measured healthy, and the last round said so.
    case successful
    /// The new version crossed a limit more often than the failure limit allows.
    case failed(String)
    /// There was too little data to judge; a person should decide.
    case inconclusive(String)
    /// Metrics could not be read; the new version was not judged.
    case error(String)

    /// Whether the run has ended.
    public var isFinal: Bool { self != .running }

    /// `Failed: errorRate 31.2% > 5% (…)`.
    public var description: String {
        switch self {
        case .running: "Running"
        case .successful: "Successful"
        case .failed(let reason): "Failed: \(reason)"
        case .inconclusive(let reason): "Inconclusive: \(reason)"
        case .error(let reason): "Error: \(reason)"
        }
    }
}
