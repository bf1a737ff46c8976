import Foundation
import LoRA

/// The queue's decisions, without I/O: which job runs next, what a cancel or a shutdown does, how a run's
/// events and end change a job. Every event returns the actions its owner (`JobQueue`) performs: journal
/// records (under its lock, in order), worker starts and observer calls.
struct JobQueueStateMachine {
    /// What the owner does after an event.
    enum Action: Equatable {
        /// Append the job to the journal; `sync` for transitions.
        case record(Job, sync: Bool)
        /// Start a worker thread training the job.
        case start(Job)
        /// Tell the observer the queue's counts.
        case counts(queued: Int, running: Int)
        /// Tell the observer a job ended, and after how many seconds since it first started.
        case finished(Job, seconds: Double)
        /// Tell the observer a step's figures.
        case stepped(JobID, loss: Float, tokensPerSecond: Double)
    }

    /// How a run ended.
    enum RunOutcome: Equatable {
        case completed(TrainingSummary)
        /// `shouldStop` answered true and a checkpoint was written.
        case interrupted
        case failed(String)
    }

    /// The answer to a submission: an id for the new job, or why it cannot be queued now.
    enum Reservation: Equatable {
        case reserved(JobID)
        case full(retryAfterSeconds: Int)
        case notAccepting
    }

    let capacity: Int, workers: Int, progressInterval: TimeInterval
    private(set) var jobs: [JobID: Job] = [:]
    private(set) var queued: [JobID] = []
    private(set) var running: Set<JobID> = []
    private(set) var isAccepting = true
    private var stopping: Set<JobID> = []
    private var lastRecorded: [JobID: Date] = [:]
    private var lastID: JobID?
    private var recentSeconds: [Double] = []

    init(capacity: Int, workers: Int, progressInterval: TimeInterval) {
        self.capacity = capacity
        self.workers = workers
        self.progressInterval = progressInterval
    }

    /// Takes the journal's jobs: queued ones queue again; those that were running queue again marked
    /// interrupted (they resume from their latest checkpoint), unless a cancel was asked, which ends them.
    mutating func restore(_ restored: [Job], now: Date) -> [Action] {
        var actions: [Action] = []
        for var job in restored.sorted(by: { $0.id < $1.id }) {
            if job.state == .running || (job.state == .queued && job.isCancelling) {
                if job.isCancelling {
                    job.state = .cancelled
                    job.finishedAt = now
                    job.isCancelling = false
                } else {
                    job.state = .queued
                    job.isInterrupted = true
                }
                actions.append(.record(job, sync: true))
            }
            jobs[job.id] = job
            if job.state == .queued { queued.append(job.id) }
            lastID = max(lastID ?? job.id, job.id)
        }
        return actions + dispatch(now: now)
    }

    /// A new job id, or why no job can be queued now.
    mutating func reserve(now: Date) -> Reservation {
        guard isAccepting else { return .notAccepting }
        guard queued.count < capacity else { return .full(retryAfterSeconds: retryAfterSeconds) }
        let id = JobID.make(at: now, after: lastID)
        lastID = id
        return .reserved(id)
    }

    /// Queues `job`, which the owner has journaled, and starts it when a worker is free.
    mutating func enqueue(_ job: Job, now: Date) -> [Action] {
        jobs[job.id] = job
        queued.append(job.id)
        return dispatch(now: now)
    }

    /// Starts queued jobs while workers are free, unless shutting down.
    private mutating func dispatch(now: Date) -> [Action] {
        var actions: [Action] = []
        while isAccepting, running.count < workers, !queued.isEmpty {
            let id = queued.removeFirst()
            guard var job = jobs[id] else { continue }
            job.state = .running
            job.startedAt = job.startedAt ?? now
            job.isInterrupted = false
            jobs[id] = job
            running.insert(id)
            lastRecorded[id] = now
            actions += [.record(job, sync: true), .start(job)]
        }
        return actions + [.counts(queued: queued.count, running: running.count)]
    }

    /// A queued job is cancelled at once; a running one is asked to stop at its next step boundary.
    mutating func cancel(_ id: JobID, now: Date) -> (JobQueue.CancelResult, [Action]) {
        guard var job = jobs[id] else { return (.notFound, []) }
        switch job.state {
        case .queued:
            job.state = .cancelled
            job.finishedAt = now
            jobs[id] = job
            queued.removeAll { $0 == id }
            return (.cancelled(job), [.record(job, sync: true), .finished(job, seconds: 0),
                                      .counts(queued: queued.count, running: running.count)])
        case .running:
            guard !job.isCancelling else { return (.stopping(job), []) }
            job.isCancelling = true
            jobs[id] = job
            return (.stopping(job), [.record(job, sync: true)])
        case .succeeded, .failed, .cancelled:
            return (.alreadyFinished(job), [])
        }
    }

    /// Whether the running job should checkpoint and stop: it was cancelled, or the queue is shutting down.
    func shouldStop(_ id: JobID) -> Bool { stopping.contains(id) || jobs[id]?.isCancelling == true }

    /// Folds a run's event into the job's progress; journals it at most every `progressInterval`.
    mutating func report(_ id: JobID, _ event: TrainingEvent, now: Date) -> [Action] {
        guard var job = jobs[id], job.state == .running else { return [] }
        var actions: [Action] = []
        switch event {
        case .started(let start):
            job.progress.step = start.step
            job.progress.totalSteps = start.totalSteps
        case let .evaluated(step, result):
            if step == 0 { job.progress.evaluationBefore = result } else { job.progress.evaluationAfter = result }
        case .stepped(let metrics):
            job.progress.step = metrics.step
            job.progress.totalSteps = metrics.totalSteps
            job.progress.loss = metrics.loss
            job.progress.tokensPerSecond = metrics.tokensPerSecond
            actions.append(.stepped(id, loss: metrics.loss, tokensPerSecond: metrics.tokensPerSecond))
        case let .checkpointSaved(step, _):
            job.progress.checkpointStep = step
        case .stoppedEarly:
            break
        }
        jobs[id] = job
        if now.timeIntervalSince(lastRecorded[id] ?? .distantPast) >= progressInterval {
            lastRecorded[id] = now
            actions.insert(.record(job, sync: false), at: 0)
        }
        return actions
    }

    /// Ends a run: succeeded or failed; when interrupted, cancelled if a cancel was asked, else queued
    /// again marked interrupted (a shutdown), to resume from its checkpoint after a restart.
    mutating func finish(_ id: JobID, _ outcome: RunOutcome, now: Date) -> [Action] {
        guard var job = jobs[id], running.remove(id) != nil else { return [] }
        stopping.remove(id)
        lastRecorded[id] = nil
        switch outcome {
        case .completed(let summary):
            job.state = .succeeded
            job.progress.step = summary.steps
            job.progress.evaluationAfter = summary.evaluationAfter ?? job.progress.evaluationAfter
        case .interrupted where !job.isCancelling:
            job.state = .queued
            job.isInterrupted = true
        case .interrupted:
            job.state = .cancelled
        case .failed(let message):
            job.state = .failed
            job.error = message
        }
        job.isCancelling = false
        var actions: [Action]
        if job.state.isFinished {
            job.finishedAt = now
            let seconds = max(0, now.timeIntervalSince(job.startedAt ?? now))
            recentSeconds = (recentSeconds + [seconds]).suffix(20)
            actions = [.record(job, sync: true), .finished(job, seconds: seconds)]
        } else {
            actions = [.record(job, sync: true)]
            if isAccepting { queued.insert(id, at: 0) }
        }
        jobs[id] = job
        return actions + dispatch(now: now)
    }

    /// Stops taking jobs and asks every running one to stop; returns those still running.
    mutating func shutdown() -> Set<JobID> {
        isAccepting = false
        stopping = running
        return running
    }

    /// Journal records marking jobs that outlived the shutdown's grace as interrupted, so a restart resumes them.
    func interruptedRecords() -> [Action] {
        running.sorted().compactMap { id in
            guard var job = jobs[id] else { return nil }
            if job.isCancelling {
                job.state = .cancelled
            } else {
                job.state = .queued
                job.isInterrupted = true
            }
            return .record(job, sync: true)
        }
    }

    /// Seconds until a worker is likely free: the mean of recent job durations over the workers, 1 … 3600.
    private var retryAfterSeconds: Int {
        guard !recentSeconds.isEmpty else { return 10 }
        let mean = recentSeconds.reduce(0, +) / Double(recentSeconds.count)
        return min(3600, max(1, Int((mean / Double(workers)).rounded(.up))))
    }
}
