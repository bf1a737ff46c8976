import TackCore
import Testing

/// Rounds written as letters: S successful, F failed, I inconclusive, E error; one measurement each.
func rounds(_ script: String) -> [[AnalysisMeasurement]] {
    script.filter { $0 != " " }.map { [measurement($0)] }
}

func measurement(_ letter: Character, time: Double = 0) -> AnalysisMeasurement {
    let (phase, reason): (AnalysisMeasurement.Phase, String) = switch letter {
    case "S": (.successful, "errorRate 1% is not > 5%")
    case "F": (.failed, "errorRate 31.2% > 5%")
    case "I": (.inconclusive, "no data: the canary received 0 requests in 1m")
    default: (.error, "query failed: Prometheus did not answer")
    }
    return AnalysisMeasurement(condition: Conditions.errorRate, phase: phase, reason: reason, time: time)
}

/// `AnalysisOutcome` as one letter: . running, S, F, I, E.
func letter(_ outcome: AnalysisOutcome) -> Character {
    switch outcome {
    case .running: "."
    case .successful: "S"
    case .failed: "F"
    case .inconclusive: "I"
    case .error: "E"
    }
}

@Suite("analysis run counting")
struct AnalysisRunTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var policy: AnalysisPolicy
        var rounds: String
        /// The outcome after each round, as letters.
        var outcomes: String
        var testDescription: String { name }
    }

    static func policy(count: Int? = 4, failures: Int = 0, inconclusive: Int = 0, errors: Int = 4) -> AnalysisPolicy {
        AnalysisPolicy(interval: .seconds(15), count: count, failureLimit: failures, inconclusiveLimit: inconclusive,
                       consecutiveErrorLimit: errors)
    }

    static let cases: [Case] = [
        Case(name: "count successful rounds end Successful", policy: policy(), rounds: "SSSS", outcomes: "...S"),
        Case(name: "with the defaults, the first failed round ends the run Failed", policy: policy(), rounds: "SF", outcomes: ".F"),
        Case(name: "failureLimit 1 tolerates one failed round", policy: policy(failures: 1), rounds: "SFSS", outcomes: "...S"),
        Case(name: "failureLimit 1: the second failed round ends the run, even apart", policy: policy(failures: 1), rounds: "FSF", outcomes: "..F"),
        Case(name: "with the defaults, the first inconclusive round ends the run Inconclusive", policy: policy(), rounds: "SI", outcomes: ".I"),
        Case(name: "inconclusive rounds count in total, not in a row", policy: policy(inconclusive: 1), rounds: "ISI", outcomes: "..I"),
        Case(name: "the fifth error round in a row ends the run in Error", policy: policy(count: nil), rounds: "EEEEE", outcomes: "....E"),
        Case(name: "a round that is not an error resets the errors in a row", policy: policy(count: 10), rounds: "EEEESEEEES", outcomes: ".........S"),
        Case(name: "consecutiveErrorLimit 0 ends the run at the first error", policy: policy(errors: 0), rounds: "SE", outcomes: ".E"),
        Case(name: "reaching count on an error round measures again until a round is successful", policy: policy(), rounds: "SSSES", outcomes: "....S"),
        Case(name: "reaching count on error rounds ends in Error when the errors go on", policy: policy(), rounds: "SSSEEEEE", outcomes: ".......E"),
        Case(name: "a run of errors only never ends Successful, whatever the count", policy: policy(count: 1), rounds: "EEEEE", outcomes: "....E"),
        Case(name: "reaching count on a tolerated failure measures again", policy: policy(failures: 1), rounds: "SSSFS", outcomes: "....S"),
        Case(name: "and a second failure after count ends the run Failed", policy: policy(failures: 1), rounds: "SSSFF", outcomes: "....F"),
        Case(name: "reaching count on a tolerated inconclusive round measures again", policy: policy(count: 2, inconclusive: 1), rounds: "SIS", outcomes: "..S"),
        Case(name: "a failure beats errors that reach their limit in the same round", policy: policy(failures: 0, errors: 0), rounds: "F", outcomes: "F"),
        Case(name: "an outcome is final: later rounds are ignored", policy: policy(), rounds: "FSSS", outcomes: "FFFF"),
        Case(name: "a run without count keeps running on successful rounds", policy: policy(count: nil), rounds: "SSSSSS", outcomes: "......"),
    ]

    @Test("each limit counts as documented", arguments: cases)
    func counting(_ example: Case) {
        var run = AnalysisRun(policy: example.policy)
        let outcomes = String(rounds(example.rounds).map { letter(run.record($0)) })
        #expect(outcomes == example.outcomes)
    }

    @Test("a round is Failed if any measurement failed, else Error, else Inconclusive, else Successful", arguments: [
        ("SF", "F"), ("EF", "F"), ("SE", "E"), ("IE", "E"), ("SI", "I"), ("SS", "S"), ("", "I"),
    ])
    func roundPhase(_ letters: String, _ expected: String) {
        let round = AnalysisRound(number: 1, measurements: letters.map { measurement($0) })
        #expect(round.phase == measurement(Character(expected)).phase)
    }

    @Test("reasons say which round decided and how the limit counted")
    func reasons() {
        var failed = AnalysisRun(policy: Self.policy())
        #expect(failed.record([measurement("S"), measurement("F")]) == .failed("errorRate 31.2% > 5% (failed rounds 1 > failureLimit 0)"))
        var errors = AnalysisRun(policy: Self.policy(errors: 1))
        errors.record([measurement("E")])
        #expect(errors.record([measurement("E")])
            == .error("query failed: Prometheus did not answer (error rounds in a row 2 > consecutiveErrorLimit 1)"))
        var inconclusive = AnalysisRun(policy: Self.policy())
        #expect(inconclusive.record([])
            == .inconclusive("no conditions to measure (inconclusive rounds 1 > inconclusiveLimit 0)"))
    }

    @Test("a stop decides by the last round, and before count is reached it is never Successful", arguments: [
        (Optional<Int>.none, "", "I", "stopped before any round was measured"),
        (nil, "SS", "S", ""),
        (nil, "SE", "E", "stopped after an error round: query failed: Prometheus did not answer"),
        (4, "SS", "I", "stopped after 2 of 4 rounds"),
        (4, "SSSE", "E", "stopped after an error round: query failed: Prometheus did not answer"),
    ])
    func stop(_ count: Int?, _ script: String, _ expected: String, _ reason: String) {
        var run = AnalysisRun(policy: Self.policy(count: count, failures: 1, inconclusive: 1))
        for round in rounds(script) { run.record(round) }
        let outcome = run.stop()
        #expect(letter(outcome) == Character(expected))
        if case .inconclusive(let text) = outcome { #expect(text == reason) }
        if case .error(let text) = outcome { #expect(text == reason) }
        #expect(run.stop() == outcome)
    }

    @Test("no sequence of rounds ends Successful unless its last round was Successful (exhaustive to 6 rounds)")
    func neverSuccessfulWithoutEvidence() {
        let policies = [Self.policy(count: 1), Self.policy(count: 3, failures: 1, inconclusive: 1, errors: 1), Self.policy(count: nil, failures: 2, inconclusive: 2)]
        var scripts = [""]
        for _ in 1...6 { scripts += scripts.filter { $0.count == scripts.last!.count }.flatMap { s in ["S", "F", "I", "E"].map { s + $0 } } }
        for policy in policies {
            for script in scripts {
                var run = AnalysisRun(policy: policy)
                var decisive: Character?
                for round in rounds(script) where !run.outcome.isFinal {
                    run.record(round)
                    decisive = round[0].phase == .successful ? "S" : "x"
                }
                let ended = run.outcome.isFinal ? run.outcome : run.stop()
                if ended == .successful {
                    #expect(decisive == "S", "\(script) with \(policy)")
                }
                if !script.contains("S") {
                    #expect(ended != .successful, "\(script) with \(policy)")
                }
            }
        }
    }
}
