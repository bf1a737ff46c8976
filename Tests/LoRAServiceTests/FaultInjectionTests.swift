import Testing
@testable import LoRAService

@Suite("fault injection")
struct FaultInjectionTests {
    @Test("the error rate is a share or a percentage", arguments: [
        ("0.3", 0.3), ("30%", 0.3), (" 12.5 % ", 0.125), ("1", 1.0), ("100%", 1.0), ("0", 0.0), ("0%", 0.0), ("", 0.0),
    ])
    func errorRate(text: String, share: Double) throws {
        let faults = try FaultInjection.fromEnvironment(["LORA_FAULT_ERROR_RATE": text])
        #expect(faults.errorRate == share)
        #expect(faults.latency == .off)
    }

    @Test("the latency is a duration or a distribution", arguments: [
        ("2.5s", FaultLatency.fixed(.milliseconds(2_500)), "2.5s"),
        ("250ms", .fixed(.milliseconds(250)), "250ms"),
        ("1m", .fixed(.seconds(60)), "1m"),
        ("0.5ms", .fixed(.microseconds(500)), "0.5ms"),
        ("uniform(100ms,2s)", .uniform(.milliseconds(100), .seconds(2)), "uniform(100ms,2s)"),
        (" uniform( 100ms , 2s ) ", .uniform(.milliseconds(100), .seconds(2)), "uniform(100ms,2s)"),
        ("exponential(500ms)", .exponential(mean: .milliseconds(500)), "exponential(500ms)"),
        ("normal(1s,200ms)", .normal(mean: .seconds(1), standardDeviation: .milliseconds(200)), "normal(1s,200ms)"),
        ("0", .off, "0s"),
        ("0s", .off, "0s"),
        ("", .off, "0s"),
    ])
    func latency(text: String, latency: FaultLatency, canonical: String) throws {
        let faults = try FaultInjection.fromEnvironment(["LORA_FAULT_LATENCY": text])
        #expect(faults.latency == latency)
        #expect(faults.latencyText == canonical)
        #expect(faults.errorRate == 0)
    }

    @Test("no settings means no faults, announced as off")
    func off() throws {
        let faults = try FaultInjection.fromEnvironment([:])
        #expect(faults == .off)
        #expect(!faults.isEnabled)
        #expect(faults.announcement == "fault injection off")
        #expect(faults.errorRateText == "0")
        #expect(faults.latencyText == "0s")
    }

    @Test("the start-up line says what is injected", arguments: [
        (["LORA_FAULT_ERROR_RATE": "30%", "LORA_FAULT_LATENCY": "uniform(100ms,2s)"],
         "fault injection ON: 30% of requests answer 500; latency +uniform(100ms,2s)"),
        (["LORA_FAULT_ERROR_RATE": "0.125"], "fault injection ON: 12.5% of requests answer 500"),
        (["LORA_FAULT_LATENCY": "exponential(500ms)"], "fault injection ON: latency +exponential(500ms)"),
    ])
    func announcement(environment: [String: String], line: String) throws {
        let faults = try FaultInjection.fromEnvironment(environment)
        #expect(faults.isEnabled)
        #expect(faults.announcement == line)
    }

    @Test("a bad error rate is refused, naming the variable, the value and the accepted forms", arguments: [
        ("1.5", "1.5 is above 1"), ("30", "write 30%"), ("150%", "150% is above 100%"), ("-0.1", "negative"),
        ("abc", "not a number"), ("nan", "not a number"), ("%", "not a number"),
    ])
    func badErrorRate(text: String, problem: String) {
        #expect {
            try FaultInjection.fromEnvironment(["LORA_FAULT_ERROR_RATE": text])
        } throws: { error in
            guard let error = error as? FaultInjectionError, case .errorRate(text, _) = error else { return false }
            let message = error.description
            return message.hasPrefix("LORA_FAULT_ERROR_RATE=\"\(text)\": ") && message.contains(problem)
                && message.contains("(0.3)") && message.contains("(30%)")
        }
    }

    @Test("a bad latency is refused, naming the variable, the value and the accepted forms", arguments: [
        ("3", "has no unit"), ("2x", "not a duration"), ("-1s", "not a duration"), ("2h", "above the maximum, 1h"),
        ("uniform(2s,1s)", "lower bound 2s is above the upper bound 1s"), ("uniform(1s)", "two durations, not 1"),
        ("exponential(0s)", "above 0"), ("exponential(1s,2s)", "one duration"), ("normal(1s,200ms", "ends with"),
        ("gamma(1s)", "\"gamma\" is not a distribution"), ("normal(,1s)", "\"\" is not a duration"),
    ])
    func badLatency(text: String, problem: String) {
        #expect {
            try FaultInjection.fromEnvironment(["LORA_FAULT_LATENCY": text])
        } throws: { error in
            guard let error = error as? FaultInjectionError, case .latency(text, _) = error else { return false }
            let message = error.description
            return message.hasPrefix("LORA_FAULT_LATENCY=\"\(text)\": ") && message.contains(problem)
                && message.contains("uniform(100ms,2s), exponential(500ms)") && message.contains("normal(1s,200ms)")
        }
    }

    @Test("30% of 10,000 requests fail, within 2 points")
    func errorShare() {
        let faults = FaultInjection(errorRate: 0.3, latency: .off)
        var generator = SplitMix64(seed: 1)
        let failures = (0..<10_000).filter { _ in faults.decide(using: &generator).fail }.count
        #expect(abs(Double(failures) / 10_000 - 0.3) <= 0.02, "\(failures) failures")
    }

    @Test("no request fails at 0%, every request fails at 100%")
    func extremeRates() {
        var generator = SplitMix64(seed: 2)
        let never = FaultInjection(errorRate: 0, latency: .fixed(.milliseconds(250)))
        let always = FaultInjection(errorRate: 1, latency: .off)
        for _ in 0..<1_000 {
            let decision = never.decide(using: &generator)
            #expect(!decision.fail && decision.delay == .milliseconds(250))
            let failing = always.decide(using: &generator)
            #expect(failing.fail && failing.delay == .zero)
        }
    }

    @Test("uniform delays stay within their bounds and spread across them")
    func uniformDelays() {
        let faults = FaultInjection(errorRate: 0, latency: .uniform(.milliseconds(100), .seconds(2)))
        var generator = SplitMix64(seed: 3)
        let delays = (0..<10_000).map { _ in FaultDuration.seconds(faults.decide(using: &generator).delay) }
        #expect(delays.allSatisfy { (0.1...2).contains($0) })
        #expect(delays.min()! < 0.11 && delays.max()! > 1.99)
        #expect(abs(mean(delays) - 1.05) <= 0.05, "mean \(mean(delays))")
    }

    @Test("exponential delays average their mean, within 10%")
    func exponentialDelays() {
        let faults = FaultInjection(errorRate: 0, latency: .exponential(mean: .milliseconds(500)))
        var generator = SplitMix64(seed: 4)
        let delays = (0..<10_000).map { _ in FaultDuration.seconds(faults.decide(using: &generator).delay) }
        #expect(delays.allSatisfy { $0 >= 0 })
        #expect(abs(mean(delays) - 0.5) <= 0.05, "mean \(mean(delays))")
    }

    @Test("normal delays average their mean and are never negative")
    func normalDelays() {
        var generator = SplitMix64(seed: 5)
        let centred = FaultInjection(errorRate: 0, latency: .normal(mean: .seconds(1), standardDeviation: .milliseconds(200)))
        let delays = (0..<10_000).map { _ in FaultDuration.seconds(centred.decide(using: &generator).delay) }
        #expect(abs(mean(delays) - 1) <= 0.02, "mean \(mean(delays))")
        let spread = (delays.map { ($0 - 1) * ($0 - 1) }.reduce(0, +) / Double(delays.count)).squareRoot()
        #expect(abs(spread - 0.2) <= 0.02, "standard deviation \(spread)")

        let clamped = FaultInjection(errorRate: 0, latency: .normal(mean: .milliseconds(100), standardDeviation: .milliseconds(200)))
        let low = (0..<10_000).map { _ in clamped.decide(using: &generator).delay }
        #expect(low.allSatisfy { $0 >= .zero })
        #expect(low.contains(.zero))
    }

    private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
}

/// A seeded generator, so the statistics are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D4_9B03_1330_49EB
        return z ^ (z >> 31)
    }
}
