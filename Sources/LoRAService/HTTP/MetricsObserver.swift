import LoRA

/// Feeds the job queue's events into the service's Prometheus metrics and its log.
struct MetricsObserver: JobQueueObserver {
    let metrics: ServiceMetrics
    let log: @Sendable (String) -> Void

    func queueChanged(queued: Int, running: Int) {
        metrics.setQueueDepth(queued)
        metrics.setRunning(running)
    }

    func jobFinished(_ job: Job, seconds: Double) {
        let outcome: ServiceMetrics.JobOutcome = switch job.state {
        case .succeeded: .succeeded
        case .cancelled: .cancelled
        default: .failed
        }
        metrics.jobFinished(outcome: outcome, seconds: seconds)
        log("job \(job.id) \(job.state.rawValue) after \(Int(seconds))s" + (job.error.map { ": \($0)" } ?? ""))
    }

    func jobStepped(_ id: JobID, loss: Float, tokensPerSecond: Double) {
        metrics.setTraining(tokensPerSecond: tokensPerSecond, loss: Double(loss))
    }

    func journalWriteFailed(_ error: JobError) {
        log("warning: \(error)")
    }
}
