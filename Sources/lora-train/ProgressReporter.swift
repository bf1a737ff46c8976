import Foundation
import LoRA

/// Shows a run's progress on stderr: a bar redrawn in place on a terminal, plain log lines otherwise.
final class ProgressReporter {
    private let terminal: Bool
    private var totalSteps = 0
    private var firstStep = 0
    private var drawn = false

    init(terminal: Bool) {
        self.terminal = terminal
    }

    /// Shows one training event.
    func report(_ event: TrainingEvent) {
        switch event {
        case let .started(start):
            totalSteps = start.totalSteps
            firstStep = start.step
            let resumed = start.resumedFrom.map { ", resuming from \($0)" } ?? ""
            line("training \(start.trainPairs) pairs (\(start.evalPairs) held out) for \(start.totalSteps) steps; "
                + "\(start.adaptedModules) adapted modules, \(start.trainableParameters) trainable weights\(resumed)")
        case let .evaluated(step, evaluation):
            line(String(format: "step %d: eval loss %.4f, top-1 accuracy %.1f%%", step, evaluation.loss, evaluation.accuracy * 100))
        case let .stepped(metrics):
            if terminal {
                draw(metrics)
            } else if metrics.step == totalSteps || metrics.step % max(1, totalSteps / 20) == 0 || metrics.step == firstStep + 1 {
                line(String(
                    format: "step %d/%d: loss %.4f, lr %.3g, %.0f tokens/s, ETA %@", metrics.step, metrics.totalSteps,
                    metrics.loss, metrics.learningRate, metrics.tokensPerSecond, Self.eta(metrics, firstStep: firstStep)))
            }
        case let .checkpointSaved(step, path):
            line("step \(step): checkpoint \(path)")
        case let .stoppedEarly(step):
            line("step \(step): eval loss stopped improving; stopping early")
        }
    }

    /// Ends the bar's line.
    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }

    private func line(_ text: String) {
        finish()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func draw(_ metrics: StepMetrics) {
        let width = 24
        let filled = metrics.totalSteps > 0 ? width * metrics.step / metrics.totalSteps : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let text = String(
            format: "\r\u{1B}[2K%@ %d/%d  loss %.4f  %.0f tok/s  ETA %@", bar, metrics.step, metrics.totalSteps,
            metrics.loss, metrics.tokensPerSecond, Self.eta(metrics, firstStep: firstStep))
        FileHandle.standardError.write(Data(text.utf8))
        drawn = true
    }

    /// The remaining time at the run's average pace so far, as `1h02m`, `3m05s` or `12s`.
    static func eta(_ metrics: StepMetrics, firstStep: Int) -> String {
        let done = metrics.step - firstStep
        guard done > 0 else { return "?" }
        let seconds = Int((metrics.elapsedSeconds / Double(done) * Double(metrics.totalSteps - metrics.step)).rounded())
        if seconds >= 3600 { return String(format: "%dh%02dm", seconds / 3600, seconds % 3600 / 60) }
        if seconds >= 60 { return String(format: "%dm%02ds", seconds / 60, seconds % 60) }
        return "\(seconds)s"
    }
}
