import Foundation
import LoRA

extension JobQueue {
    /// Trains `job` on a thread of its own, so the CPU-bound run never holds a thread of the cooperative pool;
    /// the thread runs at the configured priority.
    func startWorker(for job: Job) {
        let thread = Thread { [self] in
            nameCurrentThread("lora-job")
            configuration.priority.applyToCurrentThread()
            let outcome = self.train(job)
            let now = self.configuration.now()
            self.update { machine in ((), machine.finish(job.id, outcome, now: now)) }
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Runs the job's training, from its latest checkpoint when it has one; stops at a step boundary when
    /// the job is cancelled or the queue shuts down.
    private func train(_ job: Job) -> JobQueueStateMachine.RunOutcome {
        let config: TrainingConfig
        do { config = try job.spec.trainingConfig(id: job.id, paths: paths) } catch {
            return .failed(error.description)
        }
        let hasCheckpoint = ((try? Checkpoint.latest(config.outputDir)) ?? nil) != nil
        do throws(LoRAError) {
            let summary = try Trainer(config: config, model: model).run(
                resume: hasCheckpoint ? .latest : nil,
                shouldStop: { self.state.withLock { $0.machine.shouldStop(job.id) } },
                report: { event in
                    let now = self.configuration.now()
                    self.update { machine in ((), machine.report(job.id, event, now: now)) }
                })
            return summary.interrupted ? .interrupted : .completed(summary)
        } catch {
            return .failed(error.description)
        }
    }
}
