import LoRA

/// How a training job's thread competes with embedding requests for the cores.
public enum JobPriority: String, Sendable, CaseIterable {
    /// The same priority as everything else.
    case normal
    /// Nice value 10: embeddings get most of a contended core, a job the rest.
    case low
    /// Linux's SCHED_IDLE: a job runs only on time nothing else wants, so it never adds to the
    /// embeddings' latency; under saturating load jobs wait, and a full queue answers 429.
    case idle

    /// Applies the priority to the calling thread (lowering only, which needs no privilege);
    /// returns whether the kernel accepted it.
    @discardableResult
    func applyToCurrentThread() -> Bool {
        switch self {
        case .normal: true
        case .low: lowerThreadPriority(to: 10)
        case .idle: lowerThreadPriority(to: 19) && runThreadOnlyWhenIdle()
        }
    }
}
