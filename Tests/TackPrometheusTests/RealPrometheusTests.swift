import Foundation
import Synchronization
import TackCore
import TackHTTP
import TackPrometheus
import Testing

extension Tag {
    /// Tests that start a real Prometheus and the test exporter on 127.0.0.1.
    @Tag static var realPrometheus: Self
}

/// Against `prometheus` (Debian's 2.42 here) scraping `Fixtures/exporter.py` every second, through
/// the real `CurlHTTPClient`. Queries use a 5 s window: five scrapes.
@Suite("real Prometheus", .tags(.realPrometheus), .serialized, .timeLimit(.minutes(1)),
       .enabled(if: PrometheusHarness.prometheusPath != nil, "needs prometheus on PATH (Debian package prometheus)"))
struct RealPrometheusTests {
    static let canary = TrackSelector(app: "lora", account: "local", track: .canary, version: "v2")
    static let stable = TrackSelector(app: "lora", account: "local", track: .stable, version: "v1")
    static let window = Duration.seconds(5)
    static let scrapeInterval = Duration.seconds(1)

    func source(_ harness: PrometheusHarness) -> PrometheusMetricsSource {
        PrometheusMetricsSource(client: harness.client())
    }

    func target(window: Duration = window) -> AnalysisTarget {
        AnalysisTarget(track: Self.canary, stable: Self.stable, window: window)
    }

    /// Measures `condition` every 100 ms until `done` says so; throws after `timeout`.
    func measure(_ condition: Condition, with source: PrometheusMetricsSource, target: AnalysisTarget? = nil,
                 until done: (AnalysisMeasurement) -> Bool, timeout: Duration = .seconds(15)) async throws -> AnalysisMeasurement {
        var last: AnalysisMeasurement?
        let target = target ?? self.target()
        do {
            try await PrometheusHarness.poll("\(condition)", timeout: timeout) {
                last = await source.measure(condition, of: target, at: nil)
                return last.map(done) ?? false
            }
        } catch {
            throw PrometheusHarness.Failure(description: "\(error); last measurement: \(last.map { "\($0.phase): \($0.reason)" } ?? "none")")
        }
        return last!
    }

    @Test("an error spike of 30% is a Failed measurement within 3 scrape intervals")
    func errorSpike() async throws {
        try await PrometheusHarness.with(prepare: { harness in
            try await harness.control("canary", ["rps": 200, "errorShare": 0])
            try await harness.control("stable", ["rps": 200, "errorShare": 0])
        }) { harness in
            let source = source(harness)
            // Before the spike the canary is healthy, with a full window of traffic.
            let healthy = try await measure(Conditions.errorRate, with: source) { $0.phase == .successful && ($0.requests ?? 0) > 500 }
            #expect(healthy.value == 0)

            try await harness.control("canary", ["errorShare": 0.3])
            let spike = ContinuousClock.now
            let failed = try await measure(Conditions.errorRate, with: source, until: { $0.phase != .successful })
            let detection = ContinuousClock.now - spike
            #expect(failed.phase == .failed, "\(failed.reason)")
            #expect(detection <= Self.scrapeInterval * 3, "detected after \(detection)")
            #expect(failed.reason.hasPrefix("errorRate ") && failed.reason.hasSuffix("% > 5%"), "\(failed.reason)")

            // The relative limit fails too: the stable track stays at 0% errors.
            let relative = await source.measure(Conditions.errorRateVersusStable, of: target(), at: nil)
            #expect(relative.phase == .failed && relative.stableValue == 0, "\(relative.reason)")

            // Once the window holds only spike traffic, the error rate read back is the injected 30%.
            try await Task.sleep(for: Self.window + Self.scrapeInterval)
            let settled = await source.measure(Conditions.errorRate, of: target(), at: nil)
            #expect(abs((settled.value ?? 0) - 0.3) <= 0.01, "\(settled.reason)")
        }
    }

    @Test("a canary with no traffic is Inconclusive, and a track with traffic but no 5xx series is 0%")
    func noTraffic() async throws {
        try await PrometheusHarness.with(prepare: { harness in
            try await harness.control("canary", ["rps": 0])
            // Like most client libraries: no 500 series until the first error.
            try await harness.control("stable", ["rps": 100, "initCodes": false])
        }) { harness in
            let source = source(harness)
            let stableTarget = AnalysisTarget(track: Self.stable, window: Self.window)
            let stable = try await measure(Conditions.errorRate, with: source, target: stableTarget) { ($0.requests ?? 0) > 300 }
            #expect(stable.phase == .successful && stable.value == 0, "\(stable.reason)")

            for condition in [Conditions.errorRate, Conditions.latency, Conditions.errorRateVersusStable] {
                let idle = await source.measure(condition, of: target(), at: nil)
                #expect(idle.phase == .inconclusive, "\(condition): \(idle.reason)")
                #expect(idle.reason == "no data: the canary received 0 requests in 5s")
                #expect(idle.requests == 0)
            }
            // A version Prometheus has never seen has no series at all.
            var unseen = Self.canary
            unseen.version = "v9"
            let missing = await source.measure(Conditions.errorRate, of: AnalysisTarget(track: unseen, window: Self.window), at: nil)
            #expect(missing.phase == .inconclusive && missing.reason == "no data: the canary received 0 requests in 5s", "\(missing.reason)")
        }
    }

    @Test("stopping Prometheus mid-run gives Error measurements and the run ends in Error, never Successful")
    func prometheusStopped() async throws {
        try await PrometheusHarness.with(prepare: { harness in
            try await harness.control("canary", ["rps": 100])
            try await harness.control("stable", ["rps": 100])
        }) { harness in
            let source = source(harness)
            _ = try await measure(Conditions.errorRate, with: source) { $0.phase == .successful }
            // count 3: Prometheus stops after round 2, so the count is reached on error rounds.
            let policy = AnalysisPolicy(interval: .milliseconds(300), count: 3)
            let runner = AnalysisRunner(conditions: [Conditions.errorRate, Conditions.latency], target: target(),
                                        policy: policy, source: source)
            var phases: [AnalysisMeasurement.Phase] = []
            var outcomes: [AnalysisOutcome] = []
            var errorReasons: [String] = []
            for await event in runner.events() {
                switch event {
                case .round(let round, let outcome):
                    phases.append(round.phase)
                    outcomes.append(outcome)
                    errorReasons += round.measurements.filter { $0.phase == .error }.map(\.reason)
                    if round.number == 2 { await harness.stopPrometheus() }
                case .finished(let outcome):
                    outcomes.append(outcome)
                }
            }
            #expect(phases == [.successful, .successful, .error, .error, .error, .error, .error])
            #expect(!outcomes.contains(.successful))
            guard case .error(let reason)? = outcomes.last else { Issue.record("ended \(outcomes)"); return }
            #expect(reason.hasSuffix("(error rounds in a row 5 > consecutiveErrorLimit 4)"), "\(reason)")
            #expect(errorReasons.count == 10)
            #expect(errorReasons.allSatisfy { $0.hasPrefix("query failed: Prometheus did not answer: POST 127.0.0.1:") }, "\(errorReasons)")
        }
    }

    /// 95 of every 100 requests take 20 ms and 5 are spread evenly over the (0.25 s, 0.5 s] bucket:
    /// 0.30, 0.35, 0.40, 0.45 and 0.50 s, interleaved.
    static let latencies: [Double] = (0..<100).map { index in
        index % 20 == 19 ? [0.30, 0.35, 0.40, 0.45, 0.50][index / 20] : 0.02
    }

    /// histogram_quantile can only say which bucket the 99th percentile is in, (0.25, 0.5] here, and
    /// interpolates linearly inside it: rank 99 of 100 is 4/5 of the way through the bucket's 5
    /// requests, so 0.25 + 0.25 × 0.8 = 0.45 s, the injected p99. A 5 s window holds 20 cycles of
    /// 100 requests ± one partial cycle, which moves the rank by at most 5/100 of the bucket
    /// (±0.0125 s); the tolerance is 0.05 s, and the value must stay inside the bucket. p50 must lie in
    /// (0.01, 0.025], the bucket of the injected 20 ms.
    @Test("the p99 read back matches the injected latency distribution within 0.05 s")
    func latencyQuantile() async throws {
        try await PrometheusHarness.with(prepare: { harness in
            try await harness.control("canary", ["rps": 400, "latencySeconds": Self.latencies])
            try await harness.control("stable", ["rps": 0])
        }) { harness in
            let source = source(harness)
            let p99 = try await measure(Conditions.latency, with: source) { ($0.requests ?? 0) > 1500 }
            let value = try #require(p99.value, "\(p99.reason)")
            #expect(p99.phase == .successful, "\(p99.reason)")
            #expect(value > 0.25 && value <= 0.5)
            #expect(abs(value - 0.45) <= 0.05, "p99 \(value)")

            let median = Condition(metric: .latency(.p50), op: .greater, limit: .absolute(1), text: "latency.p50 > 1s")
            let p50 = await source.measure(median, of: target(), at: nil)
            #expect(p50.value.map { $0 > 0.01 && $0 <= 0.025 } == true, "\(p50.reason)")
        }
    }
}
