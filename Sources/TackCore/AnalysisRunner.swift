/// Drives an `AnalysisRun`: every `interval` it measures all conditions in parallel through a
/// `MetricsSource`, feeds the round to the run, and reports it, until the outcome is final or the
/// task is cancelled, which stops the run (see `AnalysisRun.stop()`).
public struct AnalysisRunner: Sendable {
    /// The conditions checked each round.
    public var conditions: [Condition]
    /// What is measured.
    public var target: AnalysisTarget
    /// Interval, count and limits.
    public var policy: AnalysisPolicy
    /// Where measurements come from.
    public var source: any MetricsSource
    /// The clock that paces rounds.
    public var clock: any Clock<Duration>

    /// A runner.
    public init(conditions: [Condition], target: AnalysisTarget, policy: AnalysisPolicy,
                source: any MetricsSource, clock: any Clock<Duration> = ContinuousClock()) {
        self.conditions = conditions
        self.target = target
        self.policy = policy
        self.source = source
        self.clock = clock
    }

    /// Runs to the end, calling `report` after each round, and returns the final outcome.
    public func run(report: @Sendable (AnalysisRound, AnalysisOutcome) async -> Void = { _, _ in }) async -> AnalysisOutcome {
        await run(on: clock, report: report)
    }

    /// The run as a stream of events that ends with `.finished`; ending the iteration cancels the run.
    public func events() -> AsyncStream<AnalysisEvent> {
        AsyncStream { continuation in
            let task = Task {
                let outcome = await run { round, outcome in continuation.yield(.round(round, outcome)) }
                continuation.yield(.finished(outcome))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func run<C: Clock<Duration>>(on clock: C, report: @Sendable (AnalysisRound, AnalysisOutcome) async -> Void) async -> AnalysisOutcome {
        var run = AnalysisRun(policy: policy)
        while true {
            let start = clock.now
            let measurements = await measureAll()
            // Measurements taken while being cancelled may be errors caused by the cancellation.
            guard !Task.isCancelled else { return run.stop() }
            let outcome = run.record(measurements)
            if let round = run.lastRound { await report(round, outcome) }
            guard !outcome.isFinal else { return outcome }
            do {
                try await clock.sleep(until: start.advanced(by: policy.interval), tolerance: nil)
            } catch {
                return run.stop()
            }
        }
    }

    /// One measurement per condition, taken concurrently, in the conditions' order.
    private func measureAll() async -> [AnalysisMeasurement] {
        await withTaskGroup(of: (Int, AnalysisMeasurement).self) { group in
            for (index, condition) in conditions.enumerated() {
                group.addTask { [source, target] in (index, await source.measure(condition, of: target, at: nil)) }
            }
            var measurements = [AnalysisMeasurement?](repeating: nil, count: conditions.count)
            for await (index, measurement) in group { measurements[index] = measurement }
            return measurements.compactMap { $0 }
        }
    }
}
