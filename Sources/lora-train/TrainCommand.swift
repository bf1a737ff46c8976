import ArgumentParser
import Foundation
import LoRA

/// `lora-train train CONFIG`: trains an adapter as the config says, with progress, checkpoints and resume.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a LoRA adapter on anchor/positive sentence pairs.",
        discussion: """
            CONFIG is a YAML file of training keys (flat, or under model_config: and training_config:). \
            LORA_<KEY> environment variables override them. The adapter is written to output_dir in PEFT \
            format with metrics.jsonl; checkpoints go to output_dir/checkpoint-STEP. SIGINT or SIGTERM \
            writes a checkpoint and exits 130 or 143; --resume latest continues from it exactly.
            """
    )

    @Argument(help: "The training config (YAML).")
    var config: String

    @Option(help: "Resume from 'latest' (the newest checkpoint in output_dir) or a checkpoint directory.")
    var resume: String?

    @Flag(help: "Check the config and print the settings, without training.")
    var dryRun = false

    func run() throws {
        let loaded: (config: TrainingConfig, overrides: [ConfigOverride])
        do { loaded = try TrainingConfig.load(path: config) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        for override in loaded.overrides {
            FileHandle.standardError.write(Data("lora-train: environment override \(override)\n".utf8))
        }
        if dryRun {
            print("\(config): valid")
            return
        }
        StopSignals.install()
        let progress = ProgressReporter(terminal: isatty(STDERR_FILENO) == 1)
        let resumePoint = resume.map { $0 == "latest" ? ResumePoint.latest : .directory($0) }
        let summary: TrainingSummary
        do {
            summary = try Trainer(config: loaded.config).run(
                resume: resumePoint, shouldStop: { StopSignals.received != 0 }, report: progress.report)
        } catch {
            progress.finish()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        progress.finish()
        if summary.interrupted {
            FileHandle.standardError.write(Data(
                "lora-train: stopped at step \(summary.steps); checkpoint \(summary.output); continue with --resume latest\n".utf8))
            throw ExitCode(128 + StopSignals.received)
        }
        print(Self.describe(summary))
    }

    static func describe(_ summary: TrainingSummary) -> String {
        var lines = ["trained \(summary.steps) steps\(summary.stoppedEarly ? " (stopped early)" : ""); adapter in \(summary.output)"]
        func line(_ name: String, _ evaluation: EvaluationResult?) {
            guard let evaluation else { return }
            lines.append(String(
                format: "eval %@: loss %.4f, top-1 retrieval accuracy %.1f%% (%d pairs)",
                name, evaluation.loss, evaluation.accuracy * 100, evaluation.pairs))
        }
        line("before", summary.evaluationBefore)
        line("after", summary.evaluationAfter)
        return lines.joined(separator: "\n")
    }
}
