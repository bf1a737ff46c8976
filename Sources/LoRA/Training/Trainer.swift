import Foundation

/// Where to resume a run from.
public enum ResumePoint: Sendable, Equatable {
    /// The newest checkpoint in the run's output directory.
    case latest
    /// A checkpoint directory.
    case directory(String)
}

/// Trains a LoRA adapter on sentence pairs as a validated training config describes: contrastive
/// loss with in-batch negatives, AdamW, checkpoints that resume exactly, and PEFT output.
public struct Trainer: Sendable {
    /// The validated configuration.
    public let config: TrainingConfig
    /// The base model, when the caller has it loaded already.
    let loadedModel: Encoder?

    /// A trainer for `config`, which `TrainingConfig.load` has validated. `model`, when given, is
    /// `config.baseModel` loaded already (the frozen weights are shared, never changed).
    public init(config: TrainingConfig, model: Encoder? = nil) {
        self.config = config
        loadedModel = model
    }

    /// Runs to the last step, to early stopping, or until `shouldStop` answers true (then it
    /// checkpoints); reports every event to `report` and writes the adapter to `output_dir`.
    /// The computations use `config.threads` threads, whatever the rest of the process uses.
    public func run(
        resume: ResumePoint? = nil, shouldStop: () -> Bool = { false }, report: (TrainingEvent) -> Void = { _ in }
    ) throws(LoRAError) -> TrainingSummary {
        try withComputeThreads(config.threads) { () throws(LoRAError) in
            try runSteps(resume: resume, shouldStop: shouldStop, report: report)
        }
    }

    private func runSteps(
        resume: ResumePoint?, shouldStop: () -> Bool, report: (TrainingEvent) -> Void
    ) throws(LoRAError) -> TrainingSummary {
        let data = try TrainingData(config: config, model: loadedModel)
        var run = try TrainingRun(config: config, data: data, resume: resume)
        try makeDirectory(config.outputDir)
        let metrics = try MetricsLog(path: config.outputDir + "/metrics.jsonl", keepingThrough: run.state.globalStep)

        let evaluationBefore = run.state.globalStep == 0 ? data.evaluator.evaluate(run.adapter) : nil
        report(.started(TrainingStart(
            step: run.state.globalStep, totalSteps: run.totalSteps, trainPairs: data.trainCount,
            evalPairs: data.evaluator.anchors.count, adaptedModules: run.adapter.sites.count,
            trainableParameters: run.adapter.parameters.reduce(0) { $0 + $1.value.count }, resumedFrom: run.resumedFrom)))
        if let evaluationBefore {
            metrics.record(step: 0, evaluationBefore)
            report(.evaluated(step: 0, evaluationBefore))
        }

        let clock = ContinuousClock()
        let started = clock.now
        var stoppedEarly = false
        while run.state.globalStep < run.totalSteps {
            if shouldStop() {
                let path = try run.checkpoint().write(toOutput: config.outputDir)
                report(.checkpointSaved(step: run.state.globalStep, path: path))
                return TrainingSummary(
                    steps: run.state.globalStep, evaluationBefore: evaluationBefore, evaluationAfter: nil,
                    stoppedEarly: false, interrupted: true, output: path)
            }
            let stepStarted = clock.now
            let (loss, tokens, norm, rate) = run.step(data: data)
            let seconds = (clock.now - stepStarted).seconds
            let step = StepMetrics(
                step: run.state.globalStep, totalSteps: run.totalSteps, epoch: run.state.epoch, loss: loss,
                learningRate: rate, gradientNorm: norm, tokensPerSecond: Double(tokens) / max(seconds, 1e-9),
                elapsedSeconds: (clock.now - started).seconds)
            metrics.record(step)
            report(.stepped(step))

            if config.evalSteps > 0, step.step % config.evalSteps == 0, step.step < run.totalSteps,
               let evaluation = data.evaluator.evaluate(run.adapter) {
                metrics.record(step: step.step, evaluation)
                report(.evaluated(step: step.step, evaluation))
                stoppedEarly = run.updatePatience(evaluation.loss, patience: config.earlyStoppingPatience)
            }
            if config.saveSteps > 0, step.step % config.saveSteps == 0 {
                let path = try run.checkpoint().write(toOutput: config.outputDir)
                try Checkpoint.prune(config.outputDir, keep: config.saveTotalLimit)
                report(.checkpointSaved(step: step.step, path: path))
            }
            if stoppedEarly {
                report(.stoppedEarly(step: step.step))
                break
            }
        }

        let evaluationAfter = data.evaluator.evaluate(run.adapter)
        if let evaluationAfter {
            metrics.record(step: run.state.globalStep, evaluationAfter)
            report(.evaluated(step: run.state.globalStep, evaluationAfter))
        }
        try run.peftAdapter(baseModel: config.baseModel).writeFiles(into: config.outputDir)
        return TrainingSummary(
            steps: run.state.globalStep, evaluationBefore: evaluationBefore, evaluationAfter: evaluationAfter,
            stoppedEarly: stoppedEarly, interrupted: false, output: config.outputDir)
    }

    private func makeDirectory(_ path: String) throws(LoRAError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}

extension Duration {
    /// The duration in seconds.
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
