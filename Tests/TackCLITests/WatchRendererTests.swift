import Foundation
import TackEngine
import TackServer
import Testing

@testable import tack

/// `tack watch`'s view and its line mode, checked against golden files (see `WatchFixtures` for
/// how to regenerate them), and the small pieces they are made of.
@Suite("tack watch rendering")
struct WatchRendererTests {
    @Test("a canary mid-rollout and a blue-green account waiting for promote render as the golden view")
    func canaryAndBlueGreen() throws {
        let recording = try WatchFixtures.recording("canary-and-bluegreen")
        let lines = WatchRenderer.render(view: recording.execution, events: recording.events,
                                         now: try WatchFixtures.date("2025-11-22T16:44:10Z"), width: 120)
        try WatchFixtures.expectGolden(lines, "canary-and-bluegreen")
    }

    @Test("a rolled-back execution shows its cause, the failed metrics and the verdict")
    func rolledBack() throws {
        let recording = try WatchFixtures.recording("rolled-back")
        let view = recording.execution
        let lines = WatchRenderer.render(view: view, events: recording.events, now: try WatchFixtures.date("2025-11-22T18:00:00Z"), width: 120)
        try WatchFixtures.expectGolden(lines + [WatchVerdict.line(view)], "rolled-back")
        #expect(WatchVerdict.exitCode(view.phase) == 2)
    }

    @Test("the elapsed time of a running execution counts to now, an ended one's to its last change")
    func elapsed() throws {
        var view = try WatchFixtures.recording("canary-and-bluegreen").execution
        let now = try WatchFixtures.date("2025-11-22T17:42:05Z")
        #expect(WatchRenderer.header(view, now: now)[0].hasSuffix("elapsed 1h02m"))
        view.phase = .succeeded
        #expect(WatchRenderer.header(view, now: now)[0].hasSuffix("elapsed 4m09s"))
    }

    @Test("lines wider than the terminal are cut with an ellipsis")
    func narrow() throws {
        let recording = try WatchFixtures.recording("canary-and-bluegreen")
        let lines = WatchRenderer.render(view: recording.execution, events: recording.events, now: Date(), width: 40)
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines.contains { $0.hasSuffix("…") })
    }

    @Test("only the last 8 events are shown")
    func lastEvents() throws {
        let recording = try WatchFixtures.recording("canary-and-bluegreen")
        let lines = WatchRenderer.render(view: recording.execution, events: recording.events, now: Date(), width: 0)
        let shown = lines.drop { $0 != "events" }.dropFirst()
        #expect(shown.count == 8)
        #expect(shown.last?.hasSuffix("step 4 of 8: setWeight 30%") == true)
    }

    @Test("the weight bar fills one cell per 5 percent")
    func weightBar() {
        #expect(WatchRenderer.bar(30) == "[██████░░░░░░░░░░░░░░]  30%")
        #expect(WatchRenderer.bar(0) == "[░░░░░░░░░░░░░░░░░░░░]   0%")
        #expect(WatchRenderer.bar(100) == "[████████████████████] 100%")
    }

    @Test("metric values are written in their limit's unit, and rounds without data leave a gap in the sparkline")
    func metricText() {
        #expect(MetricText.format(0.312, metric: "errorRate") == "31.2%")
        #expect(MetricText.format(0.45, metric: "latency.p99") == "450ms")
        #expect(MetricText.format(2.5, metric: "latency.p95") == "2.5s")
        #expect(MetricText.format(61, metric: "queueDepth") == "61")
        #expect(MetricText.format(nil, metric: "errorRate") == "-")
        #expect(MetricText.sparkline([0, 0.5, nil, 1]) == "▁▅ █")
        #expect(MetricText.sparkline([nil, nil]) == "  ")
        #expect(MetricText.sparkline([3, 3]) == "██")
    }

    @Test("exit codes: 0 succeeded, 2 rolled back or failed, 3 paused, aborted or superseded")
    func exitCodes() {
        let expected: [ExecutionPhase: Int32] = [.succeeded: 0, .rolledBack: 2, .failed: 2, .paused: 3, .aborted: 3, .superseded: 3]
        for (phase, code) in expected { #expect(WatchVerdict.exitCode(phase) == code, "\(phase)") }
        #expect(ExecutionPhase.allCases.filter(WatchVerdict.isSettled) == [.succeeded, .rolledBack, .paused, .aborted, .failed, .superseded])
    }

    @Test("the canvas moves back over the previous frame and clears what it left below")
    func canvas() {
        var canvas = TerminalCanvas()
        #expect(canvas.frame(["a", "b", "c"]) == "\ra\u{1B}[K\nb\u{1B}[K\nc\u{1B}[K\n\u{1B}[J")
        #expect(canvas.frame(["d"]) == "\r\u{1B}[3Ad\u{1B}[K\n\u{1B}[J")
        #expect(canvas.frame([]) == "\r\u{1B}[1A\u{1B}[J")
    }
}
