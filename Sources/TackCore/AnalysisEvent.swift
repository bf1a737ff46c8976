/// What an `AnalysisRunner` reports as it goes.
public enum AnalysisEvent: Sendable, Hashable {
    /// A round was measured; the outcome is the run's after it.
    case round(AnalysisRound, AnalysisOutcome)
    /// The run ended.
    case finished(AnalysisOutcome)
}
