import Synchronization
import TackCore
import Testing

/// A metrics source that answers from a script of round letters per condition, and records calls.
final class ScriptedSource: MetricsSource {
    private let state = Mutex<(calls: [String: Int], inFlight: Int, maxInFlight: Int)>(([:], 0, 0))
    let scripts: [String: String]
    let delay: Duration?
    let clock: TestClock?

    /// `scripts` maps a condition's text to its letters, one per round (the last repeats).
    init(_ scripts: [String: String], delay: Duration? = nil, advancing clock: TestClock? = nil) {
        self.scripts = scripts
        self.delay = delay
        self.clock = clock
    }

    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var calls: Int { state.withLock { $0.calls.values.reduce(0, +) } }

    func measure(_ condition: Condition, of target: AnalysisTarget, at time: Double?) async -> AnalysisMeasurement {
        let index = state.withLock { state in
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            defer { state.calls[condition.text, default: 0] += 1 }
            return state.calls[condition.text, default: 0]
        }
        if let delay { try? await Task.sleep(for: delay) }
        clock?.advance(by: .seconds(3))
        state.withLock { $0.inFlight -= 1 }
        let script = Array(scripts[condition.text] ?? "S")
        var result = measurement(script[min(index, script.count - 1)])
        result.condition = condition
        return result
    }
}

@Suite("analysis runner")
struct AnalysisRunnerTests {
    let target = AnalysisTarget(track: TrackSelector(app: "lora", account: "local", track: .canary, version: "v2"), window: .seconds(60))

    @Test("rounds start every interval, however long measuring takes, with no sleep after the last")
    func pacing() async {
        let clock = TestClock()
        let runner = AnalysisRunner(conditions: [Conditions.errorRate], target: target,
                                    policy: AnalysisPolicy(interval: .seconds(10), count: 3),
                                    source: ScriptedSource([:], advancing: clock), clock: clock)
        #expect(await runner.run() == .successful)
        #expect(clock.sleeps == [.seconds(10), .seconds(20)])
    }

    @Test("every condition is measured each round, concurrently, and reported in the conditions' order")
    func parallel() async {
        let conditions = [Conditions.errorRate, Conditions.latency, Conditions.queueDepth]
        let source = ScriptedSource(["latency > 2s": "SF"], delay: .milliseconds(100))
        let runner = AnalysisRunner(conditions: conditions, target: target,
                                    policy: AnalysisPolicy(interval: .seconds(1), count: 4), source: source, clock: TestClock())
        let rounds = Mutex<[AnalysisRound]>([])
        let outcome = await runner.run { round, _ in rounds.withLock { $0.append(round) } }
        #expect(outcome == .failed("errorRate 31.2% > 5% (failed rounds 1 > failureLimit 0)"))
        #expect(source.maxInFlight == 3)
        #expect(rounds.withLock { $0.map { $0.measurements.map(\.condition.text) } } == Array(repeating: conditions.map(\.text), count: 2))
        #expect(rounds.withLock { $0.map(\.phase) } == [.successful, .failed])
    }

    @Test("the event stream reports each round and ends with the outcome")
    func events() async {
        let runner = AnalysisRunner(conditions: [Conditions.errorRate], target: target,
                                    policy: AnalysisPolicy(interval: .seconds(5), count: nil),
                                    source: ScriptedSource(["errorRate > 5%": "SSEEEEE"]), clock: TestClock())
        var letters = ""
        for await event in runner.events() {
            switch event {
            case .round(let round, let outcome): letters += "\(round.phase == .successful ? "S" : "E")\(letter(outcome))"
            case .finished(let outcome): letters += "|\(letter(outcome))"
            }
        }
        #expect(letters == "S.S.E.E.E.E.EE|E")
    }

    @Test("cancelling a run with a count stops it, and a stop before count is not Successful")
    func cancelBeforeCount() async {
        let runner = AnalysisRunner(conditions: [Conditions.errorRate], target: target,
                                    policy: AnalysisPolicy(interval: .seconds(5), count: 10), source: ScriptedSource([:]), clock: TestClock())
        let outcome = await Task {
            await runner.run { round, _ in
                if round.number == 2 { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }.value
        #expect(outcome == .inconclusive("stopped after 2 of 10 rounds"))
    }

    @Test("cancelling a run without a count ends it Successful only when its last round was")
    func cancelOpenEnded() async {
        for (script, expected) in [("SSS", AnalysisOutcome.successful),
                                   ("SSE", .error("stopped after an error round: query failed: Prometheus did not answer"))] {
            let runner = AnalysisRunner(conditions: [Conditions.errorRate], target: target,
                                        policy: AnalysisPolicy(interval: .seconds(5)), source: ScriptedSource(["errorRate > 5%": script]),
                                        clock: TestClock())
            let outcome = await Task {
                await runner.run { round, _ in
                    if round.number == 3 { withUnsafeCurrentTask { $0?.cancel() } }
                }
            }.value
            #expect(outcome == expected)
        }
    }

    @Test("ending the iteration of the event stream cancels the run")
    func streamTermination() async {
        let source = ScriptedSource([:])
        let runner = AnalysisRunner(conditions: [Conditions.errorRate], target: target,
                                    policy: AnalysisPolicy(interval: .milliseconds(20)), source: source)
        var seen = 0
        for await _ in runner.events() {
            seen += 1
            if seen == 2 { break }
        }
        try? await Task.sleep(for: .milliseconds(200))
        let calls = source.calls
        try? await Task.sleep(for: .milliseconds(200))
        #expect(source.calls == calls)
    }
}
