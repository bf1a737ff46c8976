import Foundation
import TackCore

/// Where one analysis stands, rebuilt from its stored rounds: the run, its last round, and how
/// many rounds measured the new version healthy.
public struct AnalysisState: Sendable, Hashable {
    /// The analysis.
    public var spec: AnalysisSpec
    /// The run fed with every counted round.
    public var run: AnalysisRun
    /// Rounds taken, counted or not.
    public var roundsTaken: Int
    /// Counted rounds that were successful.
    public var successfulRounds: Int
    /// When the last round was measured.
    public var lastRoundAt: Date?

    /// The state of an analysis that has not measured yet.
    public init(spec: AnalysisSpec) {
        self.spec = spec
        self.run = AnalysisRun(policy: spec.policy)
        self.roundsTaken = 0
        self.successfulRounds = 0
        self.lastRoundAt = nil
    }

    /// The state after replaying `records` (this analysis' rounds, in order).
    public init(spec: AnalysisSpec, replaying records: [AnalysisRecord]) {
        self.init(spec: spec)
        records.forEach { record($0) }
    }

    /// The run's outcome.
    public var outcome: AnalysisOutcome { run.outcome }

    /// When the next round is due.
    public var nextRoundAt: Date {
        lastRoundAt.map { $0.addingTimeInterval(spec.policy.interval.seconds) } ?? spec.startedAt
    }

    /// Feeds one stored round.
    public mutating func record(_ record: AnalysisRecord) {
        roundsTaken = max(roundsTaken, record.round)
        lastRoundAt = record.time
        guard record.counted else { return }
        let measurements = zip(spec.conditions, record.measurements).map { condition, stored in
            AnalysisMeasurement(condition: condition, phase: AnalysisMeasurement.Phase(rawValue: stored.phase) ?? .error,
                                value: stored.value, stableValue: stored.stableValue, requests: stored.requests,
                                reason: stored.reason, time: record.time.timeIntervalSince1970)
        }
        run.record(measurements)
        if run.lastRound?.phase == .successful { successfulRounds += 1 }
    }

    /// The round to store for `measurements` just taken at `time`: counted unless it found no data
    /// during the warm-up, before any counted round.
    public func round(executionID: Int64, measurements: [AnalysisMeasurement], at time: Date) -> AnalysisRecord {
        let phase = AnalysisRound(number: 0, measurements: measurements).phase
        let warmingUp = phase == .inconclusive && run.rounds == 0 && time < spec.warmUpEnds
        return AnalysisRecord(
            executionID: executionID, account: spec.account, analysis: spec.name, round: roundsTaken + 1, counted: !warmingUp,
            time: time, measurements: measurements.map(MeasurementRecord.init))
    }

    /// What caused the run to end badly: the first measurement of the last round in its phase.
    public var cause: RollbackCause? {
        guard let round = run.lastRound else { return nil }
        let decisive = round.measurements.first { $0.phase == round.phase } ?? round.measurements.first
        guard let decisive else { return nil }
        return RollbackCause(
            account: spec.account, metric: decisive.condition.metric.description, condition: decisive.condition.text,
            value: decisive.value, limit: decisive.condition.limit.threshold(stable: decisive.stableValue),
            reason: outcome.description)
    }
}

extension MeasurementRecord {
    /// The stored form of a measurement.
    public init(_ measurement: AnalysisMeasurement) {
        self.init(
            condition: measurement.condition.text, metric: measurement.condition.metric.description,
            phase: measurement.phase.rawValue, value: measurement.value, stableValue: measurement.stableValue,
            limit: measurement.condition.limit.threshold(stable: measurement.stableValue), requests: measurement.requests,
            reason: measurement.reason)
    }
}
