import TackCore
import TackPrometheus
import Testing

@Suite("measuring conditions with Prometheus")
struct PrometheusMetricsSourceTests {
    static let canary = TrackSelector(app: "lora", account: "local", track: .canary, version: "v2")
    static let stable = TrackSelector(app: "lora", account: "local", track: .stable, version: "v1")
    static let queueDepth = MetricDefinition(metric: .custom("queueDepth"),
                                             query: #"max(queue_depth{app="{{app}}",track="{{track}}"}[{{window}}])"#, unit: .number)

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var condition: Condition
        var prometheus: FakePrometheus
        var minRequests = 1
        var hasStable = true
        var phase: AnalysisMeasurement.Phase
        var reason: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "an error rate over the limit fails", condition: Conditions.errorRate,
             prometheus: FakePrometheus(canaryValue: .number(0.312)), phase: .failed, reason: "errorRate 31.2% > 5%"),
        Case(name: "an error rate under the limit succeeds", condition: Conditions.errorRate,
             prometheus: FakePrometheus(canaryValue: .number(0.01)), phase: .successful, reason: "errorRate 1% is not > 5%"),
        Case(name: "a canary with 0 requests is inconclusive, whatever its value", condition: Conditions.errorRate,
             prometheus: FakePrometheus(canaryTraffic: .number(0), canaryValue: .number(0.5)), phase: .inconclusive,
             reason: "no data: the canary received 0 requests in 1m"),
        Case(name: "a canary without request series is inconclusive", condition: Conditions.latency,
             prometheus: FakePrometheus(canaryTraffic: .noSeries, canaryValue: .noSeries), phase: .inconclusive,
             reason: "no data: the canary received 0 requests in 1m"),
        Case(name: "no traffic is inconclusive even with minRequests 0", condition: Conditions.errorRate,
             prometheus: FakePrometheus(canaryTraffic: .number(0), canaryValue: .noSeries), minRequests: 0, phase: .inconclusive,
             reason: "no data: the canary received 0 requests in 1m"),
        Case(name: "fewer requests than minRequests is inconclusive", condition: Conditions.errorRate,
             prometheus: FakePrometheus(canaryTraffic: .number(7.4), canaryValue: .number(0.5)), minRequests: 20, phase: .inconclusive,
             reason: "too little traffic: the canary received 7 requests in 1m, fewer than minRequests 20"),
        Case(name: "NaN is inconclusive", condition: Conditions.latency,
             prometheus: FakePrometheus(canaryValue: .number(.nan)), phase: .inconclusive, reason: "no data: latency.p99 is NaN for the canary"),
        Case(name: "an empty error rate with traffic means no 5xx series: 0%", condition: Conditions.errorRate,
             prometheus: FakePrometheus(canaryValue: .noSeries), phase: .successful, reason: "errorRate 0% is not > 5%"),
        Case(name: "an empty latency with traffic is inconclusive", condition: Conditions.latency,
             prometheus: FakePrometheus(canaryValue: .noSeries), phase: .inconclusive,
             reason: "no data: latency.p99 returned no series for the canary"),
        Case(name: "+Inf latency (beyond the last bucket) is a value and fails", condition: Conditions.latency,
             prometheus: FakePrometheus(canaryValue: .number(.infinity)), phase: .failed, reason: "latency.p99 +Inf > 2s"),
        Case(name: "a rejected query is an error", condition: Conditions.errorRate,
             prometheus: FakePrometheus(canaryValue: .badData), phase: .error,
             reason: "query failed: Prometheus at prom:9090/api/v1/query answered 400 bad_data: parse error"),
        Case(name: "a query error is not hidden by missing traffic", condition: Conditions.errorRate,
             prometheus: FakePrometheus(canaryTraffic: .number(0), canaryValue: .badData), phase: .error,
             reason: "query failed: Prometheus at prom:9090/api/v1/query answered 400 bad_data: parse error"),
        Case(name: "Prometheus down is an error", condition: Conditions.errorRate,
             prometheus: FakePrometheus(canaryTraffic: .down, canaryValue: .down), phase: .error,
             reason: "query failed: Prometheus did not answer: POST prom:9090/api/v1/query: Connection refused"),
        Case(name: "several series are an error naming them, never one picked", condition: Conditions.queueDepth,
             prometheus: FakePrometheus(canaryValue: .series(3)), phase: .error,
             reason: #"queueDepth returned 3 series for the canary ({instance="a"}, {instance="b"}, …); its query must return one, e.g. with sum or max"#),
        Case(name: "a custom metric is not traffic-checked and a scalar is its value", condition: Conditions.queueDepth,
             prometheus: FakePrometheus(canaryTraffic: .number(0), canaryValue: .scalar(120)), phase: .failed, reason: "queueDepth 120 > 100"),
        Case(name: "a custom metric returning a range vector is an error", condition: Conditions.queueDepth,
             prometheus: FakePrometheus(canaryValue: .matrix), phase: .error, reason: "queueDepth returned a range vector for the canary, not a number"),
        Case(name: "stable + 2%: the canary is compared with the stable track's value plus the offset",
             condition: Conditions.errorRateVersusStable,
             prometheus: FakePrometheus(canaryValue: .number(0.05), stableValue: .number(0.011)), phase: .failed,
             reason: "errorRate 5% > 3.1% (stable 1.1% + 2%)"),
        Case(name: "stable * 1.5 within the limit succeeds", condition: Conditions.latencyVersusStable,
             prometheus: FakePrometheus(canaryValue: .number(0.25), stableValue: .number(0.2)), phase: .successful,
             reason: "latency.p99 250ms is not > 300ms (stable 200ms * 1.5)"),
        Case(name: "stable * 1.5 over the limit fails", condition: Conditions.latencyVersusStable,
             prometheus: FakePrometheus(canaryValue: .number(0.45), stableValue: .number(0.2)), phase: .failed,
             reason: "latency.p99 450ms > 300ms (stable 200ms * 1.5)"),
        Case(name: "a relative limit with a stable track without traffic is inconclusive", condition: Conditions.errorRateVersusStable,
             prometheus: FakePrometheus(canaryValue: .number(0.5), stableTraffic: .number(0), stableValue: .number(.nan)),
             phase: .inconclusive, reason: "no data: the stable track received 0 requests in 1m"),
        Case(name: "an error on the stable side is an error", condition: Conditions.errorRateVersusStable,
             prometheus: FakePrometheus(canaryValue: .number(0.5), stableValue: .badData), phase: .error,
             reason: "query failed: Prometheus at prom:9090/api/v1/query answered 400 bad_data: parse error"),
        Case(name: "a relative limit without a stable track is an error", condition: Conditions.errorRateVersusStable,
             prometheus: FakePrometheus(), hasStable: false, phase: .error,
             reason: "errorRate > stable + 2% compares with the stable track, but the analysis has none"),
    ]

    @Test("each condition is classified Successful, Failed, Inconclusive or Error with a one-line reason", arguments: cases)
    func classify(_ example: Case) async {
        let client = PrometheusClient(baseURL: "http://prom:9090", transport: example.prometheus.transport())
        let source = PrometheusMetricsSource(client: client, now: { 1_700_000_000 })
        let target = AnalysisTarget(track: Self.canary, stable: example.hasStable ? Self.stable : nil, window: .seconds(60),
                                    metrics: [Self.queueDepth], minRequests: example.minRequests)
        let measurement = await source.measure(example.condition, of: target, at: nil)
        #expect(measurement.phase == example.phase)
        #expect(measurement.reason == example.reason)
        #expect(measurement.condition == example.condition)
        #expect(measurement.time == 1_700_000_000)
    }

    @Test("a measurement carries the value, the stable value and the request count")
    func values() async {
        let prometheus = FakePrometheus(canaryTraffic: .number(240), canaryValue: .number(0.05), stableValue: .number(0.011))
        let source = PrometheusMetricsSource(client: PrometheusClient(baseURL: "http://prom:9090", transport: prometheus.transport()))
        let target = AnalysisTarget(track: Self.canary, stable: Self.stable, window: .seconds(60))
        let measurement = await source.measure(Conditions.errorRateVersusStable, of: target, at: 1_700_000_123)
        #expect(measurement.value == 0.05 && measurement.stableValue == 0.011 && measurement.requests == 240)
        #expect(measurement.time == 1_700_000_123)
    }

    @Test("an absolute limit carries the stable track's value to show beside the new version's, and a stable failure changes nothing")
    func stableShown() async {
        let target = AnalysisTarget(track: Self.canary, stable: Self.stable, window: .seconds(60))
        let healthy = FakePrometheus(canaryValue: .number(0.08), stableValue: .number(0.011))
        let source = PrometheusMetricsSource(client: PrometheusClient(baseURL: "http://prom:9090", transport: healthy.transport()))
        let measured = await source.measure(Conditions.errorRate, of: target, at: 1)
        #expect(measured.phase == .failed && measured.value == 0.08 && measured.stableValue == 0.011)

        for broken in [FakePrometheus(canaryValue: .number(0.01), stableValue: .badData),
                       FakePrometheus(canaryValue: .number(0.01), stableTraffic: .number(0), stableValue: .number(.nan))] {
            let source = PrometheusMetricsSource(client: PrometheusClient(baseURL: "http://prom:9090", transport: broken.transport()))
            let measured = await source.measure(Conditions.errorRate, of: target, at: 1)
            #expect(measured.phase == .successful && measured.reason == "errorRate 1% is not > 5%" && measured.stableValue == nil)
        }
    }

    @Test("every query of a measurement is evaluated at the same time, with the standard PromQL")
    func queries() async {
        let transport = FakePrometheus(canaryValue: .number(0.01), stableValue: .number(0.01)).transport()
        let source = PrometheusMetricsSource(client: PrometheusClient(baseURL: "http://prom:9090", transport: transport), now: { 1_700_000_000.5 })
        let target = AnalysisTarget(track: Self.canary, stable: Self.stable, window: .seconds(90))
        _ = await source.measure(Conditions.errorRateVersusStable, of: target, at: nil)
        let forms = transport.requests.map(\.form)
        #expect(Set(forms.map { $0["time"] }) == ["1700000000.5"])
        #expect(Set(forms.compactMap { $0["query"] }) == [
            PromQL.requests(Self.canary, window: "90s"), PromQL.errorRate(Self.canary, window: "90s"),
            PromQL.requests(Self.stable, window: "90s"), PromQL.errorRate(Self.stable, window: "90s"),
        ])
    }

    @Test("a custom metric's template is expanded for the track and window")
    func customQuery() async {
        let transport = FakePrometheus(canaryValue: .scalar(1)).transport()
        let source = PrometheusMetricsSource(client: PrometheusClient(baseURL: "http://prom:9090", transport: transport))
        let target = AnalysisTarget(track: Self.canary, window: .seconds(120), metrics: [Self.queueDepth])
        _ = await source.measure(Conditions.queueDepth, of: target, at: 1)
        #expect(transport.requests.map { $0.form["query"] } == [#"max(queue_depth{app="lora",track="canary"}[2m])"#])
    }
}
