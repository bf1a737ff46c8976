import Foundation
import TackCore
import TackEngine
import Testing

extension ExecutionDeciderTests {
    /// Blue-green in gcp (active v1 ×2): a preview of 1, a 10s scale-down delay, watched by the monitor.
    static func blueGreen(metrics: @escaping MetricsScript = Metrics.byTraffic()) throws -> DeciderSimulation {
        var sim = DeciderSimulation(try F.plan(F.deploy(F.blueGreen(F.gcp)), F.monitor, F.rollback()), metrics: metrics)
        sim.accounts.seed(F.gcp, .active, v1, replicas: 2)
        return sim
    }

    @Test("blue-green analyses the preview, switches all traffic to it, keeps the old color for scaleDownDelay, then makes it active")
    func blueGreenWalk() throws {
        var sim = try Self.blueGreen()
        sim.accounts.readiness = { _, _ in .afterPasses(2) }

        #expect(sim.runToEnd() == .succeeded)
        #expect(sim.calls(in: F.gcp) == [
            Self.spec(.preview, Self.v2, 1),
            .scale(app: "shop", track: .preview, replicas: 2),
            .setTraffic(app: "shop", .all(to: .preview)),
            .replace(app: "shop", track: .active, with: .preview),
        ])
        let calls = sim.accounts.calls
        let analysis = sim.rounds(F.gcp, AnalysisSpec.stepName(1, epoch: 0))
        #expect(analysis.count == 4 && analysis.allSatisfy(\.counted), "the pre-promotion analysis took its 4 rounds")
        #expect(analysis.allSatisfy { $0.measurements.allSatisfy { $0.phase == "successful" } })
        #expect(calls[0].time <= analysis[0].time && analysis[3].time <= calls[1].time, "on the preview, before it grows")
        #expect(calls[2].pass - calls[1].pass >= 2, "the switch waits until the full preview is ready")
        #expect(calls[3].time.timeIntervalSince(calls[2].time) >= 10, "the old color is kept for the scale-down delay")
        for pass in sim.passes where pass.number < calls[3].pass {
            let active = try #require(pass.workloads[F.gcp]?[.active])
            #expect(active.image == Self.v1 && active.ready == 2, "pass \(pass.number): the old color stays ready")
        }
        #expect(sim.accounts.status(F.gcp) == WorkloadStatus(
            app: "shop", tracks: [TrackStatus(track: .active, image: Self.v2, desired: 2, updated: 2, ready: 2, available: 2)],
            traffic: .all(to: .active)))
        #expect(sim.phases == [.deploying, .progressing, .promoting, .succeeded])
        #expect(sim.accounts.violations == [])
    }

    /// When a blue-green version fails, and the calls that return the account to the old color.
    struct BlueGreenFailure: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var failsAfterSwitch: Bool
        var rollbackCalls: [DriverAction]
    }

    static let blueGreenFailures = [
        BlueGreenFailure(testDescription: "before the switch", failsAfterSwitch: false,
                         rollbackCalls: [.delete(app: "shop", track: .preview)]),
        BlueGreenFailure(testDescription: "after the switch, before the old color is removed", failsAfterSwitch: true,
                         rollbackCalls: [.setTraffic(app: "shop", .all(to: .active)), .delete(app: "shop", track: .preview)]),
    ]

    @Test("a blue-green rollback sends all traffic back to the old color before the preview is deleted", arguments: blueGreenFailures)
    func blueGreenRollback(_ failure: BlueGreenFailure) throws {
        var sim = try Self.blueGreen(metrics: failure.failsAfterSwitch ? Metrics.failingAfterSwitch() : Metrics.byTraffic(.errorRate(0.31)))
        #expect(sim.runToEnd() == .rolledBack)
        let start = try #require(sim.firstPass { $0.phase == .rollingBack }).number
        let before = sim.accounts.calls.filter { $0.pass < start }.map(\.action)
        #expect(before.contains(.setTraffic(app: "shop", .all(to: .preview))) == failure.failsAfterSwitch)
        #expect(!before.contains(.replace(app: "shop", track: .active, with: .preview)))
        #expect(sim.accounts.calls.filter { $0.pass >= start }.map(\.action) == failure.rollbackCalls)
        #expect(sim.accounts.status(F.gcp) == WorkloadStatus(
            app: "shop", tracks: [TrackStatus(track: .active, image: Self.v1, desired: 2, updated: 2, ready: 2, available: 2)],
            traffic: .all(to: .active)))
        let cause = try #require(sim.execution.cause)
        #expect(cause.account == F.gcp && cause.metric == "errorRate" && cause.value == 0.31 && cause.limit == 0.05)
        #expect(sim.accounts.violations == [])
    }
}
