/// What the queue tells the service's metrics and logs; every method has an empty default.
/// Called on the queue's callers' and workers' threads, outside its lock: keep them quick.
public protocol JobQueueObserver: Sendable {
    /// The number of queued and of running jobs changed (`lora_queue_depth`).
    func queueChanged(queued: Int, running: Int)
    /// A job ended (succeeded, failed or cancelled), `seconds` after it first started (`lora_jobs_total`, `lora_job_duration_seconds`).
    func jobFinished(_ job: Job, seconds: Double)
    /// A running job took an optimizer step (`lora_train_loss`, `lora_train_tokens_per_second`).
    func jobStepped(_ id: JobID, loss: Float, tokensPerSecond: Double)
    /// A journal write failed; the job goes on in memory but a restart may not see its latest state.
    func journalWriteFailed(_ error: JobError)
}

extension JobQueueObserver {
    public func queueChanged(queued: Int, running: Int) {}
    public func jobFinished(_ job: Job, seconds: Double) {}
    public func jobStepped(_ id: JobID, loss: Float, tokensPerSecond: Double) {}
    public func journalWriteFailed(_ error: JobError) {}
}

/// An observer that ignores everything.
struct SilentJobQueueObserver: JobQueueObserver {}
