import TackCore

extension AnalysisOutcome {
    /// Whether the run ended because there was too little data to judge.
    var isInconclusive: Bool {
        if case .inconclusive = self { true } else { false }
    }
}
