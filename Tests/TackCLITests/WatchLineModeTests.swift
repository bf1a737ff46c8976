import Foundation
import TackEngine
import TackServer
import Testing

@testable import tack

/// `tack watch` off a terminal: the story as lines, checked against a golden file, and when a
/// watch stops.
@Suite("tack watch line mode")
struct WatchLineModeTests {
    /// The stream of a rollout from the fixture's state: the state, the events so far, then the
    /// canary's next steps, a heartbeat, repeated messages, and the pause at the end.
    static func messages() throws -> [WatchMessage] {
        let recording = try WatchFixtures.recording("canary-and-bluegreen")
        var view = recording.execution
        var messages: [WatchMessage] = [.state(view)] + recording.events.map { .event($0) }
        messages.append(.state(view))  // nothing changed: no line
        view.updatedAt = try WatchFixtures.date("2025-11-22T16:44:40Z")
        view.accounts[0].step = 4
        view.accounts[0].waitingFor = "1m"
        messages.append(.state(view))
        messages.append(.event(EngineEvent(executionID: 7, time: view.updatedAt, account: "aws-eu-central-1", kind: .stepStarted,
                                           message: "step 5 of 8: pause 1m", sequence: 11)))
        messages.append(.heartbeat)
        messages.append(.event(recording.events[9]))  // seen before: no line
        view.updatedAt = try WatchFixtures.date("2025-11-22T16:45:41Z")
        view.accounts[0].step = 5
        view.accounts[0].weight = 60
        view.accounts[0].tracks[1].desired = 2
        view.phase = .paused
        view.pauseReason = "queueDepth > 50 was inconclusive in aws-eu-central-1"
        messages.append(.state(view))
        return messages
    }

    @Test("each new event and each change of an account's phase, step or weight is one line, then the verdict")
    func story() throws {
        var reporter = WatchLineReporter()
        var state = WatchState(now: Date(timeIntervalSince1970: 0))
        var lines: [String] = []
        for message in try Self.messages() {
            state.receive(message, at: Date(timeIntervalSince1970: 0))
            lines += reporter.lines(for: message)
        }
        let view = try #require(state.view)
        try WatchFixtures.expectGolden(lines + [WatchVerdict.line(view)], "line-mode")
        #expect(WatchVerdict.exitCode(view.phase) == 3)
    }

    @Test("a watch stops once the execution ended or paused and the stream has been quiet for a moment")
    func settling() throws {
        let start = Date(timeIntervalSince1970: 1000)
        var state = WatchState(now: start)
        #expect(!state.isSettled(now: start.addingTimeInterval(10), quiet: 1))
        var view = try WatchFixtures.recording("canary-and-bluegreen").execution
        state.receive(.state(view), at: start)
        #expect(!state.isSettled(now: start.addingTimeInterval(10), quiet: 1))
        view.phase = .paused
        state.receive(.state(view), at: start)
        #expect(!state.isSettled(now: start.addingTimeInterval(0.5), quiet: 1))
        state.receive(.heartbeat, at: start.addingTimeInterval(0.9))
        #expect(state.isSettled(now: start.addingTimeInterval(1), quiet: 1))
    }

    @Test("a state of a newer execution starts the event list afresh")
    func nextExecution() throws {
        let recording = try WatchFixtures.recording("canary-and-bluegreen")
        var state = WatchState(now: Date())
        state.receive(.state(recording.execution), at: Date())
        for event in recording.events { state.receive(.event(event), at: Date()) }
        state.receive(.event(recording.events[0]), at: Date())
        #expect(state.events.count == recording.events.count)
        var next = recording.execution
        next.id = 9
        state.receive(.state(next), at: Date())
        #expect(state.events.isEmpty)
    }
}
