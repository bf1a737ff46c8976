import Foundation
import Testing
@testable import LoRA

/// Expected rates are transformers' `get_scheduler` lambdas times 1e-3, printed by Python
/// for warmup 3 and 10 total steps.
@Suite("learning-rate schedule")
struct LearningRateScheduleTests {
    static let expected: [(LearningRateSchedule, [Double])] = [
        (.constant, Array(repeating: 1e-3, count: 11)),
        (.constantWithWarmup, [0, 0.0003333333333333333, 0.0006666666666666666] + Array(repeating: 1e-3, count: 8)),
        (.linear, [0.0, 0.0003333333333333333, 0.0006666666666666666, 0.001, 0.0008571428571428571, 0.0007142857142857143,
                   0.0005714285714285714, 0.00042857142857142855, 0.0002857142857142857, 0.00014285714285714284, 0.0]),
        (.cosine, [0.0, 0.0003333333333333333, 0.0006666666666666666, 0.001, 0.0009504844339512095, 0.0008117449009293668,
                   0.0006112604669781572, 0.00038873953302184284, 0.00018825509907063325, 4.9515566048790485e-05, 0.0]),
    ]

    @Test("each kind gives transformers' rates at steps 0 through 10", arguments: expected.map(\.0))
    func matchesTransformers(_ kind: LearningRateSchedule) {
        let scheduler = LearningRateScheduler(kind: kind, baseRate: 1e-3, warmupSteps: 3, totalSteps: 10)
        let expected = Self.expected.first { $0.0 == kind }!.1
        let rates = (0...10).map { scheduler.rate(atStep: $0) }
        for (rate, reference) in zip(rates, expected) {
            #expect(abs(rate - reference) <= 1e-18, "\(kind) \(rates)")
        }
    }

    @Test("decaying schedules never go below zero past the last step, and no warmup starts at the peak")
    func edges() {
        #expect(LearningRateScheduler(kind: .linear, baseRate: 1, warmupSteps: 3, totalSteps: 10).rate(atStep: 12) == 0)
        #expect(LearningRateScheduler(kind: .cosine, baseRate: 1, warmupSteps: 3, totalSteps: 10).rate(atStep: 12) >= 0)
        #expect(LearningRateScheduler(kind: .linear, baseRate: 2, totalSteps: 4).rate(atStep: 0) == 2)
        #expect(LearningRateScheduler(kind: .constant, baseRate: 2, warmupSteps: 5, totalSteps: 4).rate(atStep: 0) == 2)
    }

    @Test("a scheduler round-trips through JSON with transformers' kind names")
    func codable() throws {
        let scheduler = LearningRateScheduler(kind: .constantWithWarmup, baseRate: 2e-4, warmupSteps: 7, totalSteps: 90)
        let data = try JSONEncoder().encode(scheduler)
        #expect(String(decoding: data, as: UTF8.self).contains("\"constant_with_warmup\""))
        #expect(try JSONDecoder().decode(LearningRateScheduler.self, from: data) == scheduler)
    }
}
