import TackCore
@testable import TackPipeline
import Testing

@Suite("condition grammar")
struct ConditionParserTests {
    let parser = ConditionParser(customMetrics: ["queueDepth": .number, "gpuBusy": .ratio, "stepTime": .seconds])

    @Test("valid conditions give the metric, operator and limit in base units", arguments: [
        ("errorRate > 5%", Metric.errorRate, Condition.Operator.greater, 0.05),
        ("errorRate>=0.5%", .errorRate, .greaterOrEqual, 0.005),
        ("latency > 2s", .latency(.p99), .greater, 2),
        ("latency.p95 >= 250ms", .latency(.p95), .greaterOrEqual, 0.25),
        ("  latency.p50 < 1.5s ", .latency(.p50), .less, 1.5),
        ("queueDepth <= 10", .custom("queueDepth"), .lessOrEqual, 10),
        ("gpuBusy < 30%", .custom("gpuBusy"), .less, 0.3),
        ("stepTime > 800ms", .custom("stepTime"), .greater, 0.8),
    ])
    func valid(_ text: String, _ metric: Metric, _ op: Condition.Operator, _ limit: Double) throws {
        let condition = try parser.parse(text)
        #expect(condition.metric == metric)
        #expect(condition.op == op)
        guard case .absolute(let value) = condition.limit else {
            Issue.record("expected an absolute limit, got \(condition.limit)")
            return
        }
        #expect(abs(value - limit) < 1e-12)
    }

    @Test("relative conditions compare with the stable track's value", arguments: [
        ("errorRate > stable + 2%", Condition.Limit.stablePlus(0.02)),
        ("errorRate > stable", .stablePlus(0)),
        ("latency.p95 > stable*1.5", .stableTimes(1.5)),
        ("latency > stable + 250ms", .stablePlus(0.25)),
        ("stepTime >= stable - 1s", .stablePlus(-1)),
        ("queueDepth > stable + 10", .stablePlus(10)),
    ])
    func relative(_ text: String, _ limit: Condition.Limit) throws {
        let condition = try parser.parse(text)
        switch (condition.limit, limit) {
        case (.stablePlus(let a), .stablePlus(let b)), (.stableTimes(let a), .stableTimes(let b)):
            #expect(abs(a - b) < 1e-12)
        default:
            Issue.record("\(text): got \(condition.limit), expected \(limit)")
        }
    }

    @Test("a relative condition holds only when the stable value is known", arguments: [
        ("errorRate > stable + 2%", 0.05, 0.02, true),
        ("errorRate > stable + 2%", 0.03, 0.02, false),
        ("latency > stable * 1.5", 3.1, 2.0, true),
        ("latency > stable * 1.5", 2.9, 2.0, false),
    ])
    func relativeHolds(_ text: String, _ value: Double, _ stable: Double, _ holds: Bool) throws {
        let condition = try parser.parse(text)
        #expect(condition.holds(value: value, stable: stable) == holds)
        #expect(condition.holds(value: value, stable: nil) == nil)
        #expect(condition.holds(value: .nan, stable: stable) == nil)
    }

    @Test("invalid conditions say what is wrong at the offending character", arguments: [
        ("", 0, "the condition is empty; expected METRIC OP LIMIT, e.g. errorRate > 5%"),
        ("errorRate 5%", 10, "expected a comparison (>, >=, <, <=) after \"errorRate\"; found \"5%\""),
        ("errorRate == 5%", 10, "\"==\" is not a supported comparison; use >, >=, < or <="),
        ("errorRate >", 11, "expected a number after \">\"; found the end"),
        ("errorRate > 1.2.3%", 12, "\"1.2.3\" is not a number; write digits with at most one decimal point, e.g. 2.5"),
        ("latency > 2sec", 11, "unknown unit \"sec\"; use % for ratios, ms or s for durations"),
        ("latency > 2%", 11, "latency.p99 is a duration: write its limit in ms or s, e.g. 2s"),
        ("errorRate > 50ms", 14, "errorRate is a ratio: write its limit as a percentage, e.g. 5%"),
        ("errorRate > 0.05", 12, "errorRate is a ratio: write its limit as a percentage, e.g. 5%"),
        ("queueDepth > 5%", 14, "queueDepth is a plain number: write its limit without a unit, e.g. 10"),
        ("errorRate > 150%", 12, "errorRate is a ratio from 0% to 100%; got 150%"),
        ("errorRate > 5% or more", 15, "unexpected \"or more\" after the limit"),
        ("latency.p75 > 1s", 8, "unknown latency quantile \"p75\"; allowed: p50, p90, p95, p99"),
        ("errorRate.p99 > 1%", 9, "errorRate has no quantiles; only latency does (latency.p99)"),
        ("errorrate > 5%", 0, "unknown metric \"errorrate\"; known metrics: errorRate, latency, gpuBusy, queueDepth, stepTime (did you mean \"errorRate\"?)"),
        ("> 5%", 0, "a condition starts with a metric name, e.g. errorRate > 5%"),
        ("errorRate > stable / 2", 19, "expected +, - or * after \"stable\", e.g. stable + 2% or stable * 1.5"),
        ("errorRate > stable + 2", 21, "errorRate is a ratio: write its limit as a percentage, e.g. 5%"),
        ("latency > stable * 1.5s", 19, "a factor is a plain number above 0, e.g. stable * 1.5"),
        ("latency > stable * 0", 19, "a factor is a plain number above 0, e.g. stable * 1.5"),
        ("latency > stable +", 18, "expected a number after \"+\"; found the end"),
        ("latency > stables", 10, "expected a number after \">\"; found \"stables\""),
    ])
    func invalid(_ text: String, _ offset: Int, _ message: String) {
        #expect(throws: ConditionParser.Problem(offset: offset, message: message)) {
            try parser.parse(text)
        }
    }

    @Test("a condition holds when the value crosses the limit")
    func holds() {
        #expect(Condition.Operator.greater.holds(0.06, 0.05))
        #expect(Condition(metric: .errorRate, op: .greater, limit: .absolute(0.05), text: "").holds(value: 0.06) == true)
        #expect(!Condition.Operator.greater.holds(0.05, 0.05))
        #expect(Condition.Operator.greaterOrEqual.holds(0.05, 0.05))
        #expect(Condition.Operator.less.holds(1, 2))
        #expect(!Condition.Operator.lessOrEqual.holds(2.1, 2))
    }
}

@Suite("durations")
struct DurationTextTests {
    @Test("durations parse from their written forms", arguments: [
        ("500ms", 500), ("30s", 30_000), ("1m", 60_000), ("1h30m", 5_400_000), ("1.5s", 1_500), ("2m0s", 120_000),
    ])
    func parse(_ text: String, _ milliseconds: Int64) {
        #expect(DurationText.parse(text).map(DurationText.milliseconds) == milliseconds)
    }

    @Test("malformed durations are refused", arguments: ["", "30", "s", "1x", "1.s", ".5s", "1 m", "-1s"])
    func malformed(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("durations format as the shortest text Prometheus reads", arguments: [
        (Duration.milliseconds(500), "500ms"), (.seconds(90), "1m30s"), (.seconds(3600), "1h"), (.zero, "0s"),
    ])
    func format(_ duration: Duration, _ text: String) {
        #expect(DurationText.format(duration) == text)
    }

    @Test("absurdly long durations are clamped just past the maximum, not overflowed")
    func overflow() throws {
        let parsed = try #require(DurationText.parse("99999999999999999999h"))
        #expect(parsed > DurationText.maximum)
        #expect(parsed <= DurationText.maximum + .seconds(1))
    }
}
