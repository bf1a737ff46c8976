import Foundation
import TackCore
import TackEngine
import TackLocal
import Testing

/// `tack run` killed with SIGKILL at random points and started again, 30 rollouts in a row on the
/// real local runtime: every execution reaches the same end state, each step is recorded exactly
/// once, and no replica is started twice (the runtime's replica serial grows by exactly what one
/// uninterrupted rollout starts).
@Suite("Kill and restart", .serialized)
struct KillRestartTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tack").path

    /// Replicas one rollout starts: the canary (1) and the new stable (2) in aws, the preview (1) and its scale-up (1) in gcp.
    static let replicasPerRollout = 5

    @Test("30 rollouts, each killed at random points, end exactly as uninterrupted ones")
    func killedAtRandomPoints() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "the tack binary is built beside the tests")
        let harness = try EngineHarness(options: .integration)
        do {
            try await rollOutRepeatedly(harness)
        } catch {
            await harness.tearDown()
            throw error
        }
        await harness.tearDown()
    }

    private func rollOutRepeatedly(_ harness: EngineHarness) async throws {
        var random = SeededRandom(seed: UInt64(ProcessInfo.processInfo.environment["TACK_KILL_SEED"] ?? "") ?? 20261122)
        #expect(try await run(harness, tag: "v1", killAfter: []).status == 0, "first deployment")
        // Kill times are drawn within an uninterrupted rollout's duration, measured here, so the
        // first kill of every rollout lands before it ends however fast this machine is.
        let started = Date()
        #expect(try await run(harness, tag: "v2", killAfter: []).status == 0, "uninterrupted rollout")
        let window = max(0.5, Date().timeIntervalSince(started) * 0.8)

        var kills = 0
        for index in 1...30 {
            let tag = index % 2 == 1 ? "v1" : "v2"
            let before = try await harness.runtime.snapshot().nextReplicaSerial
            // One to three kills per rollout, at random times within the window.
            let killAfter = (0..<Int.random(in: 1...3, using: &random)).map { _ in Double.random(in: 0.05...window, using: &random) }
            let outcome = try await run(harness, tag: tag, killAfter: killAfter)
            #expect(outcome.status == 0, "rollout \(index) to \(tag)")
            kills += outcome.kills

            let execution = try #require(try harness.store.latestExecution(app: "svc"))
            #expect(execution.phase == .succeeded, "rollout \(index): \(execution.phase) \(execution.message ?? "")")
            #expect(try await harness.versions("aws") == [.stable: tag], "rollout \(index)")
            #expect(try await harness.versions("gcp") == [.active: tag], "rollout \(index)")
            #expect(try await harness.status("aws").traffic == .all(to: .stable))
            #expect(try await harness.status("gcp").traffic == .all(to: .active))
            let steps = try harness.store.events(executionID: execution.id).filter { $0.kind == .stepCompleted }
                .map { "\($0.account ?? "-") \($0.message)" }
            #expect(steps.count == Set(steps).count, "rollout \(index): a step was recorded twice: \(steps)")
            #expect(steps.filter { $0.hasPrefix("aws step") }.count == 4, "rollout \(index): aws steps \(steps)")
            #expect(steps.filter { $0.hasPrefix("gcp step") }.count == 5, "rollout \(index): gcp steps \(steps)")
            let replicas = try await harness.runtime.snapshot().nextReplicaSerial - before
            #expect(replicas == Self.replicasPerRollout, "rollout \(index): \(replicas) replicas started")
        }
        #expect(kills >= 30, "only \(kills) runs were killed before they ended (window \(window) s)")
    }

    /// Runs `tack run` for version `tag`, killing it after each delay in turn (unless it ended
    /// first) and starting it again; returns the exit status of the run that ended by itself and
    /// how many runs were killed.
    private func run(_ harness: EngineHarness, tag: String, killAfter: [Double]) async throws -> (status: Int32, kills: Int) {
        let path = harness.home.path + "/pipeline-\(tag).yaml"
        try Pipelines.quick(tag).write(toFile: path, atomically: true, encoding: .utf8)
        try Pipelines.accounts.write(toFile: harness.home.path + "/tack.yaml", atomically: true, encoding: .utf8)
        var delays = killAfter
        var kills = 0
        // Each run's output, for the issue recorded when one does not end.
        let logPath = harness.home.path + "/run-\(tag).log"
        while true {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            defer { try? log.close() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["run", "-f", path, "--accounts", harness.home.path + "/tack.yaml", "--home", harness.home.path]
            process.standardOutput = log
            process.standardError = log
            try process.run()
            if !delays.isEmpty {
                let delay = delays.removeFirst()
                let deadline = Date().addingTimeInterval(delay)
                while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    kills += 1
                    continue
                }
            }
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                let tail = output.split(separator: "\n").suffix(40).joined(separator: "\n")
                Issue.record("tack run to \(tag) (after \(kills) kills at \(killAfter) s) did not end within 120 s; its output ended:\n\(tail)")
            }
            process.waitUntilExit()
            return (process.terminationStatus, kills)
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing sequence of kills can be replayed
/// with `TACK_KILL_SEED`.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
