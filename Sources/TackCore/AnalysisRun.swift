/// An analysis run as a state machine: feed it each round (`record`) or a stop, and it answers with
/// its outcome (`.running` means measure again after the interval). It performs no I/O.
///
/// How it counts. A round's phase is the worst of its measurements (`AnalysisRound.phase`). The run
/// keeps three counters: failed rounds and inconclusive rounds, both totals over the run, and error
/// rounds in a row, which any round that is not an error resets (Prometheus answered). After each
/// round, the first rule that applies decides:
/// 1. failed rounds > `failureLimit` → Failed;
/// 2. error rounds in a row > `consecutiveErrorLimit` → Error;
/// 3. inconclusive rounds > `inconclusiveLimit` → Inconclusive;
/// 4. `count` rounds taken and this round Successful → Successful;
/// 5. otherwise running. When `count` is reached on a round that is not Successful (a tolerated
///    failure, error or inconclusive round) the run measures again, because it never ends Successful
///    on a round that did not measure the new version healthy. Each such round brings a limit
///    closer, so there are at most (failureLimit + inconclusiveLimit + 1) × (consecutiveErrorLimit + 1)
///    extra rounds (5 with the defaults).
///
/// A stop (the owner was cancelled, or a run without `count` is no longer needed) decides:
/// no round yet → Inconclusive; last round not Successful → that round's phase; last round
/// Successful → Successful only for a run without `count`, for which a stop is the normal end, and
/// Inconclusive ("stopped after 2 of 4 rounds") before `count` is reached.
///
/// So a run never ends Successful on no data or on errors alone. An ended run ignores what follows.
public struct AnalysisRun: Sendable, Hashable {
    /// The limits.
    public let policy: AnalysisPolicy
    /// Where the run stands.
    public private(set) var outcome: AnalysisOutcome = .running
    /// The last round recorded.
    public private(set) var lastRound: AnalysisRound?
    /// Rounds recorded.
    public private(set) var rounds = 0
    /// Rounds whose phase was Failed.
    public private(set) var failedRounds = 0
    /// Rounds whose phase was Inconclusive.
    public private(set) var inconclusiveRounds = 0
    /// Error rounds since the last round that was not one.
    public private(set) var consecutiveErrorRounds = 0

    /// A run that has not measured yet.
    public init(policy: AnalysisPolicy) {
        self.policy = policy
    }

    /// Records the measurements of every condition taken at one time, and returns the outcome.
    @discardableResult
    public mutating func record(_ measurements: [AnalysisMeasurement]) -> AnalysisOutcome {
        guard !outcome.isFinal else { return outcome }
        rounds += 1
        let round = AnalysisRound(number: rounds, measurements: measurements)
        lastRound = round
        switch round.phase {
        case .failed: failedRounds += 1
        case .inconclusive: inconclusiveRounds += 1
        case .error: consecutiveErrorRounds += 1
        case .successful: break
        }
        if round.phase != .error { consecutiveErrorRounds = 0 }

        if failedRounds > policy.failureLimit {
            outcome = .failed("\(round.reason) (failed rounds \(failedRounds) > failureLimit \(policy.failureLimit))")
        } else if consecutiveErrorRounds > policy.consecutiveErrorLimit {
            outcome = .error("\(round.reason) (error rounds in a row \(consecutiveErrorRounds) > consecutiveErrorLimit \(policy.consecutiveErrorLimit))")
        } else if inconclusiveRounds > policy.inconclusiveLimit {
            outcome = .inconclusive("\(round.reason) (inconclusive rounds \(inconclusiveRounds) > inconclusiveLimit \(policy.inconclusiveLimit))")
        } else if let count = policy.count, rounds >= count, round.phase == .successful {
            outcome = .successful
        }
        return outcome
    }

    /// Ends the run before it decided by itself, and returns the outcome.
    @discardableResult
    public mutating func stop() -> AnalysisOutcome {
        guard !outcome.isFinal else { return outcome }
        guard let round = lastRound else {
            outcome = .inconclusive("stopped before any round was measured")
            return outcome
        }
        switch round.phase {
        case .failed: outcome = .failed("stopped after a failed round: \(round.reason)")
        case .error: outcome = .error("stopped after an error round: \(round.reason)")
        case .inconclusive: outcome = .inconclusive("stopped after an inconclusive round: \(round.reason)")
        case .successful:
            if let count = policy.count {
                outcome = .inconclusive("stopped after \(rounds) of \(count) rounds")
            } else {
                outcome = .successful
            }
        }
        return outcome
    }
}
